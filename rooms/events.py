"""Live events of a room: their channel-layer group, how they are published, and the schema
of every event the room socket (``/ws/rooms/{room_id}``) sends.

Services publish an event once the transaction that made it has committed; every process
with a member of the room connected receives it through the channel layer group and hands
it to its sockets as one JSON text frame. ``SCHEMAS`` is the contract: one JSON Schema per
server-to-client event ``type``; the tests validate every emitted event against it.
"""

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

# The channel-layer message of a room event (see rooms.room_hub):
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
    ``texts`` instead of ``event`` and ``text`` (``rooms.room_hub`` unpacks it)."""
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


# --- Schemas ---------------------------------------------------------------------------
# Building blocks shared by several events.

# A person as the REST API shows one (collab.serializers.user_summary).
USER = {
    "type": "object",
    "required": ["id", "username", "display_name", "color"],
    "properties": {
        "id": {"type": "integer"},
        "username": {"type": "string"},
        "display_name": {"type": "string"},
        "color": {"type": "string"},
    },
    "additionalProperties": False,
}


def event_schema(
    event_type: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """The schema of one event: its ``type`` constant plus its own fields."""
    return {
        "type": "object",
        "required": ["type", *required],
        "properties": {"type": {"const": event_type}, **properties},
        "additionalProperties": False,
    }


# One entry per server-to-client event type. Chat and presence add theirs below.
SCHEMAS: dict[str, dict[str, Any]] = {
    "error": event_schema(
        "error",
        {
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "client_id": {"type": ["string", "null"]},
        },
        ["code", "detail"],
    ),
}

# --- Presence events (built in presence/events.py) ----------------------------------------
# ``presence.snapshot`` goes to a socket as it joins; the others to the room's group.

_PRESENCE_ROOM = {"type": "string", "format": "uuid"}
PRESENCE_STATUS = {"enum": ["online", "away"]}
PRESENCE_VIEWING = {"type": ["string", "null"], "format": "uuid"}
PRESENCE_SEEN_AT = {"type": "string", "format": "date-time"}
PRESENCE_MEMBER = {
    "type": "object",
    "required": ["user", "status", "viewing", "connections"],
    "properties": {
        "user": USER,
        "status": PRESENCE_STATUS,
        "viewing": PRESENCE_VIEWING,
        "connections": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}
PRESENCE_LAST_SEEN = {
    "type": "object",
    "required": ["user", "seen_at"],
    "properties": {"user": USER, "seen_at": PRESENCE_SEEN_AT},
    "additionalProperties": False,
}
_PRESENCE_STATE = {
    "room": _PRESENCE_ROOM,
    "user": USER,
    "status": PRESENCE_STATUS,
    "viewing": PRESENCE_VIEWING,
}

SCHEMAS["presence.snapshot"] = event_schema(
    "presence.snapshot",
    {
        "room": _PRESENCE_ROOM,
        "members": {"type": "array", "items": PRESENCE_MEMBER},
        # Those not here now, most recently seen first (at most 100).
        "last_seen": {"type": "array", "items": PRESENCE_LAST_SEEN},
    },
    ["room", "members", "last_seen"],
)
# A user's first connection in the room.
SCHEMAS["presence.join"] = event_schema("presence.join", _PRESENCE_STATE, list(_PRESENCE_STATE))
# What others see of a user still here changed: status (online if any of their connections
# is) or the document viewed (the one they most recently chose).
SCHEMAS["presence.update"] = event_schema("presence.update", _PRESENCE_STATE, list(_PRESENCE_STATE))
# A user's last connection closed or expired; ``seen_at`` is when they were last here.
SCHEMAS["presence.leave"] = event_schema(
    "presence.leave",
    {"room": _PRESENCE_ROOM, "user": USER, "seen_at": PRESENCE_SEEN_AT},
    ["room", "user", "seen_at"],
)

# Several presence events of one room sent as one frame, in the order they happened: the
# room hub coalesces them when they come in bursts (``COLLAB_PRESENCE_TICK_SECONDS``).
SCHEMAS["presence.batch"] = event_schema(
    "presence.batch",
    {
        "room": _PRESENCE_ROOM,
        "events": {
            "type": "array",
            "minItems": 2,
            "items": {
                "oneOf": [
                    SCHEMAS["presence.join"],
                    SCHEMAS["presence.update"],
                    SCHEMAS["presence.leave"],
                ]
            },
        },
    },
    ["room", "events"],
)

# --- Chat events (built in rooms/services/chat_events.py) ------------------------------
# A message is the REST API's MessageSerializer shape, so both transports agree.

MESSAGE_AUTHOR = USER

REACTIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["emoji", "count", "user_ids"],
        "properties": {
            "emoji": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 1},
            "user_ids": {"type": "array", "items": {"type": "integer"}},
        },
        "additionalProperties": False,
    },
}

MESSAGE = {
    "type": "object",
    "required": [
        "id",
        "room",
        "author",
        "kind",
        "body",
        "body_html",
        "parent",
        "reply_count",
        "attachment",
        "client_id",
        "created_at",
        "edited_at",
        "deleted_at",
        "reactions",
    ],
    "properties": {
        "id": {"type": "integer"},
        "room": {"type": "string", "format": "uuid"},
        "author": {"oneOf": [{"type": "null"}, MESSAGE_AUTHOR]},
        "kind": {"enum": ["text", "system", "file"]},
        "body": {"type": "string"},
        "body_html": {"type": "string"},
        "parent": {"type": ["integer", "null"]},
        "reply_count": {"type": "integer", "minimum": 0},
        "attachment": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "filename", "content_type", "size", "url"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "filename": {"type": "string"},
                        "content_type": {"type": "string"},
                        "size": {"type": "integer", "minimum": 0},
                        "url": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "client_id": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "edited_at": {"type": ["string", "null"], "format": "date-time"},
        "deleted_at": {"type": ["string", "null"], "format": "date-time"},
        "reactions": REACTIONS,
    },
    "additionalProperties": False,
}

_REACTION_FIELDS = {
    "room": {"type": "string", "format": "uuid"},
    "message_id": {"type": "integer"},
    "emoji": {"type": "string", "minLength": 1},
    "user_id": {"type": "integer"},
    "reactions": REACTIONS,
}

SCHEMAS["message.new"] = event_schema(
    "message.new",
    {
        "message": MESSAGE,
        # For a thread reply, the root's reply count after it; null for a top-level message.
        "parent_reply_count": {"type": ["integer", "null"], "minimum": 1},
    },
    ["message", "parent_reply_count"],
)
SCHEMAS["message.edited"] = event_schema("message.edited", {"message": MESSAGE}, ["message"])
# The tombstone: body, body_html and attachment emptied, deleted_at set, reactions gone.
SCHEMAS["message.deleted"] = event_schema("message.deleted", {"message": MESSAGE}, ["message"])
# Each carries the message's reactions after the change.
SCHEMAS["reaction.added"] = event_schema("reaction.added", _REACTION_FIELDS, list(_REACTION_FIELDS))
SCHEMAS["reaction.removed"] = event_schema(
    "reaction.removed", _REACTION_FIELDS, list(_REACTION_FIELDS)
)
# For one member only (``user_id``): the socket forwards it to that user's connections alone.
SCHEMAS["unread"] = event_schema(
    "unread",
    {
        "room": {"type": "string", "format": "uuid"},
        "user_id": {"type": "integer"},
        "last_read_message_id": {"type": ["integer", "null"]},
        "count": {"type": "integer", "minimum": 0},
    },
    ["room", "user_id", "last_read_message_id", "count"],
)
# Sent by the room socket to a connection that just joined (not published to the group):
# the newest messages, oldest first; has_more: older ones exist (rooms/{id}/messages?before=).
SCHEMAS["message.history"] = event_schema(
    "message.history",
    {"messages": {"type": "array", "items": MESSAGE}, "has_more": {"type": "boolean"}},
    ["messages", "has_more"],
)
# Someone is typing: never stored, throttled by the room socket; clients hide it expires_in
# seconds after the last one (the socket does not forward a user's own).
SCHEMAS["typing"] = event_schema(
    "typing",
    {
        "room": {"type": "string", "format": "uuid"},
        "user": USER,
        "expires_in": {"type": "integer", "minimum": 1},
    },
    ["room", "user", "expires_in"],
)

# --- Notification events (built in rooms/services/notification_events.py) -------------------
# Published to the user's group (``publish_to_user``): every room socket of that user gets
# them, whatever its room.

NOTIFICATION = {
    "type": "object",
    "required": [
        "id",
        "kind",
        "actor",
        "room",
        "document",
        "message_id",
        "excerpt",
        "data",
        "url",
        "created_at",
        "read_at",
    ],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"enum": ["mention", "reply", "invite", "document_shared", "webhook_disabled"]},
        "actor": {"oneOf": [{"type": "null"}, USER]},
        "room": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "document": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "title"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "title": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "message_id": {"type": ["integer", "null"]},
        "excerpt": {"type": "string"},
        "data": {"type": "object"},
        "url": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "read_at": {"type": ["string", "null"], "format": "date-time"},
    },
    "additionalProperties": False,
}
# A new notification for the user of this socket.
SCHEMAS["notification"] = event_schema(
    "notification", {"notification": NOTIFICATION}, ["notification"]
)
# The user's unread notification count changed (a new one, or some marked read): the bell.
SCHEMAS["notifications.unread"] = event_schema(
    "notifications.unread",
    {"user_id": {"type": "integer"}, "count": {"type": "integer", "minimum": 0}},
    ["user_id", "count"],
)
