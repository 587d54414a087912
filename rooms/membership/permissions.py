"""Who may do what in a room. Pure rules over an ``Access``; no queries here.

Roles rank owner > editor > commenter > viewer. A signed-in user who is not a member may
read a public room (``role`` is ``None``) but do nothing else. Archived rooms are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rooms.core.errors import Forbidden
from rooms.documents.models import Document
from rooms.membership.models import Membership, Role, Room


@dataclass(frozen=True)
class Access:
    """What one user may do in one room: the room, and the user's role there (if a member)."""

    user: Any
    room: Room
    role: Role | None
    membership: Membership | None = None  # the member's row, when ``room_access`` read it
    unread: int | None = None  # the member's unread count, when ``room_access`` read it

    @property
    def is_member(self) -> bool:
        return self.role is not None

    def at_least(self, minimum: Role) -> bool:
        return self.role is not None and self.role.at_least(minimum)


def require_role(access: Access, minimum: Role, action: str) -> None:
    """Raise ``Forbidden`` unless the user's role is ``minimum`` or above."""
    if not access.at_least(minimum):
        raise Forbidden(f"Only a room {minimum.label.lower()} or above may {action}.")


def require_active_room(access: Access) -> None:
    """Raise ``Forbidden`` for changes to the content of an archived room."""
    if access.room.is_archived:
        raise Forbidden("The room is archived and read-only.", code="room_archived")


def can_post(access: Access) -> bool:
    return access.at_least(Role.COMMENTER) and not access.room.is_archived


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
