"""A whiteboard's shapes as SVG, PNG and PDF, drawn on the server the way the web app draws
them (frontend/src/whiteboard/render.ts and model.ts): cropped to what the shapes cover plus a
margin, on white. SVG is built as text with every value checked or escaped; PNG is drawn with
Pillow (its side at most ``MAX_PNG_SIDE`` pixels, scaled down to fit); PDF is the SVG drawn as
vectors by fpdf2."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

MARGIN = 24
MAX_PNG_SIDE = 4000
DEFAULT_COLOR = "#1b2230"
STICKY_FILL = "#fff3bf"
STICKY_EDGE = "#e8c95a"
ARROW_HEAD = 14
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TYPES = {"rect", "ellipse", "line", "arrow", "pen", "text", "sticky"}
# The shapes whose box turns with ``rotation`` (frontend/src/whiteboard/rotate.ts).
_ROTATABLE = {"rect", "ellipse", "text", "sticky", "pen", "image"}


@dataclass(frozen=True)
class Shape:
    type: str
    x: float
    y: float
    w: float
    h: float
    color: str
    text: str
    points: list[float]
    z: float
    rotation: float = 0.0  # radians, clockwise about the box's centre

    def box(self) -> tuple[float, float, float, float]:
        """Left, top, width, height (positive), like the web app's ``bounds``."""
        if self.type == "pen" and len(self.points) >= 2:
            xs = [self.x + p for p in self.points[0::2]]
            ys = [self.y + p for p in self.points[1::2]]
            return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
        return min(self.x, self.x + self.w), min(self.y, self.y + self.h), abs(self.w), abs(self.h)

    def center(self) -> tuple[float, float]:
        x, y, w, h = self.box()
        return x + w / 2, y + h / 2

    def drawn_box(self) -> tuple[float, float, float, float]:
        """The upright box around the shape as drawn, turned corners and all (``rotatedBounds``
        in rotate.ts, with an ellipse's corners rather than its exact curve)."""
        x, y, w, h = self.box()
        if not self.rotation:
            return x, y, w, h
        cx, cy = self.center()
        cos, sin = math.cos(self.rotation), math.sin(self.rotation)
        half_w = abs(w / 2 * cos) + abs(h / 2 * sin)
        half_h = abs(w / 2 * sin) + abs(h / 2 * cos)
        return cx - half_w, cy - half_h, 2 * half_w, 2 * half_h


def shapes_of(shapes: dict[str, Any]) -> list[Shape]:
    """The drawable shapes of a whiteboard's JSON, bottom first (by ``z``, then id)."""
    found = [
        (_shape(raw), key)
        for key, raw in shapes.items()
        if isinstance(raw, dict) and raw.get("type") in _TYPES
    ]
    return [shape for shape, _ in sorted(found, key=lambda item: (item[0].z, item[1]))]


def _shape(raw: dict[str, Any]) -> Shape:
    """A shape as the web app's ``readShape`` reads it: bad numbers are 0, a bad colour the
    default one (colours are checked, as they go into SVG attributes)."""

    def number(value: Any) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and math.isfinite(value) else 0.0

    color, text, points = raw.get("color"), raw.get("text"), raw.get("points")
    return Shape(
        type=raw["type"],
        x=number(raw.get("x")),
        y=number(raw.get("y")),
        w=number(raw.get("w")),
        h=number(raw.get("h")),
        color=color if isinstance(color, str) and _COLOR.match(color) else DEFAULT_COLOR,
        text=text if isinstance(text, str) else "",
        points=[number(p) for p in points] if isinstance(points, list) else [],
        z=number(raw.get("z")),
        rotation=number(raw.get("rotation")) if raw["type"] in _ROTATABLE else 0.0,
    )


