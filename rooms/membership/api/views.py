"""REST endpoints of rooms, members and invites.

Each view parses its input with a serializer, calls one service or selector, and renders the
result; permission rules live in the services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.errors import NotFound
from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.membership.api import serializers as s
from rooms.membership.models import Invite, Role
from rooms.membership.permissions import require_inviter
from rooms.membership.selectors import invite_by_token, room_access, room_members
from rooms.membership.services import invites, members, rooms


class RoomJoinView(APIView):
    @extend_schema(request=None, responses={201: s.MemberSerializer}, summary="Join a public room")
    def post(self, request: Request, room_id: str) -> Response:
        membership = rooms.room_join(actor=request.user, room_id=room_id)
        return Response(s.MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberListView(APIView):
    @paginated_schema(s.MemberSerializer, summary="The room's members, in the order they joined")
    def get(self, request: Request, room_id: str) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        return paginated(
            request,
            room_members(room=access.room),
            ordering=("joined_at", "id"),
            serializer=s.MemberSerializer,
        )

    @extend_schema(request=s.MemberAddSerializer, responses={201: s.MemberSerializer})
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.MemberAddSerializer, request)
        membership = members.member_add(
            actor=request.user, room_id=room_id, username=data["username"], role=Role(data["role"])
        )
        return Response(s.MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    @extend_schema(request=s.MemberRoleSerializer, responses=s.MemberSerializer)
    def patch(self, request: Request, room_id: str, user_id: int) -> Response:
        data = validated(s.MemberRoleSerializer, request)
        membership = members.member_change_role(
            actor=request.user, room_id=room_id, user_id=user_id, role=Role(data["role"])
        )
        return Response(s.MemberSerializer(membership).data)

    @extend_schema(request=None, responses={204: None}, summary="Remove a member, or leave")
    def delete(self, request: Request, room_id: str, user_id: int) -> Response:
        members.member_remove(actor=request.user, room_id=room_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteListView(APIView):
    @paginated_schema(s.InviteSerializer, summary="The room's live invites, newest first")
    def get(self, request: Request, room_id: str) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        require_inviter(access)
        live = Invite.objects.filter(room=access.room, revoked_at=None).select_related(
            "created_by", "created_by__profile"
        )
        return paginated(
            request, live, ordering=("-created_at", "-id"), serializer=s.InviteSerializer
        )

    @extend_schema(request=s.InviteCreateSerializer, responses={201: s.InviteSerializer})
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.InviteCreateSerializer, request)
        ttl = data.get("expires_in_seconds", settings.COLLAB_INVITE_DEFAULT_TTL_SECONDS)
        invite = invites.invite_create(
            actor=request.user,
            room_id=room_id,
            role=Role(data["role"]),
            expires_in=timedelta(seconds=ttl) if ttl is not None else None,
            max_uses=data.get("max_uses"),
        )
        return Response(s.InviteSerializer(invite).data, status=status.HTTP_201_CREATED)


class InviteDetailView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke an invite")
    def delete(self, request: Request, room_id: str, invite_id: int) -> Response:
        invites.invite_revoke(actor=request.user, room_id=room_id, invite_id=invite_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitePreviewView(APIView):
    @extend_schema(responses=s.InvitePreviewSerializer, summary="What an invite link leads to")
    def get(self, request: Request, token: str) -> Response:
        invite = invite_by_token(token=token)
        if invite is None:
            raise NotFound("This invite does not exist or was revoked.", code="invite_not_found")
        return Response(s.InvitePreviewSerializer(invite).data)


class InviteAcceptView(APIView):
    @extend_schema(request=None, responses={200: s.MemberSerializer})
    def post(self, request: Request, token: str) -> Response:
        membership = invites.invite_accept(actor=request.user, token=token)
        return Response(s.MemberSerializer(membership).data)
