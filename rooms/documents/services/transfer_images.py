"""The image reader and storer that imports and exports are given (their types are in
``rooms/documents/formats/images.py``): export reads the display rendition of one of the
exported document's ``DocumentImage``; import stores a file's picture with
``document_image_upload`` and gives the ``src`` of the new image."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from rooms.core.errors import ImageTooLarge, Invalid, NotFound, UnsupportedMediaType
from rooms.documents.formats.images import STORED_IMAGE, ImageReader, ImageStorer
from rooms.documents.models import DocumentImage
from rooms.documents.payloads import document_image_url
from rooms.documents.selectors import document_image_for_reading
from rooms.documents.services.images import document_image_upload
from rooms.membership.selectors import as_uuid

logger = logging.getLogger(__name__)


def image_reader(*, actor: Any, document_id: Any) -> ImageReader:
    """Reads the display renditions of one document's images, as the actor (a reader of the
    document). Any other ``src``, another document's image included, reads as None."""

    def read(src: str) -> bytes | None:
        match = STORED_IMAGE.match(src.strip())
        if match is None or as_uuid(match["document"]) != as_uuid(document_id):
            return None
        try:
            image = document_image_for_reading(
                user=actor, document_id=document_id, image_id=match["image"]
            )
            with image.display.open("rb") as file:
                return bytes(file.read())
        except NotFound:
            return None
        except OSError:
            logger.warning("A stored image of document %s could not be read: %s", document_id, src)
            return None

    return read


@contextmanager
def image_storer(*, actor: Any, document_id: Any) -> Iterator[ImageStorer]:
    """Stores pictures as images of one document, uploaded by the actor (an editor of it),
    with the upload's checks. A picture they refuse (not a PNG, JPEG, GIF or WebP, too large,
    empty) is None: the import goes on without it. If the import fails inside the ``with``,
    the stored images' files are deleted (their rows go with the caller's transaction)."""
    stored: list[DocumentImage] = []

    def store(data: bytes, filename: str) -> str | None:
        try:
            image = document_image_upload(
                actor=actor, document_id=document_id, upload=SimpleUploadedFile(filename, data)
            )
        except (ImageTooLarge, UnsupportedMediaType, Invalid) as refused:
            logger.info("An imported picture %s was left out: %s", filename, refused)
            return None
        stored.append(image)
        return document_image_url(image)

    try:
        yield store
    except BaseException:
        for image in stored:
            for file in (image.original, image.display):
                if file.name:
                    file.storage.delete(file.name)
        raise
