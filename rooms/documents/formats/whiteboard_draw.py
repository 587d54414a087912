"""What the server's SVG and PNG drawings of a whiteboard share: the board's frame, the
arrowheads, the text measure (Pillow's built-in font, which both wrap text with) and the
colours of the parts the app draws in fixed colours."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from PIL import ImageFont

from rooms.documents.formats.whiteboard_shapes import (
    Color,
    Point,
    Shape,
    extent,
    layout_text,
    rotate_point,
)

MARGIN = 24
STICKY_FILL: Color = (255, 243, 191, 1.0)
STICKY_EDGE = "#e8c95a"
# The shapes whose text is wrapped in their box (layout_text), and what an empty one shows.
WRAPPED_TEXT = ("text", "sticky", "rect", "ellipse")
# Frames and image placeholders as the app draws them (frontend content-render.ts).
FRAME_EDGE = "#c3c9d2"
FRAME_TITLE_COLOR = "#5c6573"
FRAME_TITLE_SIZE = 14
MISSING_IMAGE = "#f1f3f5"
MISSING_IMAGE_EDGE = "#ced4da"
MISSING_IMAGE_TEXT = "#868e96"
ARROW_HEAD = 14
LABEL_SIZE = 16
ReadImage = Callable[[str], bytes | None]
"""Reads the display rendition of one of the document's images by its id (None: cannot)."""
_MEDIA = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def board_frame(drawn: list[Shape]) -> tuple[float, float, float, float]:
    """Left, top, width and height of what the board shows: its shapes (at least the square
    from 0 to 100) plus the margin."""
    extents = [drawn_extent(shape) for shape in drawn]
    left = min([0.0, *(e[0] for e in extents)]) - MARGIN
    top = min([0.0, *(e[1] for e in extents)]) - MARGIN
    right = max([100.0, *(e[2] for e in extents)]) + MARGIN
    bottom = max([100.0, *(e[3] for e in extents)]) + MARGIN
    return left, top, right - left, bottom - top


def shown_text(shape: Shape) -> str:
    """The text drawn in a shape that wraps it: an empty text shape shows "Text"."""
    return shape.text or ("Text" if shape.type == "text" else "")


def upright_area(shape: Shape) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of the shape's box and of the text wrapped in it, before
    the shape is turned: text longer than its box runs past it, and is drawn there."""
    x, y, w, h = shape.box()
    area = [x, y, x + w, y + h]
    text = shown_text(shape) if shape.type in WRAPPED_TEXT else ""
    if text:
        layout = layout_text(shape, text, measure)
        for line, baseline in layout.lines:
            width = measure(line, layout.size)
            start = {"start": 0.0, "middle": width / 2, "end": width}[layout.anchor]
            left, top = layout.x - start, baseline - layout.size
            area = [
                min(area[0], left),
                min(area[1], top),
                max(area[2], left + width),
                max(area[3], baseline + 0.3 * layout.size),
            ]
    return area[0], area[1], area[2], area[3]


def drawn_extent(shape: Shape) -> tuple[float, float, float, float]:
    """The area a shape covers when drawn, its wrapped text included: left, top, right,
    bottom."""
    left, top, right, bottom = extent(shape)
    if shape.type not in WRAPPED_TEXT:
        return left, top, right, bottom
    x0, y0, x1, y1 = upright_area(shape)
    corners = [
        rotate_point(p, shape.center(), shape.turn)
        for p in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
    ]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(left, *xs), min(top, *ys), max(right, *xs), max(bottom, *ys)


def arrow_head(tip: Point, before: Point) -> list[Point]:
    """An arrowhead's three points at ``tip``, pointing away from ``before``."""
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    return [
        (
            tip[0] - ARROW_HEAD * math.cos(angle - 0.45),
            tip[1] - ARROW_HEAD * math.sin(angle - 0.45),
        ),
        tip,
        (
            tip[0] - ARROW_HEAD * math.cos(angle + 0.45),
            tip[1] - ARROW_HEAD * math.sin(angle + 0.45),
        ),
    ]


def heads(shape: Shape, points: list[Point]) -> list[list[Point]]:
    """The arrowheads a connector drawn through ``points`` has."""
    at_start, at_end = shape.arrow_heads
    found = []
    if at_end and len(points) > 1:
        found.append(arrow_head(points[-1], points[-2]))
    if at_start and len(points) > 1:
        found.append(arrow_head(points[0], points[1]))
    return found


def image_media_type(data: bytes) -> str:
    for magic, media in _MEDIA.items():
        if data.startswith(magic):
            return media
    return "image/webp" if data[8:12] == b"WEBP" else "application/octet-stream"


@lru_cache(maxsize=64)
def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(1.0, size))


def measure(text: str, size: float) -> float:
    """How wide ``text`` is at ``size`` in the font the server draws with."""
    return float(font(round(size, 1)).getlength(text))


def frame_title(shape: Shape) -> tuple[str, float, float]:
    """A frame's title as drawn above its top-left corner: the text (cut with an ellipsis to
    the frame's width), its size and its baseline."""
    size = shape.font_size or FRAME_TITLE_SIZE
    _, y, w, _ = shape.box()
    title, width = shape.text or "Frame", max(w, 40)
    if measure(title, size) > width:
        cut = len(title)
        while cut > 0 and measure(f"{title[:cut]}…", size) > width:
            cut -= 1
        title = f"{title[:cut]}…" if cut else ""
    return title, size, y - round(size * 0.4)