def _frame(shapes: list[Shape]) -> tuple[float, float, float, float]:
    boxes = [shape.drawn_box() for shape in shapes]
    left = min([0.0, *(b[0] for b in boxes)]) - MARGIN
    top = min([0.0, *(b[1] for b in boxes)]) - MARGIN
    right = max([100.0, *(b[0] + b[2] for b in boxes)]) + MARGIN
    bottom = max([100.0, *(b[1] + b[3] for b in boxes)]) + MARGIN
    return left, top, right - left, bottom - top


def _arrow_head(shape: Shape) -> list[tuple[float, float]]:
    x2, y2 = shape.x + shape.w, shape.y + shape.h
    angle = math.atan2(shape.h, shape.w)
    return [
        (x2 - ARROW_HEAD * math.cos(angle - 0.45), y2 - ARROW_HEAD * math.sin(angle - 0.45)),
        (x2, y2),
        (x2 - ARROW_HEAD * math.cos(angle + 0.45), y2 - ARROW_HEAD * math.sin(angle + 0.45)),
    ]


def _pen_points(shape: Shape) -> list[tuple[float, float]]:
    pairs = zip(shape.points[0::2], shape.points[1::2], strict=False)
    return [(shape.x + px, shape.y + py) for px, py in pairs]


# --- SVG -----------------------------------------------------------------------------------


def whiteboard_svg(shapes: dict[str, Any]) -> str:
    """The whiteboard as a standalone SVG document."""
    drawn = shapes_of(shapes)
    left, top, width, height = _frame(drawn)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}"'
        f' width="{round(width)}" height="{round(height)}">',
        f'<rect x="{left:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
    ]
    parts.extend(_svg_turned(shape, _svg_shape(shape)) for shape in drawn)
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_shape(shape: Shape) -> str:
    stroke = f'stroke="{shape.color}" stroke-width="2" fill="none"'
    x, y, w, h = shape.box()
    if shape.type == "rect":
        return f'<rect {stroke} x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="6"/>'
    if shape.type == "ellipse":
        return (
            f'<ellipse {stroke} cx="{x + w / 2:g}" cy="{y + h / 2:g}" '
            f'rx="{w / 2:g}" ry="{h / 2:g}"/>'
        )
    if shape.type in ("line", "arrow"):
        line = (
            f'<line {stroke} x1="{shape.x:g}" y1="{shape.y:g}" x2="{shape.x + shape.w:g}" '
            f'y2="{shape.y + shape.h:g}" stroke-linecap="round"/>'
        )
        if shape.type == "line":
            return line
        return line + f'<path {stroke} d="{_path(_arrow_head(shape))}" stroke-linejoin="round"/>'
    if shape.type == "pen":
        points = _pen_points(shape)
        if not points:
            return ""
        return (
            f'<path {stroke} d="{_path(points)}" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if shape.type == "text":
        return _svg_text(shape.text or "Text", x + 4, y + 2, 18, shape.color)
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="4" fill="{STICKY_FILL}" '
        f'stroke="{STICKY_EDGE}"/>' + _svg_text(shape.text, x + 12, y + 8, 16, shape.color)
    )


def _svg_turned(shape: Shape, element: str) -> str:
    if not shape.rotation or not element:
        return element
    cx, cy = shape.center()
    return f'<g transform="rotate({math.degrees(shape.rotation):g} {cx:g} {cy:g})">{element}</g>'


def _path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{px:g} {py:g}" for i, (px, py) in enumerate(points))


def _svg_text(text: str, x: float, y: float, size: int, color: str) -> str:
    spans = "".join(
        f'<tspan x="{x:g}" dy="{size if i == 0 else size * 1.3:g}">{escape(line)}</tspan>'
        for i, line in enumerate(text.split("\n"))
    )
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{color}" '
        f'font-family="Helvetica, sans-serif">{spans}</text>'
    )


# --- PNG -----------------------------------------------------------------------------------


