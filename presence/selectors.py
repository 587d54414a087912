"""Reads of presence shared by the services, the REST API and the room socket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from presence.events import AbsentMember, PresentMember
from presence.models import LastSeen
from presence.registry import MemberState, PresenceRegistry, run_with_registry
from rooms.selectors import room_access

# How many of those who left a room are listed with their last-seen time, newest first.
LAST_SEEN_LIMIT = 100


@dataclass(frozen=True)
class RoomPresence:
    """Who is in a room now, and when some of those who are not were last there."""

    present: list[PresentMember]
    absent: list[AbsentMember]


def users_by_id(user_ids: set[int]) -> dict[int, Any]:
    """Users with their profiles, in one query; ids of deleted users are missing."""
    users = get_user_model().objects.filter(pk__in=user_ids).select_related("profile")
    return {user.pk: user for user in users}


def present_members(members: dict[int, MemberState]) -> list[PresentMember]:
    """The registry's members with their users, ordered by name."""
    users = users_by_id(set(members))
    present = [
        PresentMember(user=users[user_id], state=state)
        for user_id, state in members.items()
        if user_id in users
    ]
    return sorted(present, key=lambda member: (member.user.profile.name.lower(), member.user.pk))


def absent_members(*, room_id: Any, present_ids: set[int]) -> list[AbsentMember]:
    """Those last seen in the room who are not in it now, most recent first."""
    rows = (
        LastSeen.objects.filter(room_id=room_id)
        .exclude(user_id__in=present_ids)
        .select_related("user", "user__profile")
        .order_by("-seen_at", "user_id")[:LAST_SEEN_LIMIT]
    )
    return [AbsentMember(user=row.user, seen_at=row.seen_at) for row in rows]


def room_presence_of(*, room_id: Any, members: dict[int, MemberState]) -> RoomPresence:
    present = present_members(members)
    return RoomPresence(
        present=present,
        absent=absent_members(room_id=room_id, present_ids={m.user.pk for m in present}),
    )


def room_presence(*, user: Any, room_id: Any) -> RoomPresence:
    """Who is in the room now and who was, for a user who may read the room. Sync code only.

    Raises ``NotFound`` as ``room_access`` does.
    """
    access = room_access(user=user, room_id=room_id)
    key = str(access.room.pk)

    async def read(registry: PresenceRegistry) -> dict[int, MemberState]:
        return await registry.members(room_id=key)

    return room_presence_of(room_id=key, members=run_with_registry(read))
