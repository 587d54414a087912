"""The shapes of room search: its query and its results (documents and messages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rooms.chat.api.serializers import MAX_SEARCH_QUERY, MessageSerializer
from rooms.core.serializers import StrictSerializer
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


class RoomSearchResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    query = serializers.CharField(read_only=True, help_text="The words searched for.")
    documents = DocumentHitSerializer(many=True, read_only=True)
    messages = MessageSerializer(many=True, read_only=True)
