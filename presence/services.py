"""Presence changes: a connection joins a room, sets its status or the document it views,
renews itself, and leaves; expired connections are swept.

These are what the room socket calls: ``presence_join`` on connect (it returns the
``presence.snapshot`` to send to that socket), ``presence_set_status`` and ``presence_set_viewing``
on the ``presence.status`` and ``presence.viewing`` frames, ``presence_heartbeat`` every
``COLLAB_PRESENCE_HEARTBEAT_SECONDS``, ``presence_leave`` on disconnect. **The services publish
every other event themselves**, through ``rooms.core.live_events.publish_now`` to the room's
channel-layer group (so every process's sockets get it, the sender's included): ``presence.join``
for a user's first connection, ``presence.leave`` after their last (with their ``LastSeen``
written), ``presence.update`` when what others see of them changed (see ``presence.announce``). A
socket should join the room's group before calling ``presence_join``, so it misses nothing that
happens after its snapshot was read; events queued meanwhile repeat what the snapshot shows and
apply cleanly.

Errors are ``DomainError``s with stable codes: ``room_not_found``, ``invalid_status``,
``invalid_viewing``, ``invalid_connection_id``, and ``room_full``, which the socket sends as
an ``error`` event and then closes with 1013 (try again later), as for a full document.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from channels.db import database_sync_to_async
from django.db.models import prefetch_related_objects

from presence.announce import announce, room_snapshot
from presence.registry import get_registry
from presence.registry_interface import (
    STATUSES,
    Change,
    PresenceRegistry,
    RoomAtCapacity,
    Status,
    UnknownConnection,
)
from presence.summaries import remember
from rooms.chat.selectors import room_accesses_with_unread
from rooms.core.errors import Conflict, Invalid, NotFound
from rooms.core.read_batches import BatchedRead, db_read
from rooms.documents.selectors import document_access
from rooms.membership.models import Room
from rooms.membership.permissions import Access
from rooms.membership.selectors import as_uuid

logger = logging.getLogger(__name__)

CONNECTION_ID_MAX = 200


class RoomFull(Conflict):
    """The room has ``max_participants`` people in it already. The room socket sends this as
    an ``error`` event, then closes with 1013 (try again later)."""

    code = "room_full"


@dataclass
class PresenceConnection:
    """One socket's place in a room's presence, kept by the socket from join to leave."""

    user: Any
    room_id: str
    connection_id: str
    status: Status
    viewing: str | None


@dataclass(frozen=True)
class PresenceJoined:
    connection: PresenceConnection
    snapshot: dict[str, Any]  # the ``presence.snapshot`` event for the joining socket
    access: Access  # the user's access to the room, checked by the join


# --- checks --------------------------------------------------------------------------------


def _valid_status(status: Any) -> Status:
    for known in STATUSES:
        if status == known:
            return known
    raise Invalid("Status must be online or away.", code="invalid_status", field="status")


def _valid_connection_id(connection_id: Any) -> str:
    if not isinstance(connection_id, str) or not 0 < len(connection_id) <= CONNECTION_ID_MAX:
        raise Invalid(
            f"A connection id is 1 to {CONNECTION_ID_MAX} characters.",
            code="invalid_connection_id",
            field="connection_id",
        )
    return connection_id


def _viewable(*, user: Any, room_id: str, viewing: Any) -> str:
    """The id of a document of this room that the user may read; raises ``Invalid``."""
    invalid = Invalid(
        "Viewing must be a document of this room, or null.", code="invalid_viewing", field="viewing"
    )
    if not isinstance(viewing, str):
        raise invalid
    try:
        document, access = document_access(user=user, document_id=viewing)
    except NotFound as error:
        raise invalid from error
    if str(access.room.pk) != room_id:
        raise invalid
    return str(document.pk)


def _join_accesses(
    users_rooms: set[tuple[Any, uuid.UUID]],
) -> dict[tuple[Any, uuid.UUID], Access]:
    """The joiners' access to their rooms (``room_accesses``), with their summaries kept
    for the snapshots and join events that show them."""
    users = [user for user, _ in users_rooms]
    prefetch_related_objects(users, "profile")  # a token's user comes with it, a session's not
    for user in users:
        remember(user)
    return room_accesses_with_unread(users_rooms=users_rooms)


_join_access_reads: BatchedRead[tuple[Any, uuid.UUID], Access] = BatchedRead(
    db_read(_join_accesses)
)


async def _join_access(user: Any, room_id: Any) -> Access:
    """The user's access to the room, read with the other joins of the moment; raises
    ``NotFound`` (``room_not_found``) as ``room_access`` does."""
    key = as_uuid(room_id)
    access = (
        await _join_access_reads.get((user, key))
        if key is not None and user.is_authenticated
        else None
    )
    if access is None:
        raise NotFound("No such room.", code="room_not_found")
    return dataclasses.replace(access, user=user)


def _max_participants(room_id: str) -> int | None:
    live = Room.objects.filter(pk=room_id, deleted_at=None)
    return live.values_list("max_participants", flat=True).first()


# --- sweeping -----------------------------------------------------------------------------


async def presence_sweep(*, registry: PresenceRegistry | None = None) -> int:
    """Remove the connections not renewed within the registry's TTL and publish what that
    changed (``presence.leave`` for users whose last connection expired, with their
    ``LastSeen`` set to its last renewal). Returns how many users left a room."""
    registry = registry or get_registry()
    changes = await registry.sweep()
    await announce(changes)
    return sum(1 for change in changes if change.left)


async def _sweep_if_due(registry: PresenceRegistry) -> None:
    """The opportunistic sweep: at most once per sweep interval per process. It must never
    fail the caller's own operation."""
    if registry.sweep_due():
        try:
            await presence_sweep(registry=registry)
        except Exception:
            logger.warning("presence sweep failed", exc_info=True)


