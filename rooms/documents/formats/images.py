"""What file formats know of a document's stored images: the ``src`` of one, and the two
callables they are given to read and store pictures (``rooms/documents/services/
transfer_images.py`` makes them; formats never reach the database themselves).

An image node's ``src`` is ``/api/v1/documents/{document_id}/images/{image_id}``. Export reads
a picture's bytes through an ``ImageReader``; import stores a file's picture through an
``ImageStorer`` and puts the ``src`` it returns in the new node. External http(s) images are
never fetched from the server (that would let a document make it call anywhere).
"""

from __future__ import annotations

import re
from collections.abc import Callable

STORED_IMAGE = re.compile(r"^/api/v1/documents/(?P<document>[\w-]+)/images/(?P<image>[\w-]+)$")
"""The ``src`` of a document's stored image (its display rendition)."""

ImageReader = Callable[[str], bytes | None]
"""An image node's ``src`` → the picture's bytes (PNG, JPEG, GIF or WebP), or None."""

ImageStorer = Callable[[bytes, str], str | None]
"""(a picture's bytes, its file name) → the ``src`` of the stored image, or None."""

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def picture_type(data: bytes) -> str | None:
    """The media type of a stored picture (PNG, JPEG, GIF or WebP) from its first bytes."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None
