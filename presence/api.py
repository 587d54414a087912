"""REST endpoint of presence: ``GET /api/v1/rooms/{id}/presence``.

Users appear as everywhere else in the REST API (``UserSummarySerializer``: ``display_name``);
the room socket's events use ``rooms.room_socket.schemas.USER`` (``name``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from presence.registry_interface import STATUSES
from presence.selectors import LAST_SEEN_LIMIT, room_presence
from rooms.core.serializers import UserSummarySerializer


class PresentMemberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    user = UserSummarySerializer(read_only=True)
    status = serializers.ChoiceField(
        choices=STATUSES,
        source="state.status",
        read_only=True,
        help_text="Online if any of the user's connections is.",
    )
    viewing = serializers.UUIDField(
        source="state.viewing",
        read_only=True,
        allow_null=True,
        help_text="The document the user most recently chose to view; null for none.",
    )
    connections = serializers.IntegerField(
        source="state.connections", read_only=True, help_text="The user's open connections."
    )


class LastSeenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    user = UserSummarySerializer(read_only=True)
    seen_at = serializers.DateTimeField(read_only=True)


class RoomPresenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    members = PresentMemberSerializer(
        source="present", many=True, read_only=True, help_text="Who is in the room now."
    )
    last_seen = LastSeenSerializer(
        source="absent",
        many=True,
        read_only=True,
        help_text=f"Those not here now, most recently seen first (at most {LAST_SEEN_LIMIT}).",
    )


class RoomPresenceView(APIView):
    @extend_schema(
        responses=RoomPresenceSerializer,
        summary="Who is in the room now, and when others were last there",
    )
    def get(self, request: Request, room_id: str) -> Response:
        presence = room_presence(user=request.user, room_id=room_id)
        return Response(RoomPresenceSerializer(presence).data)