def whiteboard_png(shapes: dict[str, Any]) -> bytes:
    """The whiteboard as a PNG image."""
    drawn = shapes_of(shapes)
    left, top, width, height = _frame(drawn)
    scale = min(1.0, MAX_PNG_SIDE / max(width, height))
    image = Image.new("RGB", (max(1, round(width * scale)), max(1, round(height * scale))), "white")
    draw = ImageDraw.Draw(image)

    def at(px: float, py: float) -> tuple[float, float]:
        return (px - left) * scale, (py - top) * scale

    line_width = max(1, round(2 * scale))
    for shape in drawn:
        if shape.rotation:
            _png_turned(image, shape, at(*shape.center()), scale, line_width)
        else:
            _png_shape(draw, shape, at, scale, line_width)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _png_turned(
    image: Image.Image, shape: Shape, center: tuple[float, float], scale: float, line_width: int
) -> None:
    """A rotated shape: drawn upright on a clear square around its centre, turned, laid on."""
    _, _, w, h = shape.box()
    cx, cy = shape.center()
    side = max(1, math.ceil((math.hypot(w, h) + 8) * scale) + 4 * line_width)
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))

    def at(px: float, py: float) -> tuple[float, float]:
        return (px - cx) * scale + side / 2, (py - cy) * scale + side / 2

    _png_shape(ImageDraw.Draw(layer), shape, at, scale, line_width)
    # Pillow turns counter-clockwise for a positive angle; ours is clockwise.
    turned = layer.rotate(-math.degrees(shape.rotation), resample=Image.Resampling.BICUBIC)
    image.paste(turned, (round(center[0] - side / 2), round(center[1] - side / 2)), turned)


def _png_shape(
    draw: ImageDraw.ImageDraw,
    shape: Shape,
    at: Callable[[float, float], tuple[float, float]],
    scale: float,
    line_width: int,
) -> None:
    """One shape, upright, through ``at`` (board point to image pixel)."""
    x, y, w, h = shape.box()
    corners = [at(x, y), at(x + w, y + h)]
    if shape.type == "rect":
        draw.rounded_rectangle(corners, radius=6 * scale, outline=shape.color, width=line_width)
    elif shape.type == "ellipse":
        draw.ellipse(corners, outline=shape.color, width=line_width)
    elif shape.type in ("line", "arrow"):
        end = (shape.x + shape.w, shape.y + shape.h)
        draw.line([at(shape.x, shape.y), at(*end)], fill=shape.color, width=line_width)
        if shape.type == "arrow":
            head = [at(px, py) for px, py in _arrow_head(shape)]
            draw.line(head, fill=shape.color, width=line_width, joint="curve")
    elif shape.type == "pen":
        points = [at(px, py) for px, py in _pen_points(shape)]
        if len(points) > 1:
            draw.line(points, fill=shape.color, width=line_width, joint="curve")
    elif shape.type == "text":
        _png_text(draw, shape.text or "Text", at(x + 4, y + 4), 18 * scale, shape.color)
    else:
        draw.rounded_rectangle(corners, radius=4 * scale, fill=STICKY_FILL, outline=STICKY_EDGE)
        _png_text(draw, shape.text, at(x + 12, y + 10), 16 * scale, shape.color)


def _png_text(
    draw: ImageDraw.ImageDraw, text: str, at: tuple[float, float], size: float, color: str
) -> None:
    font = ImageFont.load_default(size=max(1.0, size))
    draw.multiline_text(at, text, fill=color, font=font, spacing=round(size * 0.3))


# --- PDF -----------------------------------------------------------------------------------


def whiteboard_pdf(shapes: dict[str, Any], *, title: str) -> bytes:
    """The whiteboard as a one-page PDF the size of the board, drawn as vectors."""
    svg = whiteboard_svg(shapes)
    _, _, width, height = _frame(shapes_of(shapes))
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_title(title.encode("latin-1", "replace").decode("latin-1"))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margin(0)
    pdf.add_page()
    pdf.image(io.BytesIO(svg.encode()), x=0, y=0, w=width, h=height)
    return bytes(pdf.output())
