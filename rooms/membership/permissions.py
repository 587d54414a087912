"""Who may do what in a room. Pure rules over an ``Access``; no queries here.

Roles rank owner > editor > commenter > viewer. A signed-in user who is not a member may
read a public room (``role`` is ``None``) but do nothing else. Archived rooms are read-only.
The rules for documents are the documents concept's (``rooms.documents.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rooms.core.errors import Forbidden
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


def require_inviter(access: Access) -> None:
    """Raise ``Forbidden`` unless the user may create and see the room's invite links."""
    require_role(access, Role(access.room.invite_min_role), "invite people")


def require_active_room(access: Access) -> None:
    """Raise ``Forbidden`` for changes to the content of an archived room."""
    if access.room.is_archived:
        raise Forbidden("The room is archived and read-only.", code="room_archived")


def can_post(access: Access) -> bool:
    return access.at_least(Role.COMMENTER) and not access.room.is_archived
