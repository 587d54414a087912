"""The payloads of the ``presence.*`` events of the room socket, built in one place.

Their JSON Schemas are in ``rooms.events.SCHEMAS``. Users appear as ``rooms.events.USER``:
id, username, and the name and colour others see — the summaries ``presence.summaries``
keeps, passed in here as plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from presence.registry import Change, MemberState


@dataclass(frozen=True)
class PresentMember:
    """Someone in the room now."""

    user: dict[str, Any]  # collab.serializers.user_summary
    state: MemberState


@dataclass(frozen=True)
class AbsentMember:
    """Someone who was in the room and is not now."""

    user: dict[str, Any]  # collab.serializers.user_summary
    seen_at: datetime


def member_payload(member: PresentMember) -> dict[str, Any]:
    return {
        "user": member.user,
        "status": member.state.status,
        "viewing": member.state.viewing,
        "connections": member.state.connections,
    }


def last_seen_payload(member: AbsentMember) -> dict[str, Any]:
    return {"user": member.user, "seen_at": member.seen_at.isoformat()}


def snapshot_event(
    room_id: str, present: list[PresentMember], absent: list[AbsentMember]
) -> dict[str, Any]:
    """``presence.snapshot``: who is here now, and when those who left were last here."""
    return {
        "type": "presence.snapshot",
        "room": room_id,
        "members": [member_payload(member) for member in present],
        "last_seen": [last_seen_payload(member) for member in absent],
    }


def change_event(change: Change, user: dict[str, Any], seen_at: datetime) -> dict[str, Any] | None:
    """The event announcing ``change``: ``presence.join`` for a user's first connection,
    ``presence.leave`` after their last, ``presence.update`` when their status or viewing
    changed, ``None`` when others see no difference (another tab of someone present)."""
    if change.left:
        return {
            "type": "presence.leave",
            "room": change.room_id,
            "user": user,
            "seen_at": seen_at.isoformat(),
        }
    if change.after is None or not (change.joined or change.updated):
        return None
    return {
        "type": "presence.join" if change.joined else "presence.update",
        "room": change.room_id,
        "user": user,
        "status": change.after.status,
        "viewing": change.after.viewing,
    }
