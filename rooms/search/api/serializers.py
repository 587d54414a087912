"""The shapes of room search: its query and its results (documents, messages, comments)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rooms.chat.api.serializers import MAX_SEARCH_QUERY, MessageSerializer
from rooms.comments.models import Comment
from rooms.comments.payloads import comment_payload, thread_url
from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.search.services import DocumentHit


class RoomSearchQuerySerializer(StrictSerializer):
    q = serializers.CharField(
        max_length=MAX_SEARCH_QUERY,
        help_text='Words to look for. On PostgreSQL also web-search syntax: "a phrase", -word, or.',
    )


class DocumentHitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="document.id", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    kind = serializers.CharField(source="document.kind", read_only=True)
    snippet = serializers.CharField(
        read_only=True, help_text="Plain text around the match (not HTML)."
    )
    highlights = serializers.SerializerMethodField(
        help_text="[start, end) offsets of the matched words in the snippet, in UTF-16 code "
        "units (as JavaScript strings count)."
    )
    match = serializers.CharField(
        read_only=True,
        help_text="The first matched words as written in the document, for the editor to "
        "find and highlight; empty when only the title matched.",
    )

    @extend_schema_field(
        serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    )
    def get_highlights(self, hit: DocumentHit) -> list[list[int]]:
        def units(offset: int) -> int:
            return len(hit.snippet[:offset].encode("utf-16-le")) // 2

        return [[units(start), units(end)] for start, end in hit.highlights]


class CommentedDocumentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.CharField()


class CommentHitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    thread = serializers.IntegerField()
    author = UserSummarySerializer(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    document = CommentedDocumentSerializer()
    url = serializers.CharField(help_text="Opens the document with the thread shown.")

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        document = instance.thread.document
        payload = comment_payload(instance)
        return {key: payload[key] for key in ("id", "thread", "author", "body", "created_at")} | {
            "document": {"id": str(document.pk), "title": document.title, "kind": document.kind},
            "url": thread_url(instance.thread),
        }


class RoomSearchResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    query = serializers.CharField(read_only=True, help_text="The words searched for.")
    documents = DocumentHitSerializer(many=True, read_only=True)
    messages = MessageSerializer(many=True, read_only=True)
    comments = CommentHitSerializer(many=True, read_only=True)
