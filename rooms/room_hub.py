"""The room sockets of this process, and how a room's events reach them.

A room's events are published to its channel-layer group (``rooms.events``). Each process
joins that group once, with one channel of its own, while it has a socket in the room, and
writes each event to its local sockets of the room itself: an event crosses the layer once per
process and is serialized once, not once per socket (DESIGN.md, "Known traps": a channel per
socket costs a layer round trip and a parse per socket per event).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from typing import Any, Protocol

from channels.layers import get_channel_layer

from rooms.events import HANDLER, room_group

logger = logging.getLogger(__name__)

# channels-redis forgets a group membership after a day: renew well before.
RESUBSCRIBE_SECONDS = 3600.0


class RoomSocket(Protocol):
    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        """Write one event (``frame`` is its JSON, UTF-8) if it is meant for this socket."""


class RoomHub:
    """This event loop's room sockets, by room."""

    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.rooms: dict[str, set[RoomSocket]] = {}
        self._channel: str | None = None
        self._lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._renew())]

    async def _channel_name(self) -> str:
        if self._channel is None:
            self._channel = await self.layer.new_channel(prefix="rooms.")
        return self._channel

    async def join(self, room_id: Any, socket: RoomSocket) -> None:
        """Deliver the room's events to ``socket`` from now on."""
        key = str(room_id)
        async with self._lock:
            if key not in self.rooms:
                await self.layer.group_add(room_group(key), await self._channel_name())
                self.rooms[key] = set()
            self.rooms[key].add(socket)

    async def leave(self, room_id: Any, socket: RoomSocket) -> None:
        key = str(room_id)
        async with self._lock:
            sockets = self.rooms.get(key)
            if sockets is None:
                return
            sockets.discard(socket)
            if not sockets:
                del self.rooms[key]
                await self.layer.group_discard(room_group(key), await self._channel_name())

    async def publish(self, room_id: Any, event: dict[str, Any]) -> None:
        """Send an event that is stored nowhere (typing) to the room, on every process."""
        message = {"type": HANDLER, "room": str(room_id), "event": event, "text": json.dumps(event)}
        await self.layer.group_send(room_group(room_id), message)

    async def _listen(self) -> None:
        channel = await self._channel_name()
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
            sockets = self.rooms.get(message.get("room", ""))
            if message.get("type") != HANDLER or not sockets:
                continue
            event = message["event"]
            frame = (message.get("text") or json.dumps(event)).encode()
            for socket in list(sockets):
                try:
                    await socket.deliver(event, frame)
                except Exception:
                    logger.debug("a room socket could not be sent to", exc_info=True)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RESUBSCRIBE_SECONDS)
            async with self._lock:
                for key in self.rooms:
                    await self.layer.group_add(room_group(key), await self._channel_name())


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub] = (
    weakref.WeakKeyDictionary()
)


def get_hub() -> RoomHub:
    """The hub of the running event loop (Daphne has one; each test may have its own)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = RoomHub()
    return hub
