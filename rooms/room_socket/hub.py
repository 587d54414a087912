"""The room sockets of this process, and how a room's events reach them.

A room's events are published to its channel-layer group (``rooms.core.live_events``). Each
process joins that group once, with one channel of its own, while it has a socket in the room,
and writes each event to its local sockets of the room itself: an event crosses the layer once
per process and is serialized once, not once per socket (a channel per socket costs a layer
round trip and a parse per socket per event, which kept a server busy with idle clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator
from typing import Any, Protocol

from channels.layers import get_channel_layer
from django.conf import settings

from rooms.core.access_changes import ACCESS_GROUP, ACCESS_MESSAGE
from rooms.core.live_events import HANDLER, room_group, user_group
from rooms.core.process_channels import new_process_channel
from rooms.core.request_context import outside_any_connection

logger = logging.getLogger(__name__)

# channels-redis forgets a group membership after a day: renew well before.
RESUBSCRIBE_SECONDS = 3600.0

# Presence events of a room are coalesced: in a join storm each join would otherwise be a
# frame to every socket of the room. The first event of a quiet room goes out at once; those
# that follow within a tick (``COLLAB_PRESENCE_TICK_SECONDS``) go out together when it ends,
# as one ``presence.batch`` (in order).
COALESCED = frozenset({"presence.join", "presence.leave", "presence.update"})


# Group joins and leaves of different groups under way at once (each is a Redis round trip
# or two): enough for a storm, few enough not to open a Redis connection per socket.
LAYER_CALLS_AT_ONCE = 64


class KeyedLocks:
    """A lock per key, kept only while someone holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class RoomSocket(Protocol):
    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        """Write one event (``frame`` is its JSON, UTF-8) if it is meant for this socket."""

    async def recheck_access(self) -> None:
        """Close the socket if its user may no longer be in the room."""


