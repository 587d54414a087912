"""Creating, renaming, locking, archiving and deleting documents and whiteboards.

Their content changes through the sync engine (``rooms.sync``), never here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rooms.core.errors import Forbidden, Invalid
from rooms.core.stored_files import remove_files_on_commit
from rooms.documents.models import Document, DocumentImage, DocumentKind
from rooms.documents.permissions import (
    can_edit_document,
    can_manage_document,
    require_not_archived,
)
from rooms.documents.selectors import document_access
from rooms.documents.services.images import document_image_files
from rooms.documents.signals import document_changed, document_created, document_deleted
from rooms.membership.models import Role
from rooms.membership.permissions import require_active_room, require_role
from rooms.membership.selectors import room_access


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise Invalid("A document needs a title.", code="blank", field="title")
    if len(title) > settings.COLLAB_DOCUMENT_TITLE_MAX:
        raise Invalid(
            f"Titles are at most {settings.COLLAB_DOCUMENT_TITLE_MAX} characters.",
            code="max_length",
            field="title",
        )
    return title


def document_create(*, actor: Any, room_id: Any, title: str, kind: DocumentKind) -> Document:
    """Create an empty document or whiteboard (editors and owners)."""
    access = room_access(user=actor, room_id=room_id)
    require_role(access, Role.EDITOR, "create documents")
    require_active_room(access)
    with transaction.atomic():
        document = Document.objects.create(
            room=access.room, title=_clean_title(title), kind=kind, created_by=actor
        )
        document_created.send(sender=Document, document=document, by=actor)
    return document


def document_rename(*, actor: Any, document_id: Any, title: str) -> Document:
    """Rename a document; whoever may edit it may rename it."""
    document, access = document_access(user=actor, document_id=document_id)
    if not can_edit_document(access, document):
        require_active_room(access)
        require_role(access, Role.EDITOR, "rename documents")
        require_not_archived(document)
        raise Forbidden("The document is locked.", code="document_locked")
    document.title = _clean_title(title)
    with transaction.atomic():
        document.save(update_fields=["title", "updated_at"])
        document_changed.send(sender=Document, document=document, by=actor)
    return document


def document_set_locked(
    *, actor: Any, document_id: Any, locked: bool, as_operator: bool = False
) -> Document:
    """Lock a document (read-only for all but the room's owners) or unlock it. Owners and
    the document's creator may do either (and staff from the admin)."""
    document, access = document_access(user=actor, document_id=document_id, as_operator=as_operator)
    require_active_room(access)
    if not can_manage_document(access, document):
        raise Forbidden("Only the room's owners or the document's creator may lock it.")
    document.is_locked = locked
    document.locked_by = actor if locked else None
    document.locked_at = timezone.now() if locked else None
    with transaction.atomic():
        document.save(update_fields=["is_locked", "locked_by", "locked_at", "updated_at"])
        document_changed.send(sender=Document, document=document, by=actor)
    return document


def document_set_archived(*, actor: Any, document_id: Any, archived: bool) -> Document:
    """Archive a document (read-only for everyone, listed apart) or restore it. Owners and
    the document's creator may do either; archiving an archived one changes nothing."""
    document, access = document_access(user=actor, document_id=document_id)
    require_active_room(access)
    if not can_manage_document(access, document):
        raise Forbidden("Only the room's owners or the document's creator may archive it.")
    if (document.archived_at is not None) == archived:
        return document
    document.archived_at = timezone.now() if archived else None
    with transaction.atomic():
        document.save(update_fields=["archived_at", "updated_at"])
        document_changed.send(sender=Document, document=document, by=actor)
    return document


def document_delete(*, actor: Any, document_id: Any) -> None:
    """Delete a document with its history (owners, or its creator)."""
    document, access = document_access(user=actor, document_id=document_id)
    require_active_room(access)
    if not can_manage_document(access, document):
        raise Forbidden("Only the room's owners or the document's creator may delete it.")
    document_id, room_id, kind = document.pk, document.room_id, str(document.kind)
    with transaction.atomic():
        images = document_image_files(DocumentImage.objects.filter(document=document))
        document.delete()
        remove_files_on_commit(images)
        document_deleted.send(
            sender=Document, document_id=document_id, room_id=room_id, kind=kind, by=actor
        )