_local_sweepers: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[int, asyncio.Task[None]]
] = weakref.WeakKeyDictionary()


async def _sweep_forever(registry: PresenceRegistry) -> None:
    while True:
        await asyncio.sleep(registry.sweep_interval)
        try:
            await presence_sweep(registry=registry)
        except Exception:
            logger.warning("presence sweep failed", exc_info=True)


def ensure_local_sweeper(registry: PresenceRegistry) -> None:
    """A registry only this process sees (in memory) is swept by a task on the running event
    loop, started once per loop; one shared by processes is swept by Celery beat."""
    if registry.shared:
        return
    tasks = _local_sweepers.setdefault(asyncio.get_running_loop(), {})
    task = tasks.get(id(registry))
    if task is None or task.done():
        tasks[id(registry)] = asyncio.get_running_loop().create_task(_sweep_forever(registry))


# --- the socket's operations --------------------------------------------------------------


async def _register(
    registry: PresenceRegistry, connection: PresenceConnection, limit: int | None = None
) -> Change:
    """Join the registry within the room's limit (read if not given), sweeping once before
    refusing."""
    if limit is None:
        limit = await database_sync_to_async(_max_participants)(connection.room_id)
    if limit is None:
        raise NotFound("No such room.", code="room_not_found")
    join = {
        "room_id": connection.room_id,
        "user_id": connection.user.pk,
        "connection_id": connection.connection_id,
        "status": connection.status,
        "viewing": connection.viewing,
        "max_users": limit,
    }
    try:
        return await registry.join(**join)
    except RoomAtCapacity:
        pass
    if await presence_sweep(registry=registry):
        try:
            return await registry.join(**join)
        except RoomAtCapacity:
            pass
    raise RoomFull(f"The room is full ({limit} people).")