class RoomHub:
    """This event loop's room sockets, by room."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.rooms: dict[str, set[RoomSocket]] = {}
        # Sockets by user, for events meant for one person in any room (notifications, their
        # room list): room sockets and ``/ws/me`` sockets. The process joins the user's group
        # while it holds one of them.
        self.users: dict[str, set[RoomSocket]] = {}
        self._channel: str | None = None
        self._channel_lock = asyncio.Lock()
        self._group_locks = KeyedLocks()
        self._layer_calls = asyncio.Semaphore(LAYER_CALLS_AT_ONCE)
        # Presence events gathered during each room's running tick, and the sends under way.
        self._gathered: dict[str, list[tuple[dict[str, Any], str]]] = {}
        self._sending: set[asyncio.Task[None]] = set()
        self.access_epoch_checked = -1  # see _access_changed
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._renew())]

    async def _channel_name(self) -> str:
        async with self._channel_lock:
            if self._channel is None:
                self._channel = await new_process_channel(self.layer)
            return self._channel

    async def join(self, room_id: Any, socket: RoomSocket) -> None:
        """Deliver the room's events to ``socket`` from now on."""
        await self._add(self.rooms, str(room_id), room_group(room_id), socket)

    async def leave(self, room_id: Any, socket: RoomSocket) -> None:
        await self._remove(self.rooms, str(room_id), room_group(room_id), socket)

    async def join_user(self, user_id: Any, socket: RoomSocket) -> None:
        """Deliver the events published to this user (``publish_to_user``) to ``socket``."""
        await self._add(self.users, str(user_id), user_group(user_id), socket)

    async def leave_user(self, user_id: Any, socket: RoomSocket) -> None:
        await self._remove(self.users, str(user_id), user_group(user_id), socket)

    async def _add(
        self, by_key: dict[str, set[RoomSocket]], key: str, group: str, socket: RoomSocket
    ) -> None:
        """The first socket of a key joins its group. Each group's joins and leaves take
        turns; different groups' run side by side (a join storm of 500 users is 500 user
        groups to join), at most ``LAYER_CALLS_AT_ONCE`` at a time."""
        async with self._group_locks.hold(group):
            if key not in by_key:
                await self._subscribe(group)
                by_key[key] = set()
            by_key[key].add(socket)

    async def _remove(
        self, by_key: dict[str, set[RoomSocket]], key: str, group: str, socket: RoomSocket
    ) -> None:
        async with self._group_locks.hold(group):
            sockets = by_key.get(key)
            if sockets is None:
                return
            sockets.discard(socket)
            if not sockets:
                del by_key[key]
                async with self._layer_calls:
                    await self.layer.group_discard(group, await self._channel_name())

    async def _subscribe(self, group: str) -> None:
        async with self._layer_calls:
            await self.layer.group_add(group, await self._channel_name())

    async def _listen(self) -> None:
        channel = await self._channel_name()
        await self._subscribe(ACCESS_GROUP)
        while True:
            try:
                message = await self.layer.receive(channel)
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                logger.warning("room event receive failed", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("type") == ACCESS_MESSAGE:
                await self._access_changed(message["epoch"])
                continue
            if "user" in message:
                sockets = self.users.get(message["user"])
            else:
                sockets = self.rooms.get(message.get("room", ""))
            if message.get("type") != HANDLER or not sockets:
                continue
            events: list[tuple[dict[str, Any], str]]
            if "events" in message:  # several, in order (rooms.core.live_events.bundle_message)
                events = list(zip(message["events"], message["texts"], strict=True))
            else:
                event = message["event"]
                events = [(event, message.get("text") or json.dumps(event))]
            for event, text in events:
                if "room" in message and event.get("type") in COALESCED:
                    if self._gather(message["room"], event, text):
                        continue
                await self._deliver(sockets, event, text.encode())

    async def _deliver(self, sockets: set[RoomSocket], event: dict[str, Any], frame: bytes) -> None:
        for socket in list(sockets):
            try:
                await socket.deliver(event, frame)
            except Exception:
                logger.debug("a room socket could not be sent to", exc_info=True)

    async def _access_changed(self, epoch: int) -> None:
        """Access changed somewhere (``rooms.core.access_changes``): every socket re-checks its
        own (read together, ``RoomSocket.recheck_access``) before this hub delivers the next
        event, so nothing published after the change reaches someone it took away."""
        if epoch <= self.access_epoch_checked:
            return
        sockets = {
            socket
            for by_key in (self.rooms, self.users)
            for group in by_key.values()
            for socket in group
        }
        outcomes = await asyncio.gather(
            *(socket.recheck_access() for socket in sockets), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                logger.warning("room socket access re-check failed", exc_info=outcome)
        self.access_epoch_checked = epoch

    # --- presence coalescing -------------------------------------------------------------

    def _gather(self, room: str, event: dict[str, Any], text: str) -> bool:
        """Keep a presence event for the end of the room's running tick (``True``), or, in a
        quiet room, start a tick and let the caller send it at once (``False``)."""
        gathered = self._gathered.get(room)
        if gathered is not None:
            gathered.append((event, text))
            return True
        self._start_tick(room)
        return False

    def _start_tick(self, room: str) -> None:
        self._gathered[room] = []
        tick = settings.COLLAB_PRESENCE_TICK_SECONDS
        asyncio.get_running_loop().call_later(tick, self._end_tick, room)

    def _end_tick(self, room: str) -> None:
        """Send what the tick gathered, one event as itself, several as ``presence.batch``;
        a tick that sent something starts another, so a storm goes out once per tick."""
        gathered = self._gathered.pop(room, [])
        sockets = self.rooms.get(room)
        if not gathered or not sockets:
            return
        if len(gathered) == 1:
            event, text = gathered[0]
        else:
            event = {"type": "presence.batch", "room": room, "events": [e for e, _ in gathered]}
            events = ", ".join(t for _, t in gathered)
            text = f'{{"type": "presence.batch", "room": {json.dumps(room)}, "events": [{events}]}}'
        self._start_tick(room)
        task = asyncio.get_running_loop().create_task(self._deliver(sockets, event, text.encode()))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RESUBSCRIBE_SECONDS)
            await self._subscribe(ACCESS_GROUP)
            for by_key, group_of in ((self.rooms, room_group), (self.users, user_group)):
                for key in list(by_key):
                    async with self._group_locks.hold(group_of(key)):
                        if key in by_key:  # not left meanwhile
                            await self._subscribe(group_of(key))


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub] = weakref.WeakKeyDictionary()


def get_hub() -> RoomHub:
    """The hub of the running event loop (Daphne has one; each test may have its own)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        # Its tasks outlive the socket that made it: they log under no connection's id.
        hub = _hubs[loop] = outside_any_connection(RoomHub)
    return hub
