"""The live events of rooms and their members, built in one place from the payloads the REST
API returns (``rooms.membership.payloads``). Their schemas are in
``rooms.room_socket.schemas``; ``rooms.room_socket.receivers`` publishes them.

``member.*`` events go to the room's group (everyone with the room open); ``room.*`` events
go to one person's group (their room list, ``/ws/me``)."""

from __future__ import annotations

from typing import Any

from rooms.core.serializers import user_summary
from rooms.membership.models import Membership
from rooms.membership.payloads import member_payload


def member_event(event_type: str, membership: Membership) -> dict[str, Any]:
    """``member.joined`` or ``member.updated`` (a new role): the member as the REST API's
    members list shows them."""
    return {
        "type": event_type,
        "room": str(membership.room_id),
        "member": member_payload(membership),
    }


def member_left_event(*, room_id: Any, user: Any) -> dict[str, Any]:
    """``member.left``: ``user`` left the room or was removed from it."""
    return {"type": "member.left", "room": str(room_id), "user": user_summary(user)}


def room_event(event_type: str, room: dict[str, Any]) -> dict[str, Any]:
    """``room.joined`` or ``room.updated`` for one person: ``room`` is
    ``rooms.membership.payloads.room_payload`` as they see it."""
    return {"type": event_type, "room": room}


def room_left_event(*, room_id: Any) -> dict[str, Any]:
    """``room.left`` for one person: they are no longer a member (they left, were removed, or
    the room was deleted)."""
    return {"type": "room.left", "room": str(room_id)}
