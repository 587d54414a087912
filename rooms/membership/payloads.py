"""How a room and a room's member look to clients: plain functions the REST API's
``RoomSerializer`` and ``MemberSerializer`` return and the live events carry, so every caller
shows them the same way."""

from __future__ import annotations

from typing import Any

from rooms.core.serializers import json_datetime, user_summary
from rooms.membership.models import Membership, Room


def member_payload(membership: Membership) -> dict[str, Any]:
    """A member: who, with which role, since when."""
    return {
        "user": user_summary(membership.user),
        "role": str(membership.role),
        "joined_at": json_datetime(membership.joined_at),
    }


def room_payload(
    room: Room, *, role: str | None, member_count: int, unread_count: int | None
) -> dict[str, Any]:
    """A room as the room list shows it to one person: ``role`` and ``unread_count`` are
    theirs (``None`` when they are not a member)."""
    return {
        "id": str(room.pk),
        "name": room.name,
        "slug": room.slug,
        "description": room.description,
        "is_public": room.is_public,
        "max_participants": room.max_participants,
        "join_role": str(room.join_role),
        "invite_min_role": str(room.invite_min_role),
        "is_archived": room.is_archived,
        "archived_at": json_datetime(room.archived_at),
        "created_at": json_datetime(room.created_at),
        "updated_at": json_datetime(room.updated_at),
        "role": role,
        "member_count": member_count,
        "unread_count": unread_count,
    }
