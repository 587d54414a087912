"""Reads of presence shared by the services, the REST API and the room socket."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models.signals import post_delete, post_save

from presence.events import AbsentMember, PresentMember
from presence.models import LastSeen
from presence.registry import run_with_registry
from presence.registry_interface import MemberState, PresenceRegistry
from presence.summaries import summaries
from rooms.membership.selectors import room_access

# How many of those who left a room are listed with their last-seen time, newest first.
LAST_SEEN_LIMIT = 100


@dataclass(frozen=True)
class RoomPresence:
    """Who is in a room now, and when some of those who are not were last there."""

    present: list[PresentMember]
    absent: list[AbsentMember]


def present_members(members: dict[int, MemberState]) -> list[PresentMember]:
    """The registry's members with their summaries, ordered by name."""
    users = summaries(set(members))
    present = [
        PresentMember(user=users[user_id], state=state)
        for user_id, state in members.items()
        if user_id in users
    ]
    return sorted(present, key=lambda m: (m.user["display_name"].lower(), m.user["id"]))


# Each room's newest ``LastSeen`` rows, kept briefly: every join's snapshot lists them, and a
# join storm does not change them (only leaves do). Dropped when this process writes one of
# the room's rows; rows written through another process show within ``LAST_SEEN_TTL`` seconds.
LAST_SEEN_TTL = 5.0
LAST_SEEN_ROOMS_KEPT = 1000
_last_seen: dict[str, tuple[float, int, list[tuple[int, datetime]]]] = {}


def forget_last_seen(room_id: Any) -> None:
    _last_seen.pop(str(room_id), None)


def _last_seen_rows(room_id: Any, wanted: int) -> list[tuple[int, datetime]]:
    """At least ``wanted`` of the room's newest rows (all of them if it has fewer)."""
    key = str(room_id)
    now = time.monotonic()
    kept = _last_seen.get(key)
    if kept is not None:
        expires, fetched, rows = kept
        if expires > now and (fetched >= wanted or len(rows) < fetched):
            return rows
    rows = list(
        LastSeen.objects.filter(room_id=room_id)
        .order_by("-seen_at", "user_id")
        .values_list("user_id", "seen_at")[:wanted]
    )
    if len(_last_seen) >= LAST_SEEN_ROOMS_KEPT:
        _last_seen.pop(next(iter(_last_seen)))
    _last_seen[key] = (now + LAST_SEEN_TTL, wanted, rows)
    return rows


def absent_members(*, room_id: Any, present_ids: set[int]) -> list[AbsentMember]:
    """Those last seen in the room who are not in it now, most recent first."""
    rows = _last_seen_rows(room_id, LAST_SEEN_LIMIT + len(present_ids))
    chosen = [(user_id, seen_at) for user_id, seen_at in rows if user_id not in present_ids]
    chosen = chosen[:LAST_SEEN_LIMIT]
    users = summaries({user_id for user_id, _ in chosen})
    return [
        AbsentMember(user=users[user_id], seen_at=seen_at)
        for user_id, seen_at in chosen
        if user_id in users
    ]


def room_presence_of(*, room_id: Any, members: dict[int, MemberState]) -> RoomPresence:
    present = present_members(members)
    return RoomPresence(
        present=present,
        absent=absent_members(room_id=room_id, present_ids={m.user["id"] for m in present}),
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


def _forget_last_seen(sender: Any, instance: LastSeen, **kwargs: Any) -> None:
    forget_last_seen(instance.room_id)


def connect_signals() -> None:
    """Drop a room's kept rows when this process saves or deletes one of them (called once,
    from the app's ``ready``; ``presence.announce`` drops them itself after its updates)."""
    post_save.connect(_forget_last_seen, sender=LastSeen, dispatch_uid="presence-last-seen")
    post_delete.connect(_forget_last_seen, sender=LastSeen, dispatch_uid="presence-last-seen-del")
