"""A whiteboard's shapes as SVG, PNG and PDF, drawn on the server the way the web app draws
them (frontend/src/whiteboard/render.ts): cropped to what the shapes cover plus a margin, on
white. SVG is built as text with every value checked or escaped; PNG is drawn with Pillow
(its side at most ``MAX_PNG_SIDE`` pixels, scaled down to fit); PDF is the SVG drawn as
vectors by fpdf2. Images are read with the ``ReadImage`` the caller gives (the display
rendition of one of the document's images, by id); one it cannot read is drawn as a grey box
with its alt text."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from fpdf import FPDF

from rooms.documents.formats.pdf_fonts import add_fonts
from rooms.documents.formats.whiteboard_draw import (
    FRAME_EDGE,
    FRAME_TITLE_COLOR,
    LABEL_SIZE,
    MISSING_IMAGE,
    MISSING_IMAGE_EDGE,
    MISSING_IMAGE_TEXT,
    STICKY_EDGE,
    STICKY_FILL,
    ReadImage,
    board_frame,
    frame_title,
    heads,
    image_media_type,
    measure,
    shown_text,
)
from rooms.documents.formats.whiteboard_draw import MARGIN as MARGIN  # the exports' margin
from rooms.documents.formats.whiteboard_raster import draw_png
from rooms.documents.formats.whiteboard_shapes import (
    Color,
    Point,
    Shape,
    label_point,
    layout_text,
    route_points,
    shapes_of,
)

# --- SVG -----------------------------------------------------------------------------------

WEB_FONTS = "Helvetica, sans-serif"
# A line of text cut into runs of one font each, as (font family, text).
TextRuns = Callable[[str], list[tuple[str, str]]]


def _hex(color: Color) -> str:
    return f"#{color[0]:02x}{color[1]:02x}{color[2]:02x}"


def _paint(kind: str, color: Color | None) -> str:
    """``fill`` or ``stroke`` attributes of a colour (with its alpha as an opacity)."""
    if color is None:
        return f'{kind}="none"'
    alpha = f' {kind}-opacity="{color[3]:g}"' if color[3] < 1 else ""
    return f'{kind}="{_hex(color)}"{alpha}'


def _stroke(shape: Shape, fill: Color | None = None, *, dashed: bool = True) -> str:
    width = shape.stroke_width
    dashes = {"dashed": f"{width * 4:g} {width * 3:g}", "dotted": f"0 {width * 2.5:g}"}
    dash = f' stroke-dasharray="{dashes[shape.dash]}"' if dashed and shape.dash in dashes else ""
    return (
        f'{_paint("stroke", shape.color)} stroke-width="{width:g}" {_paint("fill", fill)}'
        f' stroke-linecap="round" stroke-linejoin="round"{dash}'
    )


def whiteboard_svg(
    shapes: dict[str, Any], read_image: ReadImage | None = None, runs: TextRuns | None = None
) -> str:
    """The whiteboard as a standalone SVG document; its text in the web's fonts unless
    ``runs`` cuts each line into runs of named fonts (the PDF's)."""
    runs = runs or _web_runs
    drawn = shapes_of(shapes)
    left, top, width, height = board_frame(drawn)
    frames = {shape.id: index for index, shape in enumerate(drawn) if shape.type == "frame"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}"'
        f' width="{round(width)}" height="{round(height)}">',
        f'<rect x="{left:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
    ]
    if frames:
        parts.append("<defs>")
        for shape in drawn:
            if shape.id in frames:
                x, y, w, h = shape.box()
                parts.append(
                    f'<clipPath id="frame-{frames[shape.id]}"><rect x="{x:g}" y="{y:g}" '
                    f'width="{w:g}" height="{h:g}"/></clipPath>'
                )
        parts.append("</defs>")
    for shape in drawn:
        clip = frames.get(shape.frame_id or "") if shape.type != "frame" else None
        parts.append(_svg_group(shape, _svg_body(shape, read_image, runs), clip))
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_group(shape: Shape, body: str, clip: int | None) -> str:
    attrs = f'data-shape-id="{escape(shape.id)}" data-shape-type="{shape.type}"'
    if shape.opacity < 1:
        attrs += f' opacity="{shape.opacity:g}"'
    if shape.turn:
        cx, cy = shape.center()
        attrs += f' transform="rotate({math.degrees(shape.turn):g} {cx:g} {cy:g})"'
    group = f"<g {attrs}>{body}</g>"
    # The clip is outside the turn, so a turned shape is clipped by its frame's upright box.
    return f'<g clip-path="url(#frame-{clip})">{group}</g>' if clip is not None else group


