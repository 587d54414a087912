"""Shapes of the import and export API."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer
from rooms.documents.services.content import WriteMode


class FileImportSerializer(StrictSerializer):
    file = serializers.FileField(
        max_length=255, help_text="A Markdown (.md), HTML (.html) or Word (.docx) file."
    )


class ImportSerializer(FileImportSerializer):
    title = serializers.CharField(
        max_length=settings.COLLAB_DOCUMENT_TITLE_MAX,
        required=False,
        allow_blank=True,
        help_text="The new document's title (the file's name when not given).",
    )


class ImportIntoSerializer(FileImportSerializer):
    mode = serializers.ChoiceField(
        choices=[m.value for m in WriteMode],
        help_text="append after the last block, or replace the whole content.",
    )
