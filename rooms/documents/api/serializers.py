"""Shapes of the documents API (metadata): read serializers for responses, strict ones for
request bodies. A document renders as ``rooms.documents.payloads.document_payload`` (as in the
webhooks); the declared fields describe it for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.documents.models import Document, DocumentKind, ShareLink, ShareLinkRole
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


# Ten years: a link meant to stay is made with no expiry.
MAX_SHARE_LINK_TTL_SECONDS = 10 * 365 * 24 * 3600


class ShareLinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "document",
            "role",
            "prefix",
            "expires_at",
            "is_expired",
            "created_by",
            "created_at",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_is_expired(self, link: ShareLink) -> bool:
        return link.expires_at is not None and link.expires_at <= timezone.now()


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    """A link just made: the only answer that carries its secret."""

    token = serializers.SerializerMethodField(help_text="The secret; never shown again.")
    url = serializers.SerializerMethodField(help_text="The link to hand out, on this site.")

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "token", "url"]
        read_only_fields = fields

    def get_token(self, link: ShareLink) -> str:
        return str(self.context["token"])

    def get_url(self, link: ShareLink) -> str:
        request = self.context["request"]
        return str(
            request.build_absolute_uri(reverse("share-link-open", args=[self.context["token"]]))
        )


class ShareLinkCreateSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=ShareLinkRole.choices, default=ShareLinkRole.VIEWER)
    expires_in_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=60,
        max_value=MAX_SHARE_LINK_TTL_SECONDS,
        help_text="Seconds until the link stops working; null or absent for never.",
    )