def _svg_body(shape: Shape, read_image: ReadImage | None, runs: TextRuns) -> str:
    x, y, w, h = shape.box()
    if shape.type == "rect":
        outline = (
            f'<rect {_stroke(shape, shape.fill)} x="{x:g}" y="{y:g}" width="{w:g}" '
            f'height="{h:g}" rx="6"/>'
        )
        return outline + _svg_lines(shape, shape.text, runs)
    if shape.type == "ellipse":
        outline = (
            f'<ellipse {_stroke(shape, shape.fill)} cx="{x + w / 2:g}" cy="{y + h / 2:g}" '
            f'rx="{w / 2:g}" ry="{h / 2:g}"/>'
        )
        return outline + _svg_lines(shape, shape.text, runs)
    if shape.type in ("line", "arrow"):
        return _svg_connector(shape, runs)
    if shape.type == "pen":
        points = [
            (shape.x + px, shape.y + py)
            for px, py in zip(shape.points[0::2], shape.points[1::2], strict=False)
        ]
        return f'<path {_stroke(shape)} d="{_path(points)}"/>' if points else ""
    if shape.type == "text":
        return _svg_lines(shape, shown_text(shape), runs)
    if shape.type == "sticky":
        note = (
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="4" '
            f'{_paint("fill", shape.fill or STICKY_FILL)} stroke="{STICKY_EDGE}"/>'
        )
        return note + _svg_lines(shape, shape.text, runs)
    if shape.type == "frame":
        title, size, baseline = frame_title(shape)
        return (
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="#ffffff" '
            f'stroke="{FRAME_EDGE}"/>'
            + _svg_text(title, x, [baseline], size, "start", FRAME_TITLE_COLOR, runs)
        )
    return _svg_image(shape, read_image, runs)


def _svg_connector(shape: Shape, runs: TextRuns) -> str:
    points = route_points(shape)
    stroke = _stroke(shape)
    if len(points) == 2:
        (x1, y1), (x2, y2) = points
        drawn = f'<line {stroke} x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}"/>'
    else:
        drawn = f'<path {stroke} d="{_path(points)}"/>'
    solid = _stroke(shape, dashed=False)  # arrowheads are drawn whole
    for head in heads(shape, points):
        drawn += f'<path {solid} d="{_path(head)}"/>'
    if shape.text:
        lx, ly = label_point(points)
        size = shape.font_size or LABEL_SIZE
        baseline = ly + 0.35 * size
        label = (shape.text, lx, [baseline], size, "middle")
        drawn += _svg_text(*label, "#ffffff", runs, halo=True)
        drawn += _svg_text(*label, _hex(shape.color), runs)
    return drawn


def _svg_lines(shape: Shape, text: str, runs: TextRuns) -> str:
    if not text:
        return ""
    layout = layout_text(shape, text, measure)
    texts = [line for line, _ in layout.lines]
    ys = [y for _, y in layout.lines]
    color = _hex(shape.color)
    return _svg_text("\n".join(texts), layout.x, ys, layout.size, layout.anchor, color, runs)


def _svg_text(
    text: str,
    x: float,
    ys: list[float],
    size: float,
    anchor: str,
    color: str,
    runs: TextRuns,
    halo: bool = False,
) -> str:
    """Lines of text, each its own ``<text>`` at its own baseline (``ys``; the last repeats for
    more lines) so that ``anchor`` aligns each line whole, whatever runs of fonts it holds."""
    outline = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round"' if halo else ""
    drawn = []
    for i, line in enumerate(text.split("\n")):
        y = ys[min(i, len(ys) - 1)] + max(0, i - len(ys) + 1) * size * 1.3
        spans = "".join(
            f'<tspan font-family="{escape(family)}">{escape(part)}</tspan>'
            for family, part in runs(line)
        )
        drawn.append(
            f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" fill="{color}"{outline} '
            f'text-anchor="{anchor}">{spans}</text>'
        )
    return "".join(drawn)


def _web_runs(line: str) -> list[tuple[str, str]]:
    return [(WEB_FONTS, line)]


def _svg_image(shape: Shape, read_image: ReadImage | None, runs: TextRuns) -> str:
    x, y, w, h = shape.box()
    data = read_image(shape.image_id) if read_image and shape.image_id else None
    if data:
        source = f"data:{image_media_type(data)};base64,{base64.b64encode(data).decode()}"
        return (
            f'<image x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'preserveAspectRatio="none" href="{source}" aria-label="{escape(shape.alt)}"/>'
        )
    placeholder = (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="{MISSING_IMAGE}" '
        f'stroke="{MISSING_IMAGE_EDGE}" stroke-dasharray="6 4"/>'
    )
    label = shape.alt or "Image"
    return placeholder + _svg_text(
        label, x + w / 2, [y + h / 2 + 4.5], 13, "middle", MISSING_IMAGE_TEXT, runs
    )


def _path(points: list[Point]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{px:g} {py:g}" for i, (px, py) in enumerate(points))


# --- PNG and PDF ---------------------------------------------------------------------------


def whiteboard_png(shapes: dict[str, Any], read_image: ReadImage | None = None) -> bytes:
    """The whiteboard as a PNG image."""
    return draw_png(shapes_of(shapes), read_image)


def whiteboard_pdf(
    shapes: dict[str, Any],
    *,
    title: str,
    read_image: ReadImage | None = None,
    fallback_fonts: Sequence[str] = (),
) -> bytes:
    """The whiteboard as a one-page PDF the size of the board, drawn as vectors, its text in
    the embedded DejaVu Sans and the ``fallback_fonts`` (pdf_fonts.py)."""
    _, _, width, height = board_frame(shapes_of(shapes))
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margin(0)
    fonts = add_fonts(pdf, fallback_fonts)
    svg = whiteboard_svg(shapes, read_image, fonts.runs)
    pdf.add_page()
    pdf.image(io.BytesIO(svg.encode()), x=0, y=0, w=width, h=height)
    fonts.report_missing(title)
    return bytes(pdf.output())
