"""Shapes of the content and versions API. A version renders as
``rooms.documents.payloads.version_payload`` (as in the webhooks); the declared fields describe
it for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.documents.models import DocumentVersion, VersionKind
from rooms.documents.payloads import version_payload
from rooms.documents.services.content import ContentFormat, WriteMode
from rooms.documents.services.versions import NAME_MAX

# A server-side write is one update: keep it well under what a socket frame may carry.


def content_max_chars() -> int:
    return int(settings.COLLAB_CONTENT_MAX_CHARS)


class ContentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    document = serializers.UUIDField(source="document.pk")
    kind = serializers.CharField(source="document.kind")
    format = serializers.ChoiceField(choices=[f.value for f in ContentFormat])
    seq = serializers.IntegerField(help_text="The newest update the content includes.")
    etag = serializers.CharField(help_text="Send it back in If-Match to write safely.")
    content = serializers.JSONField(
        source="body",
        help_text="A string for text, markdown and html; ProseMirror JSON for a text "
        'document and {"shapes": {...}} for a whiteboard in the json format.',
    )


class ContentWriteSerializer(StrictSerializer):
    mode = serializers.ChoiceField(choices=[m.value for m in WriteMode])
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=content_max_chars(),
        help_text="Plain text: a blank line between paragraphs, a line break within one.",
    )
    markdown = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=content_max_chars(),
        help_text="CommonMark with strikethrough and task lists.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("text" in attrs) == ("markdown" in attrs):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give either text or markdown."]}, code="text_or_markdown"
            )
        return attrs


class ShapesWriteSerializer(StrictSerializer):
    """A whiteboard write's body: ``{"shapes": {id: shape}}``; each shape is checked against
    the shape schema by the service (its OpenAPI form is ``shapes_body_schema``)."""

    shapes = serializers.DictField(child=serializers.JSONField(allow_null=True))


class ContentWrittenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    seq = serializers.IntegerField(help_text="The document's newest update after the write.")
    etag = serializers.CharField()


class RestoredFromSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=VersionKind.choices)
    created_at = serializers.DateTimeField()


class VersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    restored_from = RestoredFromSerializer(
        read_only=True,
        allow_null=True,
        help_text="For a restore entry (kind restore): the version it brought back.",
    )

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "name",
            "is_automatic",
            "kind",
            "restored_from",
            "seq",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: DocumentVersion) -> dict[str, Any]:
        return version_payload(instance)


class VersionDetailSerializer(VersionSerializer):
    format = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "format", "content"]
        read_only_fields = fields

    def get_format(self, version: DocumentVersion) -> str:
        return str(self.context["format"])

    def get_content(self, version: DocumentVersion) -> Any:
        return self.context["content"]

    def to_representation(self, instance: DocumentVersion) -> dict[str, Any]:
        return {
            **version_payload(instance),
            "format": self.get_format(instance),
            "content": self.get_content(instance),
        }


class VersionCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=NAME_MAX)


class DiffPartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class DiffBlockSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField(help_text="The block's node type: paragraph, heading, ...")
    change = serializers.ChoiceField(choices=["equal", "inserted", "deleted", "changed"])
    parts = DiffPartSerializer(many=True, help_text="Word by word within a changed block.")


class DiffShapeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    kind = serializers.CharField(help_text="The shape's type: rect, ellipse, pen, ...")


class DiffSideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.UUIDField(allow_null=True, help_text="null: the current document.")
    seq = serializers.IntegerField()


class VersionDiffSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=["text", "whiteboard"])
    to = DiffSideSerializer()
    authors = UserSummarySerializer(
        many=True, help_text="Whose edits between the two the document log still holds."
    )
    blocks = DiffBlockSerializer(many=True, required=False, help_text="Text documents.")
    shapes = DiffShapeSerializer(many=True, required=False, help_text="Whiteboards.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = DiffSideSerializer()  # a keyword in Python
        return fields


class DocumentAuthorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One Yjs client id of a document and who wrote with it."""

    client_id = serializers.IntegerField(read_only=True)
    user = UserSummarySerializer(source="author", read_only=True)
