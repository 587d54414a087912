"""REST endpoints of the room chat: messages, threads, edits, reactions, read state,
attachments and search.

Each view parses its input, calls one service or selector and renders the result with the
same ``MessageSerializer`` the room socket's events use; the rules live in the services.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.chat.api import serializers as s
from rooms.chat.models import Message
from rooms.chat.selectors import (
    attachment_for_download,
    message_edit_history,
    message_in_room,
    message_search,
    room_messages,
    thread_replies,
)
from rooms.chat.services import attachments, messages, reactions, read_state
from rooms.core.errors import NotFound
from rooms.core.serializers import StrictSerializer, validated
from rooms.core.uploads import declared_file_bytes
from rooms.membership.selectors import room_access

logger = logging.getLogger(__name__)


class MessagePagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class ThreadPagination(MessagePagination):
    ordering = "id"


def _paginated(view: APIView, request: Request, queryset: Any, paginator: Any) -> Response:
    page = paginator.paginate_queryset(queryset, request, view=view)
    response: Response = paginator.get_paginated_response(s.MessageSerializer(page, many=True).data)
    return response


def _message_response(message: Message, *, created: bool = False) -> Response:
    return Response(
        s.MessageSerializer(message).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


def _query(serializer_class: type[StrictSerializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MessageListView(APIView):
    @extend_schema(
        parameters=[s.MessageListQuerySerializer],
        responses=s.MessagePageSerializer,
        operation_id="rooms_messages_list",
        summary="Messages, newest first",
    )
    def get(self, request: Request, room_id: str) -> Response:
        query = _query(s.MessageListQuerySerializer, request)
        access = room_access(user=request.user, room_id=room_id)
        listed = room_messages(room=access.room)
        if "before" in query:
            listed = listed.filter(id__lt=query["before"])
        if query["top_level"]:
            listed = listed.filter(parent=None)
        return _paginated(self, request, listed, MessagePagination())

    @extend_schema(
        request=s.MessageCreateSerializer,
        responses={201: s.MessageSerializer, 200: s.MessageSerializer},
        description="Re-sending with the same client_id returns the first message (200).",
    )
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.MessageCreateSerializer, request)
        message, created = messages.message_send(
            actor=request.user,
            room_id=room_id,
            body=data["body"],
            parent_id=data.get("parent"),
            client_id=data.get("client_id", ""),
        )
        return _message_response(message, created=created)


class MessageDetailView(APIView):
    @extend_schema(responses=s.MessageSerializer)
    def get(self, request: Request, room_id: str, message_id: int) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        message = message_in_room(room=access.room, message_id=message_id)
        return Response(s.MessageSerializer(message).data)

    @extend_schema(
        request=s.MessageUpdateSerializer,
        responses=s.MessageSerializer,
        summary="Edit one's own message",
    )
    def patch(self, request: Request, room_id: str, message_id: int) -> Response:
        data = validated(s.MessageUpdateSerializer, request)
        message = messages.message_edit(
            actor=request.user, room_id=room_id, message_id=message_id, body=data["body"]
        )
        return _message_response(message)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete a message (its author or a room owner); a tombstone stays",
    )
    def delete(self, request: Request, room_id: str, message_id: int) -> Response:
        messages.message_delete(actor=request.user, room_id=room_id, message_id=message_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageEditListView(APIView):
    @extend_schema(
        responses=s.MessageEditSerializer(many=True), summary="A message's earlier bodies"
    )
    def get(self, request: Request, room_id: str, message_id: int) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        edits = message_edit_history(room=access.room, message_id=message_id)
        return Response(s.MessageEditSerializer(edits, many=True).data)


class ThreadReplyListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("cursor", str), OpenApiParameter("limit", int)],
        responses=s.MessagePageSerializer,
        operation_id="rooms_messages_replies_list",
        summary="Replies in a message's thread, oldest first",
    )
    def get(self, request: Request, room_id: str, message_id: int) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        replies = thread_replies(room=access.room, message_id=message_id)
        return _paginated(self, request, replies, ThreadPagination())


class ReactionListView(APIView):
    @extend_schema(
        request=s.ReactionCreateSerializer,
        responses={201: s.MessageSerializer, 200: s.MessageSerializer},
        summary="React to a message",
        description="Reacting again with the same emoji changes nothing (200).",
    )
    def post(self, request: Request, room_id: str, message_id: int) -> Response:
        data = validated(s.ReactionCreateSerializer, request)
        message, created = reactions.reaction_add(
            actor=request.user, room_id=room_id, message_id=message_id, emoji=data["emoji"]
        )
        return _message_response(message, created=created)


class ReactionDetailView(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Take back one's reaction (nothing to take back is fine too)",
    )
    def delete(self, request: Request, room_id: str, message_id: int, emoji: str) -> Response:
        reactions.reaction_remove(
            actor=request.user, room_id=room_id, message_id=message_id, emoji=emoji
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadView(APIView):
    @extend_schema(
        request=s.ReadSerializer,
        responses=s.ReadStateSerializer,
        summary="Mark the room read up to a message (never backwards)",
    )
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.ReadSerializer, request)
        state = read_state.read_state_mark(
            actor=request.user, room_id=room_id, message_id=data.get("message")
        )
        return Response(s.ReadStateSerializer(state).data)


class AttachmentUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.MessageSerializer, 200: s.MessageSerializer},
        summary="Upload a file: posts a file message linking it",
        description="Re-sending with the same client_id returns the first message (200).",
    )
    def post(self, request: Request, room_id: str) -> Response:
        declared = declared_file_bytes(request)
        if declared > settings.COLLAB_ATTACHMENT_MAX_BYTES:
            room_access(user=request.user, room_id=room_id)
            attachments.attachment_check_size(declared)
        data = validated(s.AttachmentUploadSerializer, request)
        message, created = attachments.attachment_upload(
            actor=request.user,
            room_id=room_id,
            upload=data["file"],
            body=data.get("body", ""),
            parent_id=data.get("parent"),
            client_id=data.get("client_id", ""),
        )
        return _message_response(message, created=created)


class AttachmentDownloadView(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            )
        },
        summary="Download a file (the room's members only)",
    )
    def get(self, request: Request, attachment_id: str) -> FileResponse:
        attachment = attachment_for_download(user=request.user, attachment_id=attachment_id)
        try:
            content = attachment.file.open("rb")
        except FileNotFoundError as error:
            logger.error("The file of attachment %s is missing from storage", attachment.pk)
            raise NotFound("No such attachment.", code="attachment_not_found") from error
        response = FileResponse(
            content,
            as_attachment=True,
            filename=attachment.filename,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class RoomMessageSearchView(APIView):
    @extend_schema(
        parameters=[s.SearchQuerySerializer],
        responses=s.MessagePageSerializer,
        operation_id="rooms_messages_search_list",
        summary="Search this room's messages, newest first",
    )
    def get(self, request: Request, room_id: str) -> Response:
        query = _query(s.SearchQuerySerializer, request)
        access = room_access(user=request.user, room_id=room_id)
        found = message_search(user=request.user, query=query["q"], room=access.room)
        return _paginated(self, request, found, MessagePagination())


class MessageSearchView(APIView):
    @extend_schema(
        parameters=[s.SearchQuerySerializer],
        responses=s.MessagePageSerializer,
        operation_id="messages_search_list",
        summary="Search the messages of every room I may read, newest first",
    )
    def get(self, request: Request) -> Response:
        query = _query(s.SearchQuerySerializer, request)
        found = message_search(user=request.user, query=query["q"])
        return _paginated(self, request, found, MessagePagination())
