"""The one door between file formats and a document's stored images.

An image node's ``src`` is ``/api/v1/documents/{document_id}/images/{image_id}``. Export reads
the stored file's bytes through ``image_reader``; import stores a file's picture through
``image_storer`` and puts the ``src`` it returns in the new node. Until the image storage is
part of this code base, no stored image can be read or written: export shows a placeholder
with the alt text, and import keeps an image's alt text as a paragraph. External http(s)
images are never fetched from the server (that would let a document make it call anywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ImageReader = Callable[[str], bytes | None]
"""An image node's ``src`` → the picture's bytes (PNG, JPEG, GIF or WebP), or None."""

ImageStorer = Callable[[bytes, str], str | None]
"""(a picture's bytes, its file name) → the ``src`` of the stored image, or None."""


def image_reader(*, actor: Any, document_id: Any) -> ImageReader:
    """Reads the images of one document the actor may read."""

    def read(src: str) -> bytes | None:
        return None

    return read


def image_storer(*, actor: Any, document_id: Any) -> ImageStorer:
    """Stores pictures as images of one document, uploaded by the actor."""

    def store(data: bytes, filename: str) -> str | None:
        return None

    return store
