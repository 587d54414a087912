"""How a room's member looks to clients: a plain function the REST API's ``MemberSerializer``
returns, so every caller shows a member the same way."""

from __future__ import annotations

from typing import Any

from rooms.core.serializers import json_datetime, user_summary
from rooms.membership.models import Membership


def member_payload(membership: Membership) -> dict[str, Any]:
    """A member: who, with which role, since when."""
    return {
        "user": user_summary(membership.user),
        "role": str(membership.role),
        "joined_at": json_datetime(membership.joined_at),
    }
