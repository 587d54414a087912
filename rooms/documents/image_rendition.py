"""Reading an uploaded image with Pillow and making its display rendition. No Django here.

Decoding is the only test of what an upload is: its declared type and its name are ignored.
Only Pillow's PNG, JPEG, GIF and WebP decoders are tried, so SVG, HTML or any other format is
refused however it is labelled. The pixel count (every frame's) is checked from the header,
before anything is decoded, so a small file that would decode to gigabytes costs nothing.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, ImageSequence

# Pillow format name -> the media type it is served as.
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# What survives into the rendition of each frame's info: what it needs to look the same
# (colour profile, transparency, animation timing); EXIF, XMP, text chunks and comments do not.
KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background")
JPEG_QUALITY = 85
# EXIF orientation (tag 0x0112) -> the turn that makes the image upright.
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SIDEWAYS = {
    Image.Transpose.TRANSPOSE,
    Image.Transpose.ROTATE_270,
    Image.Transpose.TRANSVERSE,
    Image.Transpose.ROTATE_90,
}


class NotAnImage(Exception):
    """The bytes are not a PNG, JPEG, GIF or WebP image that decodes."""


class TooManyPixels(Exception):
    """The image would decode to more pixels than allowed."""


@dataclass(frozen=True)
class Rendition:
    """An uploaded image as decoded, and the display rendition made from it."""

    content_type: str
    width: int
    height: int
    display: bytes
    display_width: int
    display_height: int


def image_render(source: IO[bytes], *, max_pixels: int, display_max_width: int) -> Rendition:
    """Decode ``source`` and make its display rendition: upright (EXIF orientation applied),
    at most ``display_max_width`` wide, every frame of an animation kept, metadata dropped,
    in the original's format. ``width`` and ``height`` are the original's, upright.

    Raises ``NotAnImage`` for anything but a PNG, JPEG, GIF or WebP that decodes in full, and
    ``TooManyPixels`` for more than ``max_pixels`` pixels over all its frames."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(source, formats=list(MEDIA_TYPES))
            pixels = image.width * image.height * getattr(image, "n_frames", 1)
            if pixels > max_pixels:
                raise TooManyPixels(f"{image.width}x{image.height} pixels in {pixels:,} in all")
            return _render(image, display_max_width)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise TooManyPixels(str(error)) from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise NotAnImage(str(error)) from error


def _render(image: Image.Image, display_max_width: int) -> Rendition:
    image_format = str(image.format)
    turned = ORIENTATIONS.get(image.getexif().get(0x0112, 1)) in SIDEWAYS
    width, height = (image.height, image.width) if turned else image.size
    if image_format == "JPEG" and width > display_max_width:
        # Decode at the smallest 1/2, 1/4 or 1/8 scale still wide enough (libjpeg scales as
        # it decodes the whole stream, so a damaged file is still refused): several times
        # faster for a camera photo.
        scale = display_max_width / width
        image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    frames = [_upright(frame.copy(), image) for frame in ImageSequence.Iterator(image)]
    scaled = [_fit(frame, display_max_width) for frame in frames]
    output = io.BytesIO()
    options: dict[str, Any] = {}
    if image_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=False)
    if len(scaled) > 1:
        options.update(
            save_all=True,
            append_images=scaled[1:],
            duration=[frame.info.get("duration", 100) for frame in scaled],
            loop=image.info.get("loop", 0),
        )
    scaled[0].save(output, image_format, **options)
    return Rendition(
        content_type=MEDIA_TYPES[image_format],
        width=width,
        height=height,
        display=output.getvalue(),
        display_width=scaled[0].width,
        display_height=scaled[0].height,
    )


def _upright(frame: Image.Image, source: Image.Image) -> Image.Image:
    """The frame turned as the source's EXIF orientation says, with only ``KEPT_INFO``."""
    kept: dict[str | tuple[int, int], Any] = {
        key: value for key, value in (source.info | frame.info).items() if key in KEPT_INFO
    }
    method = ORIENTATIONS.get(source.getexif().get(0x0112, 1))
    if method is not None:
        frame = frame.transpose(method)
    frame.info = kept
    return frame


def _fit(frame: Image.Image, max_width: int) -> Image.Image:
    if frame.width <= max_width:
        return frame
    height = max(1, round(frame.height * max_width / frame.width))
    info = frame.info
    if frame.mode == "P":
        # Resampling a palette image blends indexes, not colours: resample in RGBA and keep it.
        frame = frame.convert("RGBA")
    resized = frame.resize((max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = {key: value for key, value in info.items() if key != "transparency"}
    return resized
