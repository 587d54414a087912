"""Shapes of the documents API (metadata): read serializers for responses, strict ones for
request bodies. A document renders as ``rooms.documents.payloads.document_payload`` (as in the
webhooks); the declared fields describe it for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.documents.models import Document, DocumentKind
from rooms.documents.payloads import document_payload


class DocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    locked_by = UserSummarySerializer(read_only=True, allow_null=True)
    is_archived = serializers.BooleanField(
        read_only=True, help_text="Archived: read-only for everyone, listed apart."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "room",
            "title",
            "kind",
            "is_locked",
            "locked_by",
            "locked_at",
            "is_archived",
            "archived_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Document) -> dict[str, Any]:
        return document_payload(instance)


class DocumentCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=settings.COLLAB_DOCUMENT_TITLE_MAX)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.TEXT)


class DocumentUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=settings.COLLAB_DOCUMENT_TITLE_MAX)
