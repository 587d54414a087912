"""What a presence change leaves behind: the ``presence.*`` event published to the room (from
the event loop, ``rooms.core.live_events.publish_now``, once any write is committed) and, for a user
who left, their ``LastSeen``; and the ``presence.snapshot`` a joining socket gets.

Both are read in batches (``rooms.core.read_batches``): when 500 people join or leave at once,
the changes recorded together take one trip to the database thread and one transaction, and
the joiners who ask for a room's snapshot together share one read of its members.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from channels.db import database_sync_to_async
from django.db import transaction

from presence.events import change_event, snapshot_event
from presence.models import LastSeen
from presence.registry_interface import Change, MemberState, PresenceRegistry
from presence.selectors import forget_last_seen, room_presence_of
from presence.summaries import summaries
from rooms.core.live_events import publish_now
from rooms.core.read_batches import BatchedRead, db_read
from rooms.membership.models import Room
from rooms.membership.selectors import users_in_rooms


def _seen_at(change: Change) -> datetime:
    return datetime.fromtimestamp(change.at, tz=UTC)


def _write_last_seen(leaves: list[Change]) -> None:
    """Record when each user who left was last in the room; never moves a time backwards.
    Three queries, whatever the number of leaves (rows are locked while compared)."""
    latest: dict[tuple[str, int], datetime] = {}
    for change in leaves:
        key, seen_at = (change.room_id, change.user_id), _seen_at(change)
        latest[key] = max(seen_at, latest.get(key, seen_at))
    rooms = {
        str(pk)
        for pk in Room.objects.filter(pk__in={r for r, _ in latest}).values_list("pk", flat=True)
    }
    latest = {key: seen_at for key, seen_at in latest.items() if key[0] in rooms}  # else deleted
    if not latest:
        return
    by_room: dict[str, list[int]] = {}
    for room_id, user_id in latest:
        by_room.setdefault(room_id, []).append(user_id)
    rows = {
        (str(row.room_id), row.user_id): row
        for row in LastSeen.objects.select_for_update().filter(users_in_rooms(LastSeen, by_room))
    }
    moved = []
    for key, row in rows.items():
        if row.seen_at < latest[key]:
            row.seen_at = latest[key]
            moved.append(row)
    LastSeen.objects.bulk_update(moved, ["seen_at"])
    new = [
        LastSeen(room_id=room_id, user_id=user_id, seen_at=seen_at)
        for (room_id, user_id), seen_at in latest.items()
        if (room_id, user_id) not in rows
    ]
    # A row another process inserted meanwhile keeps its time: the same leave, moments apart.
    LastSeen.objects.bulk_create(new, ignore_conflicts=True)
    for room_id in by_room:
        forget_last_seen(room_id)


def record(changes: set[Change]) -> dict[Change, dict[str, Any]]:
    """Write ``LastSeen`` for users who left (committed when this returns) and return the
    event of each change that others would see, by change. Sync code only."""
    users = summaries({change.user_id for change in changes})
    known = [change for change in changes if change.user_id in users]
    leaves = [change for change in known if change.left]
    if leaves:
        with transaction.atomic():
            _write_last_seen(leaves)
    events = {}
    for change in known:
        event = change_event(change, users[change.user_id], _seen_at(change))
        if event is not None:
            events[change] = event
    return events


_recorded: BatchedRead[Change, dict[str, Any]] = BatchedRead(db_read(record))


async def announce(changes: list[Change]) -> None:
    """Record ``changes`` (see ``record``, together with those of other sockets doing the
    same) and publish their events, in order."""
    events = await asyncio.gather(*(_recorded.get(change) for change in changes))
    for change, event in zip(changes, events, strict=True):
        if event is not None:
            await publish_now(change.room_id, event)


Room_ = tuple[PresenceRegistry, str]  # a room (by its key) in a registry


def _snapshots(members: dict[Room_, dict[int, MemberState]]) -> dict[Room_, dict[str, Any]]:
    snapshots = {}
    for (registry, room_id), present in members.items():
        presence = room_presence_of(room_id=room_id, members=present)
        snapshots[registry, room_id] = snapshot_event(room_id, presence.present, presence.absent)
    return snapshots


async def _read_snapshots(rooms: set[Room_]) -> dict[Room_, dict[str, Any]]:
    members = {room: await room[0].members(room_id=room[1]) for room in rooms}
    snapshots: dict[Room_, dict[str, Any]] = await database_sync_to_async(_snapshots)(members)
    return snapshots


_snapshot_reads: BatchedRead[Room_, dict[str, Any]] = BatchedRead(_read_snapshots)


async def room_snapshot(registry: PresenceRegistry, room_id: str) -> dict[str, Any]:
    """The room's ``presence.snapshot`` (by its key, ``connection.room_id``), read after this
    call: a socket that has just joined is in it. Joiners asking together share one read."""
    snapshot = await _snapshot_reads.get((registry, room_id))
    assert snapshot is not None  # every room asked for is read
    return snapshot
