"""The payloads of the ``presence.*`` events of the room socket, built in one place.

Their JSON Schemas are in ``rooms.events.SCHEMAS``. Users appear as ``rooms.events.USER``:
id, username, and the name and colour others see — the summaries ``presence.summaries``
keeps, passed in here as plain dicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from presence.registry_interface import Change, MemberState


@dataclass(frozen=True)
class PresentMember:
    """Someone in the room now."""

    user: dict[str, Any]  # rooms.core.serializers.user_summary
    state: MemberState


@dataclass(frozen=True)
class AbsentMember:
    """Someone who was in the room and is not now."""

    user: dict[str, Any]  # rooms.core.serializers.user_summary
    seen_at: datetime


# Each present user's payload with its JSON, by user id, while their summary (the same dict
# ``presence.summaries`` keeps) and state stay the same: in a join storm every joiner's
# snapshot lists every member, so each member is built and encoded once, not once per joiner.
_payloads: dict[int, tuple[dict[str, Any], MemberState, dict[str, Any], str]] = {}
PAYLOADS_KEPT = 20_000


def member_payload(member: PresentMember) -> dict[str, Any]:
    return _member_entry(member)[2]


def _member_entry(member: PresentMember) -> tuple[dict[str, Any], MemberState, dict[str, Any], str]:
    user_id = member.user["id"]
    kept = _payloads.get(user_id)
    if kept is not None and kept[0] is member.user and kept[1] == member.state:
        return kept
    payload = {
        "user": member.user,
        "status": member.state.status,
        "viewing": member.state.viewing,
        "connections": member.state.connections,
    }
    if len(_payloads) >= PAYLOADS_KEPT:
        _payloads.clear()
    entry = _payloads[user_id] = (member.user, member.state, payload, json.dumps(payload))
    return entry


def snapshot_json(event: dict[str, Any]) -> str:
    """``json.dumps`` of a ``snapshot_event``, with its members' JSON reused from when their
    payloads were built (``member_payload``)."""
    members = []
    for payload in event["members"]:
        kept = _payloads.get(payload["user"]["id"])
        members.append(kept[3] if kept is not None and kept[2] is payload else json.dumps(payload))
    rest = json.dumps({key: value for key, value in event.items() if key != "members"})
    return f'{rest[:-1]}, "members": [{", ".join(members)}]}}'


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
