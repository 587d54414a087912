"""Shapes of the documents API (metadata): read serializers for responses, strict ones for
request bodies."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.documents.models import Document, DocumentKind


class DocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    locked_by = UserSummarySerializer(read_only=True, allow_null=True)

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
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DocumentCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=settings.COLLAB_DOCUMENT_TITLE_MAX)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.TEXT)


class DocumentUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=settings.COLLAB_DOCUMENT_TITLE_MAX)
