"""Live events of a room or a user: their channel-layer groups and how they are published.

Services publish an event once the transaction that made it has committed; every process
with a member of the room connected receives it through the channel layer group and hands
it to its sockets as one JSON text frame (``rooms.room_socket.hub``)."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

# The channel-layer message of a room event (see rooms.room_socket.hub):
# {"type": HANDLER, "room": room id, "event": {...}, "text": the event as JSON}, or of several
# in order: "events" and "texts" instead (``bundle_message``).
HANDLER = "room.event"


def room_group(room_id: Any) -> str:
    """The channel-layer group of everyone connected to a room."""
    return f"room.{room_id}"


def _message(event: dict[str, Any], *, to: str, key: Any) -> dict[str, Any]:
    """The layer message of an event for a room's (``to="room"``) or a user's sockets.
    Serialized once here, not once per receiving socket."""
    return {"type": HANDLER, to: str(key), "event": event, "text": json.dumps(event)}


def publish(room_id: Any, event: dict[str, Any]) -> None:
    """Send ``event`` to the room's sockets once the current transaction commits (at once
    outside a transaction). Callable from sync code only."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            message = _message(event, to="room", key=room_id)
            async_to_sync(layer.group_send)(room_group(room_id), message)

    transaction.on_commit(send)


# The most events one layer message carries (``_Outbox``).
BUNDLE_MAX = 100


@dataclass
class _Outbox:
    """This event loop's events waiting for ``publish_now``, each with its caller's future,
    and the task sending them."""

    waiting: list[tuple[str, dict[str, Any], asyncio.Future[None]]] = field(default_factory=list)
    sending: asyncio.Task[None] | None = None

    async def send(self) -> None:
        """Send what waits, in order, until nothing does: the events that arrived during one
        send go out together, one layer message per room (``bundle_message``)."""
        batch: list[tuple[str, dict[str, Any], asyncio.Future[None]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                by_room: dict[str, list[tuple[dict[str, Any], asyncio.Future[None]]]] = {}
                for room, event, future in batch:
                    by_room.setdefault(room, []).append((event, future))
                for room, queued in by_room.items():
                    for start in range(0, len(queued), BUNDLE_MAX):
                        await self._send_room(room, queued[start : start + BUNDLE_MAX])
        except BaseException:  # cancelled (the loop is stopping): nobody may wait forever
            for _, _, future in (*batch, *self.waiting):
                future.cancel()
            raise
        finally:
            self.sending = None

    async def _send_room(
        self, room: str, queued: list[tuple[dict[str, Any], asyncio.Future[None]]]
    ) -> None:
        events = [event for event, _ in queued]
        message = (
            _message(events[0], to="room", key=room)
            if len(events) == 1
            else bundle_message(room, events)
        )
        error: Exception | None = None
        try:
            layer = get_channel_layer()
            if layer is not None:
                await layer.group_send(room_group(room), message)
        except Exception as failed:
            error = failed
        for _, future in queued:
            if future.done():
                continue
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)


def bundle_message(room: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The layer message of several events of a room, in order: ``events`` and their
    ``texts`` instead of ``event`` and ``text`` (``rooms.room_socket.hub`` unpacks it)."""
    return {
        "type": HANDLER,
        "room": room,
        "events": events,
        "texts": [json.dumps(event) for event in events],
    }


_outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Outbox] = (
    weakref.WeakKeyDictionary()
)


async def publish_now(room_id: Any, event: dict[str, Any]) -> None:
    """Send ``event`` to the room's sockets now, from async code: for what has nothing to
    commit first (typing, presence), without the thread hop of ``publish``. Returns once it
    is sent; raises the channel layer's error.

    In the order they were called per event loop, one send at a time: the events published
    while a send is under way go out after it, together (a join storm's 500
    ``presence.join`` events take a few layer messages, not 500 round trips each)."""
    loop = asyncio.get_running_loop()
    outbox = _outboxes.get(loop)
    if outbox is None:
        outbox = _outboxes[loop] = _Outbox()
    future: asyncio.Future[None] = loop.create_future()
    outbox.waiting.append((str(room_id), event, future))
    if outbox.sending is None:
        outbox.sending = loop.create_task(outbox.send())
    await future


def user_group(user_id: Any) -> str:
    """The channel-layer group of every process holding a room socket of a user."""
    return f"user.{user_id}"


def publish_to_user(user_id: Any, build: Callable[[], list[dict[str, Any]]]) -> None:
    """Send the events ``build()`` returns to every open room socket of a user, in any room,
    once the current transaction commits (built then, so they show the committed state).
    Callable from sync code only; the message carries ``"user"`` instead of ``"room"``."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        for event in build():
            message = _message(event, to="user", key=user_id)
            async_to_sync(layer.group_send)(user_group(user_id), message)

    transaction.on_commit(send)


def publish_to_users(build: Callable[[], list[tuple[Any, dict[str, Any]]]]) -> None:
    """Send each ``(user id, event)`` that ``build()`` returns to that user's sockets once the
    current transaction commits (built then): one event for each of many people (a room's
    members' unread counts), sent side by side in one trip to the event loop."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        messages = [
            (user_id, _message(event, to="user", key=user_id)) for user_id, event in build()
        ]
        if not messages:
            return

        async def send_all() -> None:
            await asyncio.gather(
                *(layer.group_send(user_group(user), message) for user, message in messages)
            )

        async_to_sync(send_all)()

    transaction.on_commit(send)
