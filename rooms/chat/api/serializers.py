"""Shapes of the chat API. A message renders as ``rooms.chat.payloads.message_payload``, which
is also the ``message`` of every chat event the room socket sends and of the webhooks, so they
agree; the declared fields describe it for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rooms.chat.models import Attachment, Message, MessageEdit
from rooms.chat.payloads import (
    attachment_payload,
    attachment_url,
    message_payload,
    reaction_summary,
)
from rooms.core.pagination import PageQuerySerializer
from rooms.core.serializers import StrictSerializer, UserSummarySerializer

MAX_SEARCH_QUERY = 200


class AttachmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Where members download the file.")

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return attachment_url(attachment)

    def to_representation(self, instance: Attachment) -> dict[str, Any]:
        return attachment_payload(instance)


class ReactionSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    emoji = serializers.CharField()
    count = serializers.IntegerField()
    user_ids = serializers.ListField(child=serializers.IntegerField())


class MessageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    room = serializers.UUIDField(source="room_id", read_only=True)
    author = UserSummarySerializer(read_only=True, allow_null=True)
    attachment = AttachmentSerializer(read_only=True, allow_null=True)
    reactions = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "room",
            "author",
            "kind",
            "body",
            "body_html",
            "parent",
            "reply_count",
            "attachment",
            "client_id",
            "created_at",
            "edited_at",
            "deleted_at",
            "reactions",
        ]
        read_only_fields = fields

    @extend_schema_field(ReactionSummarySerializer(many=True))
    def get_reactions(self, message: Message) -> list[dict[str, Any]]:
        return reaction_summary(list(message.reactions.all()))

    def to_representation(self, instance: Message) -> dict[str, Any]:
        return message_payload(instance)


class MessageCreateSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=settings.COLLAB_MESSAGE_MAX_LENGTH, trim_whitespace=True
    )
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not Field.parent
        required=False, allow_null=True, min_value=1
    )
    client_id = serializers.CharField(max_length=64, required=False, allow_blank=True)


class MessageUpdateSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=settings.COLLAB_MESSAGE_MAX_LENGTH, trim_whitespace=True
    )


class MessageEditSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    edited_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = MessageEdit
        fields = ["id", "body", "edited_by", "edited_at"]
        read_only_fields = fields


class ReactionCreateSerializer(StrictSerializer):
    emoji = serializers.CharField(
        max_length=64,
        help_text="One emoji (a sequence such as 👍🏽 or 🇫🇷 counts as one) or a short name "
        "like :tada:.",
    )


class ReadSerializer(StrictSerializer):
    message = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The newest message read; omitted or null: everything in the room.",
    )


class ReadStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    room = serializers.UUIDField(source="room_id")
    last_read_message = serializers.IntegerField(source="last_read_message_id", allow_null=True)
    unread_count = serializers.IntegerField()


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(max_length=255)
    body = serializers.CharField(
        max_length=settings.COLLAB_MESSAGE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="A caption for the file message.",
    )
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a field, not Field.parent
        required=False, allow_null=True, min_value=1
    )
    client_id = serializers.CharField(max_length=64, required=False, allow_blank=True)


class SearchQuerySerializer(PageQuerySerializer):
    q = serializers.CharField(max_length=MAX_SEARCH_QUERY, help_text="Words to look for.")
    top_level = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only messages outside threads (thread roots and the rest), as the room's "
        "timeline shows them; replies are read per thread.",
    )


class MessageListQuerySerializer(PageQuerySerializer):
    before = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Only messages older than this id (to continue from the history a socket "
        "sent on join).",
    )
    top_level = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only messages outside threads (thread roots and the rest), as the room's "
        "timeline shows them; replies are read per thread.",
    )
