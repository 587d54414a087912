"""Shapes of a document's images over REST: the multipart upload, and the stored image as
``rooms.documents.payloads.document_image_payload`` renders it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.documents.models import DocumentImage
from rooms.documents.payloads import document_image_payload
from rooms.documents.services.images import ALT_MAX_LENGTH


class DocumentImageUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        max_length=255,
        help_text="A PNG, JPEG, GIF or WebP image (checked by decoding it, not by its type).",
    )
    alt = serializers.CharField(
        max_length=ALT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Alt text, kept with the upload (the document's image node holds its own).",
    )


class DocumentImageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    src = serializers.CharField(read_only=True, help_text="The display rendition's URL.")
    original_src = serializers.CharField(read_only=True, help_text="The upload as it came.")
    uploaded_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = DocumentImage
        fields = [
            "id",
            "document",
            "src",
            "original_src",
            "content_type",
            "size",
            "width",
            "height",
            "display_width",
            "display_height",
            "alt",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: DocumentImage) -> dict[str, Any]:
        return document_image_payload(instance)
