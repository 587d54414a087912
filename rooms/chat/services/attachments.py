"""Chat attachments: a file uploaded into a room, and the ``file`` message that links it.

Files go through Django's default storage (under the data directory unless configured
otherwise), named by the attachment's id, never by the uploaded name. They are never
served from a public URL: downloads go through the API, which checks membership
(``rooms.selectors.attachment_for_download``) and serves them as attachments with
``nosniff``, so an uploaded page or script is never rendered by the browser.
"""

from __future__ import annotations

import posixpath
import unicodedata
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from rooms.chat.models import Attachment, Message, MessageKind
from rooms.chat.services.messages import (
    clean_body,
    existing_send,
    message_create,
    require_can_post,
    thread_root,
)
from rooms.chat.services.rate import chat_rate_take
from rooms.core.errors import AttachmentTooLarge, AttachmentTypeNotAllowed, Invalid
from rooms.membership.selectors import room_access

FILENAME_MAX = 255


def attachment_check_size(size: int) -> None:
    """Raise ``AttachmentTooLarge`` for more than ``COLLAB_ATTACHMENT_MAX_BYTES`` bytes."""
    limit = settings.COLLAB_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise AttachmentTooLarge(f"Files are at most {limit:,} bytes.", field="file")


def clean_content_type(content_type: str | None) -> str:
    """The media type without parameters, lower-cased, if uploads of it are allowed.
    Raises ``AttachmentTypeNotAllowed``."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type not in {allowed.lower() for allowed in settings.COLLAB_ATTACHMENT_CONTENT_TYPES}:
        raise AttachmentTypeNotAllowed(
            f"Files of type {media_type or 'unknown'} cannot be uploaded.", field="file"
        )
    return media_type


def clean_filename(name: str | None) -> str:
    """The uploaded name as people will see it: no directories, no control or format
    characters, at most ``FILENAME_MAX`` characters (the extension kept)."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    base = "".join(char for char in base if unicodedata.category(char) not in {"Cc", "Cf"})
    base = base.strip().strip(".") or "file"
    if len(base) > FILENAME_MAX:
        stem, dot, extension = base.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            base = f"{stem[: FILENAME_MAX - len(extension) - 1]}.{extension}"
        else:
            base = base[:FILENAME_MAX]
    return base


def attachment_upload(
    *,
    actor: Any,
    room_id: Any,
    upload: UploadedFile[Any],
    body: str = "",
    parent_id: int | None = None,
    client_id: str = "",
) -> tuple[Message, bool]:
    """Store an uploaded file and post the ``file`` message that links it (commenters and
    above), with ``body`` as its caption. Returns the message and whether it is new.

    Like ``message_send``: idempotent by ``client_id`` (a re-sent upload stores nothing),
    threads, mentions in the caption, the rate limit, ``message.new``. Raises
    ``AttachmentTooLarge`` (413), ``AttachmentTypeNotAllowed`` (415), and what
    ``message_send`` raises.
    """
    access = room_access(user=actor, room_id=room_id)
    require_can_post(access)
    if (message := existing_send(access=access, actor=actor, client_id=client_id)) is not None:
        return message, False
    size = int(upload.size or 0)
    attachment_check_size(size)
    content_type = clean_content_type(upload.content_type)
    if size == 0:
        raise Invalid("The file is empty.", code="empty", field="file")
    body = clean_body(body, allow_blank=True)
    parent = thread_root(room=access.room, parent_id=parent_id)
    chat_rate_take(user_id=actor.pk)
    attachment = Attachment(
        room=access.room,
        uploaded_by=actor,
        filename=clean_filename(upload.name),
        content_type=content_type,
        size=size,
    )
    try:
        with transaction.atomic():
            attachment.file.save(str(attachment.pk), upload, save=False)
            attachment.save()
            message = message_create(
                room=access.room,
                author=actor,
                body=body,
                kind=MessageKind.FILE,
                parent=parent,
                client_id=client_id,
                attachment=attachment,
            )
    except BaseException as error:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        if isinstance(error, IntegrityError) and client_id:
            return Message.objects.get(room=access.room, author=actor, client_id=client_id), False
        raise
    return message, True
