"""Images in documents: an editor uploads one, it is stored as the room's file with its
display rendition, and the editor puts its URL in the document.

Files go through Django's default storage like chat attachments (``rooms.chat.services.
attachments``), under ``document-images/{room}/{image}/``, and are never served from a public
URL: the API serves them to the document's readers only (``document_image_for_reading``).
The rendition is made here, during the upload, so its URL works the moment the upload is
answered (a 10 MB, 20-megapixel JPEG takes about a second: docs/images.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from rooms.core.errors import ImageTooLarge, Invalid, UnsupportedMediaType
from rooms.documents.image_rendition import NotAnImage, Rendition, TooManyPixels, image_render
from rooms.documents.models import DocumentImage
from rooms.documents.selectors import document_access
from rooms.documents.services.content import require_edit

ALT_MAX_LENGTH = 500


def document_image_check_size(size: int) -> None:
    """Raise ``ImageTooLarge`` for more than ``COLLAB_MAX_IMAGE_BYTES`` bytes."""
    limit = settings.COLLAB_MAX_IMAGE_BYTES
    if size > limit:
        raise ImageTooLarge(
            f"Images are at most {limit / 1024 / 1024:g} MB ({limit:,} bytes).", field="file"
        )


def document_image_upload(
    *, actor: Any, document_id: Any, upload: UploadedFile[Any], alt: str = ""
) -> DocumentImage:
    """Store an image in a document's room, with its display rendition (the document's
    editors only). Returns the stored image.

    Raises ``NotFound`` for a document the actor cannot read, ``Forbidden`` for one they may
    not edit, ``Invalid`` (``empty``) for an empty file, ``ImageTooLarge`` (413) past
    ``COLLAB_MAX_IMAGE_BYTES`` bytes or ``COLLAB_MAX_IMAGE_PIXELS`` pixels
    (``image_too_many_pixels``), and ``UnsupportedMediaType`` (415) for anything that does
    not decode as a PNG, JPEG, GIF or WebP image, whatever its declared type or name."""
    document, access = document_access(user=actor, document_id=document_id)
    require_edit(access, document)
    size = int(upload.size or 0)
    document_image_check_size(size)
    if size == 0:
        raise Invalid("The file is empty.", code="empty", field="file")
    rendition = _render(upload)
    image = DocumentImage(
        room_id=document.room_id,
        document=document,
        uploaded_by=actor,
        content_type=rendition.content_type,
        display_content_type=rendition.content_type,
        size=size,
        width=rendition.width,
        height=rendition.height,
        display_width=rendition.display_width,
        display_height=rendition.display_height,
        alt=alt.strip()[:ALT_MAX_LENGTH],
    )
    upload.seek(0)
    try:
        with transaction.atomic():
            image.original.save("original", upload, save=False)
            image.display.save("display", ContentFile(rendition.display), save=False)
            image.save()
    except BaseException:
        for stored in (image.original, image.display):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return image


def _render(upload: UploadedFile[Any]) -> Rendition:
    try:
        return image_render(
            upload,
            max_pixels=settings.COLLAB_MAX_IMAGE_PIXELS,
            display_max_width=settings.COLLAB_IMAGE_DISPLAY_MAX_WIDTH,
        )
    except TooManyPixels as error:
        raise ImageTooLarge(
            f"Images are at most {settings.COLLAB_MAX_IMAGE_PIXELS:,} pixels (width x height, "
            "every frame counted); this one has more.",
            code="image_too_many_pixels",
            field="file",
        ) from error
    except NotAnImage as error:
        raise UnsupportedMediaType(
            "Only PNG, JPEG, GIF and WebP images can be uploaded, and this file does not read "
            "as one of them.",
            field="file",
        ) from error


def document_image_files(images: Iterable[DocumentImage]) -> list[FieldFile]:
    """The stored files of ``images`` (each upload and its rendition), read before their rows
    are deleted so they can be removed once the deletion commits."""
    return [file for image in images for file in (image.original, image.display)]
