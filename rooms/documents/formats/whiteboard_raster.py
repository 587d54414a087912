"""A whiteboard drawn as a PNG with Pillow, shape by shape as the SVG draws it. A shape that is
turned or see-through is drawn on a layer of its own the size of its box, which is turned and
blended in; the rest are drawn straight onto the board. Pillow has no dashes: dashed and
dotted outlines are cut into segments and dots along their path."""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, UnidentifiedImageError

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
    drawn_extent,
    font,
    frame_title,
    heads,
    measure,
    shown_text,
    upright_area,
)
from rooms.documents.formats.whiteboard_shapes import (
    Color,
    Point,
    Shape,
    label_point,
    layout_text,
    route_points,
)

MAX_PNG_SIDE = 4000
# How far past what it draws a layer reaches: the stroke, a glyph past its measure.
LAYER_PAD = 24
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}

At = Callable[[float, float], Point]
RGBA = tuple[int, int, int, int]


def _rgba(color: Color) -> RGBA:
    return color[0], color[1], color[2], round(color[3] * 255)


def _hex_rgba(value: str) -> RGBA:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16), 255


def draw_png(drawn: list[Shape], read_image: ReadImage | None) -> bytes:
    """The shapes (bottom first, connectors routed) as a PNG of the board."""
    left, top, width, height = board_frame(drawn)
    scale = min(1.0, MAX_PNG_SIDE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    board = Image.new("RGBA", size, (255, 255, 255, 255))
    frames = {shape.id: shape.box() for shape in drawn if shape.type == "frame"}
    for shape in drawn:
        clip = frames.get(shape.frame_id or "") if shape.type != "frame" else None
        if not shape.turn and shape.opacity >= 1 and clip is None:
            at = _mapping(left, top, scale)
            _paint(ImageDraw.Draw(board, "RGBA"), board, shape, at, scale, read_image)
        else:
            _paint_layer(board, shape, (left, top), scale, read_image, clip)
    out = io.BytesIO()
    board.convert("RGB").save(out, "PNG")
    return out.getvalue()


def _mapping(left: float, top: float, scale: float) -> At:
    return lambda px, py: ((px - left) * scale, (py - top) * scale)


def _paint_layer(
    board: Image.Image,
    shape: Shape,
    origin: Point,
    scale: float,
    read_image: ReadImage | None,
    clip: tuple[float, float, float, float] | None,
) -> None:
    """Draw the shape on a layer of its own, turn it, fade it, clip it to its frame's box
    (``clip``: left, top, width, height on the board) and blend it in."""
    if shape.turn:  # the layer is turned about its centre: centred on the shape's
        cx, cy = shape.center()
        left, top, right, bottom = upright_area(shape)
        half_w = max(cx - left, right - cx) + LAYER_PAD
        half_h = max(cy - top, bottom - cy) + LAYER_PAD
        x0, y0, x1, y1 = cx - half_w, cy - half_h, cx + half_w, cy + half_h
    else:
        e = drawn_extent(shape)
        x0, y0, x1, y1 = e[0] - LAYER_PAD, e[1] - LAYER_PAD, e[2] + LAYER_PAD, e[3] + LAYER_PAD
    size = (max(1, math.ceil((x1 - x0) * scale)), max(1, math.ceil((y1 - y0) * scale)))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    _paint(ImageDraw.Draw(layer, "RGBA"), layer, shape, _mapping(x0, y0, scale), scale, read_image)
    if shape.opacity < 1:
        layer.putalpha(layer.getchannel("A").point(lambda a: round(a * shape.opacity)))
    center = ((x0 + x1) / 2 - origin[0]) * scale, ((y0 + y1) / 2 - origin[1]) * scale
    if shape.turn:  # Pillow turns counter-clockwise; a shape's rotation is clockwise
        layer = layer.rotate(
            -math.degrees(shape.turn), resample=Image.Resampling.BICUBIC, expand=True
        )
    corner = round(center[0] - layer.width / 2), round(center[1] - layer.height / 2)
    if clip is not None:
        x, y, w, h = clip
        inside = Image.new("L", layer.size, 0)
        box = [
            (x - origin[0]) * scale - corner[0],
            (y - origin[1]) * scale - corner[1],
            (x + w - origin[0]) * scale - corner[0],
            (y + h - origin[1]) * scale - corner[1],
        ]
        ImageDraw.Draw(inside).rectangle(box, fill=255)
        layer.putalpha(ImageChops.multiply(layer.getchannel("A"), inside))
    board.paste(layer, corner, layer)


def _paint(
    draw: ImageDraw.ImageDraw,
    image: Image.Image,
    shape: Shape,
    at: At,
    scale: float,
    read_image: ReadImage | None,
) -> None:
    x, y, w, h = shape.box()
    corners = [at(x, y), at(x + w, y + h)]
    width = max(1, round(shape.stroke_width * scale))
    stroke = _rgba(shape.color)
    fill = _rgba(shape.fill) if shape.fill else None
    if shape.type == "rect":
        if shape.dash == "solid":
            draw.rounded_rectangle(
                corners, radius=6 * scale, outline=stroke, width=width, fill=fill
            )
        else:
            draw.rectangle(corners, fill=fill)
            outline = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)]
            _dashed(draw, outline, shape, scale, stroke)
        _text(draw, shape, shape.text, at, scale)
    elif shape.type == "ellipse":
        if shape.dash == "solid":
            draw.ellipse(corners, outline=stroke, width=width, fill=fill)
        else:
            draw.ellipse(corners, fill=fill)
            ring = [
                at(x + w / 2 + w / 2 * math.cos(t), y + h / 2 + h / 2 * math.sin(t))
                for t in (2 * math.pi * i / 72 for i in range(73))
            ]
            _dashed(draw, ring, shape, scale, stroke)
        _text(draw, shape, shape.text, at, scale)
    elif shape.type in ("line", "arrow"):
        points = route_points(shape)
        _dashed(draw, [at(*p) for p in points], shape, scale, stroke)
        for head in heads(shape, points):
            draw.line([at(*p) for p in head], fill=stroke, width=width, joint="curve")
        if shape.text:
            size = (shape.font_size or LABEL_SIZE) * scale
            draw.text(
                at(*label_point(points)),
                shape.text,
                fill=stroke,
                font=font(size),
                anchor="mm",
                stroke_width=max(1, round(4 * scale)),
                stroke_fill=(255, 255, 255, 255),
            )
    elif shape.type == "pen":
        pairs = zip(shape.points[0::2], shape.points[1::2], strict=False)
        _dashed(draw, [at(shape.x + px, shape.y + py) for px, py in pairs], shape, scale, stroke)
    elif shape.type == "text":
        _text(draw, shape, shown_text(shape), at, scale)
    elif shape.type == "sticky":
        note = _rgba(shape.fill or STICKY_FILL)
        draw.rounded_rectangle(corners, radius=4 * scale, fill=note, outline=_hex_rgba(STICKY_EDGE))
        _text(draw, shape, shape.text, at, scale)
    elif shape.type == "frame":
        draw.rectangle(corners, fill=(255, 255, 255, 255), outline=_hex_rgba(FRAME_EDGE))
        title, size, baseline = frame_title(shape)
        draw.text(
            at(x, baseline),
            title,
            fill=_hex_rgba(FRAME_TITLE_COLOR),
            font=font(size * scale),
            anchor="ls",
        )
    else:
        _image(draw, image, shape, at, scale, read_image)


