"""Shapes of the comments API. A thread renders as ``rooms.comments.payloads.thread_payload``,
which is also the ``thread`` of every comment event of the room socket and of the webhooks;
the declared fields describe it for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from rooms.chat.api.serializers import ReactionSummarySerializer
from rooms.comments.anchors import MAX_SHAPE_ID
from rooms.comments.models import AnchorKind, CommentThread
from rooms.comments.payloads import thread_payload
from rooms.comments.services.threads import QUOTE_MAX_LENGTH
from rooms.core.serializers import StrictSerializer, UserSummarySerializer

ANCHOR_MAX_CHARS = 128


class CommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    thread = serializers.IntegerField()
    author = UserSummarySerializer(allow_null=True)
    body = serializers.CharField(help_text="The Markdown as written.")
    body_html = serializers.CharField(help_text="Its sanitized rendering, mentions linked.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    reactions = ReactionSummarySerializer(many=True)


class AnchorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=AnchorKind.choices)
    start = serializers.CharField(
        required=False, help_text="Text: base64 of Y.encodeRelativePosition on `default`."
    )
    end = serializers.CharField(required=False)
    quote = serializers.CharField(required=False, help_text="Text: what was selected then.")
    shape_id = serializers.CharField(required=False, help_text="Shape: its key in `shapes`.")


class ThreadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    document = serializers.UUIDField()
    author = UserSummarySerializer(allow_null=True)
    anchor = AnchorSerializer()
    resolved = serializers.BooleanField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = UserSummarySerializer(allow_null=True)
    revision = serializers.IntegerField(help_text="Grows with every change of the thread.")
    url = serializers.CharField(help_text="The web app's link to the thread.")
    created_at = serializers.DateTimeField()
    comments = CommentSerializer(many=True, help_text="Oldest first; the first opened it.")

    def to_representation(self, instance: CommentThread) -> dict[str, Any]:
        return thread_payload(instance)


class AnchorInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=AnchorKind.choices)
    start = serializers.CharField(max_length=ANCHOR_MAX_CHARS, required=False, default="")
    end = serializers.CharField(max_length=ANCHOR_MAX_CHARS, required=False, default="")
    quote = serializers.CharField(
        max_length=QUOTE_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    shape_id = serializers.CharField(max_length=MAX_SHAPE_ID, required=False, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needed = ("start", "end") if attrs["kind"] == "text" else ("shape_id",)
        missing = {name: ["This field is required."] for name in needed if not attrs.get(name)}
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return attrs


class ThreadCreateSerializer(StrictSerializer):
    anchor = AnchorInputSerializer()
    body = serializers.CharField(
        max_length=settings.COLLAB_COMMENT_MAX_LENGTH,
        help_text="Markdown; `@username` mentions a member of the room.",
    )


class CommentBodySerializer(StrictSerializer):
    body = serializers.CharField(max_length=settings.COLLAB_COMMENT_MAX_LENGTH)


class CommentReactionSerializer(StrictSerializer):
    emoji = serializers.CharField(
        max_length=64, help_text="One emoji, or a short name like :tada: (as in chat)."
    )
