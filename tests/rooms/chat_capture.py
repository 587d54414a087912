"""Listening to a room's events as its sockets would: a channel of the per-test in-memory
channel layer joined to the room's group. Every event read is checked against its schema."""

from __future__ import annotations

from typing import Any

import jsonschema
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from rooms.core.live_events import HANDLER, room_group
from rooms.room_socket.schemas import SCHEMAS

_MARKER = "test.marker"


def assert_matches_schema(event: dict[str, Any]) -> None:
    """Raise unless ``event`` has a known type and matches that type's schema."""
    assert event.get("type") in SCHEMAS, event
    jsonschema.validate(event, SCHEMAS[event["type"]], format_checker=jsonschema.FormatChecker())


class RoomEvents:
    """The events published to one room, read in order."""

    def __init__(self, room_id: Any) -> None:
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(room_group(room_id), self.channel)

    def published(self) -> list[dict[str, Any]]:
        """Every event published since the last call, each checked against its schema.

        A marker sent to our own channel after the events ends the read: the in-memory
        layer queues in order, so everything published before it is read, and nothing waits.
        """
        async_to_sync(self.layer.send)(self.channel, {"type": _MARKER})
        events = []
        while True:
            message = async_to_sync(self.layer.receive)(self.channel)
            if message["type"] == _MARKER:
                return events
            assert message["type"] == HANDLER, message
            assert_matches_schema(message["event"])
            events.append(message["event"])

    def types(self) -> list[str]:
        return [event["type"] for event in self.published()]
