"""Who may change a document. Pure rules over a room ``Access``
(``rooms.membership.permissions``) and the document; no queries here."""

from __future__ import annotations

from rooms.core.errors import Forbidden
from rooms.documents.models import Document
from rooms.membership.models import Role
from rooms.membership.permissions import Access


def can_edit_document(access: Access, document: Document) -> bool:
    """Editors change documents; a locked document only its room's owners; an archived one
    nobody until it is restored."""
    if access.room.is_archived or document.archived_at is not None:
        return False
    if not access.at_least(Role.EDITOR):
        return False
    return not document.is_locked or access.at_least(Role.OWNER)


def can_manage_document(access: Access, document: Document) -> bool:
    """Lock, unlock, archive, restore and delete: the room's owners, and the editor who
    created the document."""
    if access.at_least(Role.OWNER):
        return True
    return access.at_least(Role.EDITOR) and document.created_by_id == getattr(
        access.user, "pk", None
    )


def require_not_archived(document: Document) -> None:
    """Raise ``Forbidden`` (``document_archived``) for an archived document."""
    if document.archived_at is not None:
        raise Forbidden(
            "The document is archived: restore it to change it.", code="document_archived"
        )