async def presence_join(
    *,
    user: Any,
    room_id: Any,
    connection_id: str,
    status: Any = "online",
    viewing: Any = None,
    registry: PresenceRegistry | None = None,
) -> PresenceJoined:
    """Put a connection of ``user`` in the room; publish ``presence.join`` if it is the
    user's first, or ``presence.update`` if it changes what others see of them.

    Returns the connection (to pass to the other services) and the ``presence.snapshot`` for
    this socket. Raises ``NotFound`` (``room_not_found``) if the user may not read the room,
    ``Invalid`` for a bad ``status`` (``invalid_status``), ``viewing`` (``invalid_viewing``) or
    ``connection_id`` (``invalid_connection_id``), and ``RoomFull`` (``room_full``) when the
    room has ``max_participants`` other people in it; a user already present is always let in.
    """
    connection_id = _valid_connection_id(connection_id)
    checked_status = _valid_status(status)
    registry = registry or get_registry()
    access = await _join_access(user, room_id)
    room_key = str(access.room.pk)
    checked_viewing = (
        None
        if viewing is None
        else await database_sync_to_async(_viewable)(user=user, room_id=room_key, viewing=viewing)
    )
    connection = PresenceConnection(
        user=user,
        room_id=room_key,
        connection_id=connection_id,
        status=checked_status,
        viewing=checked_viewing,
    )
    await _sweep_if_due(registry)
    change = await _register(registry, connection, access.room.max_participants)
    snapshot, _ = await asyncio.gather(room_snapshot(registry, room_key), announce([change]))
    ensure_local_sweeper(registry)
    return PresenceJoined(connection=connection, snapshot=snapshot, access=access)


async def presence_set_status(
    *, connection: PresenceConnection, status: Any, registry: PresenceRegistry | None = None
) -> None:
    """Set the connection's status (``online`` or ``away``); publish ``presence.update`` if
    the user's status as others see it changed (online if any of their connections is).

    Raises ``Invalid`` (``invalid_status``). A connection the sweep removed joins again
    (and may then raise ``RoomFull``).
    """
    checked = _valid_status(status)
    registry = registry or get_registry()
    connection.status = checked
    await _change(connection, registry, registry.set_status, status=checked)


async def presence_set_viewing(
    *, connection: PresenceConnection, viewing: Any, registry: PresenceRegistry | None = None
) -> None:
    """Set the document the connection views (or ``None``); the user's most recently set one
    is what others see, and ``presence.update`` is published if that changed.

    Raises ``Invalid`` (``invalid_viewing``) unless ``viewing`` is ``None`` or the id of a
    document of this room the user may read. A connection the sweep removed joins again.
    """
    checked = (
        None
        if viewing is None
        else await database_sync_to_async(_viewable)(
            user=connection.user, room_id=connection.room_id, viewing=viewing
        )
    )
    registry = registry or get_registry()
    connection.viewing = checked
    await _change(connection, registry, registry.set_viewing, viewing=checked)


async def _change(
    connection: PresenceConnection,
    registry: PresenceRegistry,
    setter: Callable[..., Awaitable[Change]],
    **value: Any,
) -> None:
    """Apply one change of a connection (re-registering it, as it now is, if the sweep
    removed it) and publish what others would see of it."""
    try:
        change = await setter(
            room_id=connection.room_id,
            user_id=connection.user.pk,
            connection_id=connection.connection_id,
            **value,
        )
    except UnknownConnection:
        change = await _register(registry, connection)
    await announce([change])


async def presence_heartbeat(
    *, connection: PresenceConnection, registry: PresenceRegistry | None = None
) -> None:
    """Renew the connection for another TTL, and sweep if this process's turn has come. A
    connection the sweep removed (its heartbeats were late) joins again, announced as any
    join, and may then raise ``RoomFull``."""
    registry = registry or get_registry()
    renewed = await registry.heartbeat(
        room_id=connection.room_id,
        user_id=connection.user.pk,
        connection_id=connection.connection_id,
    )
    if not renewed:
        await announce([await _register(registry, connection)])
    await _sweep_if_due(registry)


async def presence_leave(
    *, connection: PresenceConnection, registry: PresenceRegistry | None = None
) -> None:
    """Remove the connection; after the user's last one, write their ``LastSeen`` and publish
    ``presence.leave``. Leaving twice, or after the sweep removed it, does nothing."""
    registry = registry or get_registry()
    change = await registry.leave(
        room_id=connection.room_id,
        user_id=connection.user.pk,
        connection_id=connection.connection_id,
    )
    if change is not None:
        await announce([change])


async def presence_snapshot(
    *, room_id: str, registry: PresenceRegistry | None = None
) -> dict[str, Any]:
    """The ``presence.snapshot`` event of a room (by its key, ``connection.room_id``)."""
    return await room_snapshot(registry or get_registry(), room_id)
