"""Frames and images of a whiteboard in its server-side exports, drawn as the web app draws
them (frontend/src/whiteboard/content-render.ts): a frame is a white box with its title above
its top-left corner, under every other shape; an image is its stored display rendition, or a
dashed placeholder when it cannot be read. Shapes are not clipped to their frame here."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from html import escape

from PIL import Image, ImageDraw, ImageFont

FRAME_EDGE = "#c3c9d2"
FRAME_TITLE_COLOR = "#5c6573"
FRAME_TITLE_SIZE = 14
PLACEHOLDER_FILL = "#f1f3f5"
PLACEHOLDER_EDGE = "#ced4da"
CONTENT_TYPES = {"frame", "image"}
# Only the formats the upload accepts (rooms/documents/image_rendition.py) are read back.
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}

ImageBytes = Callable[[str], bytes | None]
"""The display rendition of one of the board's images, by ``imageId``; None if unreadable."""

Box = tuple[float, float, float, float]


def picture(data: bytes | None) -> Image.Image | None:
    """``data`` decoded as one of the stored formats (the first frame), or None."""
    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data), formats=list(_FORMATS))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return image


def svg_content(kind: str, box: Box, title: str, data: bytes | None) -> str:
    """A frame (``title``) or an image (``data``, its stored bytes) in ``box``, as SVG."""
    x, y, w, h = box
    if kind == "frame":
        return (
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="#ffffff" '
            f'stroke="{FRAME_EDGE}" stroke-width="1"/>'
            f'<text x="{x:g}" y="{y - 6:g}" font-size="{FRAME_TITLE_SIZE}" '
            f'fill="{FRAME_TITLE_COLOR}" font-family="Helvetica, sans-serif">'
            f"{escape(title or 'Frame')}</text>"
        )
    image = picture(data)
    if image is None or data is None:
        return (
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="{PLACEHOLDER_FILL}" '
            f'stroke="{PLACEHOLDER_EDGE}" stroke-dasharray="6 4"/>'
        )
    media_type = _FORMATS[str(image.format)]
    encoded = base64.b64encode(data).decode()
    return (
        f'<image x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" preserveAspectRatio="none" '
        f'href="data:{media_type};base64,{encoded}"/>'
    )


def png_content(
    canvas: Image.Image,
    kind: str,
    corners: tuple[tuple[float, float], tuple[float, float]],
    title: str,
    scale: float,
    data: bytes | None,
) -> None:
    """Draws a frame or an image onto ``canvas`` between ``corners`` (pixels)."""
    draw = ImageDraw.Draw(canvas)
    (left, top), (right, bottom) = corners
    if kind == "frame":
        draw.rectangle(corners, fill="#ffffff", outline=FRAME_EDGE, width=1)
        font = ImageFont.load_default(size=max(1.0, FRAME_TITLE_SIZE * scale))
        draw.text((left, top - 20 * scale), title or "Frame", fill=FRAME_TITLE_COLOR, font=font)
        return
    image = picture(data)
    size = (max(1, round(right - left)), max(1, round(bottom - top)))
    if image is None:
        draw.rectangle(corners, fill=PLACEHOLDER_FILL, outline=PLACEHOLDER_EDGE, width=1)
        return
    fitted = image.convert("RGBA").resize(size)
    canvas.paste(fitted, (round(left), round(top)), fitted)
