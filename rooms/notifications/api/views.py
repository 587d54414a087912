"""REST endpoints of notifications (list, unread count, mark read), the caller's own
preferences for a room (mute), and sharing a document. Thin: each calls one service."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.accounts.authentication import signed_in_user
from rooms.core.pagination import PAGE_PARAMETERS, paginated
from rooms.core.serializers import user_summary, validated
from rooms.documents.services.sharing import document_share
from rooms.notifications.api import serializers as s
from rooms.notifications.services.notifications import (
    membership_set_muted,
    notification_mark_all_read,
    notification_mark_read,
    notifications_for,
    notifications_unread_count,
)


class NotificationListView(APIView):
    @extend_schema(
        parameters=[*PAGE_PARAMETERS, s.NotificationListQuerySerializer],
        responses=s.NotificationPageSerializer,
        summary="The caller's notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        query = s.NotificationListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        listed = notifications_for(
            user=request.user, unread_only=query.validated_data.get("unread", False)
        )
        # ids grow with creation time: newest first, and a stable cursor
        response = paginated(
            request, listed, ordering=("-id",), serializer=s.NotificationSerializer
        )
        response.data["unread_count"] = notifications_unread_count(
            user_id=signed_in_user(request).pk
        )
        return response


class NotificationUnreadCountView(APIView):
    @extend_schema(responses=s.UnreadCountSerializer, summary="How many are unread (the bell)")
    def get(self, request: Request) -> Response:
        return Response(
            {"unread_count": notifications_unread_count(user_id=signed_in_user(request).pk)}
        )


class NotificationDetailView(APIView):
    @extend_schema(
        request=s.NotificationUpdateSerializer,
        responses=s.NotificationSerializer,
        summary="Mark one notification read",
    )
    def patch(self, request: Request, notification_id: str) -> Response:
        validated(s.NotificationUpdateSerializer, request)
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
        return Response(s.NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=s.MarkedSerializer, summary="Mark all read")
    def post(self, request: Request) -> Response:
        marked = notification_mark_all_read(user=request.user)
        return Response({"marked": marked.marked, "unread_count": marked.unread})


class MembershipPreferencesView(APIView):
    @extend_schema(
        request=s.MembershipPreferencesSerializer,
        responses=s.MembershipStateSerializer,
        summary="Mute or unmute a room for oneself",
    )
    def patch(self, request: Request, room_id: str) -> Response:
        data = validated(s.MembershipPreferencesSerializer, request)
        membership = membership_set_muted(actor=request.user, room_id=room_id, muted=data["muted"])
        return Response(s.MembershipStateSerializer(membership).data)


class DocumentShareView(APIView):
    @extend_schema(
        request=s.DocumentShareSerializer,
        responses=s.DocumentSharedSerializer,
        summary="Share a document with someone (a notification linking to it)",
        description=(
            "Editors and owners share with anyone who can read the document already; only "
            "owners share with someone outside a private room, who joins it as a viewer."
        ),
    )
    def post(self, request: Request, document_id: str) -> Response:
        data = validated(s.DocumentShareSerializer, request)
        shared = document_share(
            actor=request.user, document_id=document_id, username=data["username"]
        )
        body: dict[str, Any] = {
            "user": user_summary(shared.user),
            "notified": shared.notified,
            "added_to_room": shared.added_to_room,
            "url": reverse(
                "room-document",
                kwargs={"room_id": shared.document.room_id, "document_id": shared.document.pk},
            ),
        }
        return Response(body)
