"""Who may change a document. Pure rules over a room ``Access``
(``rooms.membership.permissions``) and the document; no queries here."""

from __future__ import annotations

from rooms.documents.models import Document
from rooms.membership.models import Role
from rooms.membership.permissions import Access


def can_edit_document(access: Access, document: Document) -> bool:
    """Editors change documents; a locked document only its room's owners."""
    if access.room.is_archived or not access.at_least(Role.EDITOR):
        return False
    return not document.is_locked or access.at_least(Role.OWNER)


def can_manage_document(access: Access, document: Document) -> bool:
    """Lock, unlock and delete: the room's owners, and the editor who created the document."""
    if access.at_least(Role.OWNER):
        return True
    return access.at_least(Role.EDITOR) and document.created_by_id == getattr(
        access.user, "pk", None
    )
