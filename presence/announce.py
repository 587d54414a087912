"""What a presence change leaves behind: the ``presence.*`` event published to the room (from
the event loop, ``rooms.events.publish_now``, once any write is committed) and, for a user
who left, their ``LastSeen``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from channels.db import database_sync_to_async
from django.db import transaction

from presence.events import change_event, snapshot_event
from presence.models import LastSeen
from presence.registry import Change, MemberState
from presence.selectors import forget_last_seen, room_presence_of
from presence.summaries import summaries
from rooms.events import publish_now
from rooms.models import Room


def _seen_at(change: Change) -> datetime:
    return datetime.fromtimestamp(change.at, tz=UTC)


def _write_last_seen(leaves: list[Change]) -> None:
    """Record when each user who left was last in the room; never moves a time backwards."""
    ids = {change.room_id for change in leaves}
    rooms = {str(pk) for pk in Room.objects.filter(pk__in=ids).values_list("pk", flat=True)}
    for change in leaves:
        if change.room_id not in rooms:  # deleted meanwhile
            continue
        seen_at = _seen_at(change)
        where = {"room_id": change.room_id, "user_id": change.user_id}
        if not LastSeen.objects.filter(**where, seen_at__lt=seen_at).update(seen_at=seen_at):
            LastSeen.objects.get_or_create(**where, defaults={"seen_at": seen_at})
        forget_last_seen(change.room_id)


def record(changes: list[Change]) -> list[tuple[str, dict[str, Any]]]:
    """Write ``LastSeen`` for users who left (committed when this returns) and return the
    events of ``changes`` with their rooms, to publish. Sync code only."""
    users = summaries({change.user_id for change in changes})
    changes = [change for change in changes if change.user_id in users]
    leaves = [change for change in changes if change.left]
    if leaves:
        with transaction.atomic():
            _write_last_seen(leaves)
    events = []
    for change in changes:
        event = change_event(change, users[change.user_id], _seen_at(change))
        if event is not None:
            events.append((change.room_id, event))
    return events


async def publish_all(events: list[tuple[str, dict[str, Any]]]) -> None:
    for room_id, event in events:
        await publish_now(room_id, event)


async def announce(changes: list[Change]) -> None:
    """Record ``changes`` (see ``record``) and publish their events, from async code."""
    if changes:
        await publish_all(await database_sync_to_async(record)(changes))


def record_join(
    change: Change, members: dict[int, MemberState]
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Record a join's ``change`` (see ``record``); return the room's ``presence.snapshot``
    with ``members`` (read from the registry after the join) and the events to publish.
    Sync code only."""
    events = record([change])
    presence = room_presence_of(room_id=change.room_id, members=members)
    return snapshot_event(change.room_id, presence.present, presence.absent), events
