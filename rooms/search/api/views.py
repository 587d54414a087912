"""REST endpoint of room search: one call finds the room's documents and messages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.search.api import serializers as s
from rooms.search.services import room_search


class RoomSearchView(APIView):
    @extend_schema(
        parameters=[s.RoomSearchQuerySerializer],
        responses=s.RoomSearchResultSerializer,
        operation_id="rooms_search",
        summary="Search this room's documents, messages and comments",
        description="Anyone who may read the room may search it. Documents come best match "
        "first (PostgreSQL) or most recently edited first, at most 20; messages and "
        "comments newest first, at most 20 each. 400 with `fields.q` (`blank`, `required`, "
        "`max_length` past 200 characters) for a bad query; 404 (`room_not_found`) for a "
        "room you may not read.",
    )
    def get(self, request: Request, room_id: str) -> Response:
        query = s.RoomSearchQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        result = room_search(user=request.user, room_id=room_id, query=query.validated_data["q"])
        return Response(s.RoomSearchResultSerializer(result).data)
