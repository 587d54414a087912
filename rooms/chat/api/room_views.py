"""REST endpoints of the room list and one room: they compose membership (the rooms, the
caller's role) with chat (the caller's unread count in each), so they live in chat, the upper
of the two. The rules are membership's services (``rooms.membership.services.rooms``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.accounts.authentication import signed_in_user
from rooms.chat.selectors import unread_counts
from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.membership.api import serializers as s
from rooms.membership.models import Membership, Room
from rooms.membership.selectors import room_access, rooms_visible_to
from rooms.membership.services import rooms


def _room_payload(room: Room, user: Any) -> dict[str, Any]:
    room_with_count = rooms_visible_to(user=user).get(pk=room.pk)
    roles = dict(Membership.objects.filter(user=user, room=room).values_list("room_id", "role"))
    unread = unread_counts(user=user, room_ids=[room.pk])
    return dict(s.RoomSerializer(room_with_count, context={"roles": roles, "unread": unread}).data)


class RoomListView(APIView):
    @paginated_schema(s.RoomSerializer, summary="Rooms I belong to, and public ones, by name")
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)

        def context(page: list[Room]) -> dict[str, Any]:
            ids = [room.pk for room in page]
            roles = Membership.objects.filter(user=user, room_id__in=ids)
            return {
                "roles": dict(roles.values_list("room_id", "role")),
                "unread": unread_counts(user=user, room_ids=ids),
            }

        return paginated(
            request,
            rooms_visible_to(user=user),
            ordering=("name", "id"),
            serializer=s.RoomSerializer,
            context=context,
        )

    @extend_schema(request=s.RoomCreateSerializer, responses={201: s.RoomSerializer})
    def post(self, request: Request) -> Response:
        room = rooms.room_create(actor=request.user, **validated(s.RoomCreateSerializer, request))
        return Response(_room_payload(room, request.user), status=status.HTTP_201_CREATED)


class RoomDetailView(APIView):
    @extend_schema(responses=s.RoomSerializer)
    def get(self, request: Request, room_id: str) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        return Response(_room_payload(access.room, request.user))

    @extend_schema(request=s.RoomUpdateSerializer, responses=s.RoomSerializer)
    def patch(self, request: Request, room_id: str) -> Response:
        data = validated(s.RoomUpdateSerializer, request)
        archived = data.pop("is_archived", None)
        room = None
        if data or archived is None:
            room = rooms.room_update(actor=request.user, room_id=room_id, **data)
        if archived is not None:
            room = rooms.room_set_archived(actor=request.user, room_id=room_id, archived=archived)
        assert room is not None
        return Response(_room_payload(room, request.user))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: str) -> Response:
        rooms.room_delete(actor=request.user, room_id=room_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