def _dashed(
    draw: ImageDraw.ImageDraw, points: list[Point], shape: Shape, scale: float, color: RGBA
) -> None:
    """A polyline, solid, dashed (4 widths on, 3 off) or dotted (a dot every 2.5 widths)."""
    width = max(1, round(shape.stroke_width * scale))
    if len(points) < 2:
        return
    if shape.dash == "solid":
        draw.line(points, fill=color, width=width, joint="curve")
        return
    unit = shape.stroke_width * scale
    on, period = (4 * unit, 7 * unit) if shape.dash == "dashed" else (0.0, 2.5 * unit)
    travelled = 0.0
    for a, b in itertools.pairwise(points):
        length = math.dist(a, b)
        position = (-travelled) % period
        while position < length:
            start = _along(a, b, position / length)
            if on:
                draw.line(
                    [start, _along(a, b, min(length, position + on) / length)],
                    fill=color,
                    width=width,
                )
            else:
                radius = width / 2
                draw.ellipse(
                    [start[0] - radius, start[1] - radius, start[0] + radius, start[1] + radius],
                    fill=color,
                )
            position += period
        travelled += length


def _along(a: Point, b: Point, share: float) -> Point:
    return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share


def _text(draw: ImageDraw.ImageDraw, shape: Shape, text: str, at: At, scale: float) -> None:
    if not text:
        return
    layout = layout_text(shape, text, measure)
    typeface = font(layout.size * scale)
    for line, baseline in layout.lines:
        draw.text(
            at(layout.x, baseline),
            line,
            fill=_rgba(shape.color),
            font=typeface,
            anchor=_ANCHORS[layout.anchor],
        )


def _image(
    draw: ImageDraw.ImageDraw,
    image: Image.Image,
    shape: Shape,
    at: At,
    scale: float,
    read_image: ReadImage | None,
) -> None:
    x, y, w, h = shape.box()
    (left, top), (right, bottom) = at(x, y), at(x + w, y + h)
    size = (max(1, round(right - left)), max(1, round(bottom - top)))
    data = read_image(shape.image_id) if read_image and shape.image_id else None
    if data:
        try:
            with Image.open(io.BytesIO(data)) as source:
                picture = source.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
            image.paste(picture, (round(left), round(top)), picture)
            return
        except (UnidentifiedImageError, OSError, ValueError):
            pass
    draw.rectangle(
        [left, top, right, bottom],
        fill=_hex_rgba(MISSING_IMAGE),
        outline=_hex_rgba(MISSING_IMAGE_EDGE),
    )
    draw.text(
        ((left + right) / 2, (top + bottom) / 2),
        shape.alt or "Image",
        fill=_hex_rgba(MISSING_IMAGE_TEXT),
        font=font(13 * scale),
        anchor="mm",
    )
