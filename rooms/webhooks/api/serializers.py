"""Shapes of the webhook endpoints. A hook's secret (``signing_secret``, its Standard Webhooks
form, and ``secret``, the deprecated plain one) and an incoming hook's ``url`` with its
token appear only in the answer to their creation (the ``*CreatedSerializer`` shapes)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.webhooks.addresses import URL_MAX_LENGTH
from rooms.webhooks.models import (
    IncomingWebhook,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from rooms.webhooks.signing import signing_secret


class WebhookSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), read_only=True
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSerializer):
    signing_secret = serializers.SerializerMethodField(
        help_text="The Standard Webhooks secret (whsec_...) that verifies every delivery's "
        "webhook-signature. Shown this once: store it now."
    )
    secret = serializers.CharField(
        read_only=True,
        help_text="Deprecated: the same key as plain text, for the X-Collab-Signature header, "
        "which goes after the next release. Shown this once.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "signing_secret", "secret"]
        read_only_fields = fields

    def get_signing_secret(self, hook: Webhook) -> str:
        return signing_secret(hook.secret)


class WebhookCreateSerializer(StrictSerializer):
    url = serializers.CharField(
        max_length=URL_MAX_LENGTH, help_text="An http(s) URL resolving to a public address."
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=len(WebhookEvent.choices) * 2,
        help_text=f"Any of: {', '.join(WebhookEvent.values)}.",
    )


class WebhookUpdateSerializer(StrictSerializer):
    url = serializers.CharField(max_length=URL_MAX_LENGTH, required=False)
    events = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=len(WebhookEvent.choices) * 2,
        required=False,
    )
    is_active = serializers.BooleanField(
        required=False, help_text="true re-enables a disabled hook and resends what it owes."
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = WebhookAttempt
        fields = ["number", "status_code", "error", "duration_ms", "created_at"]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "attempt_count",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields


class IncomingWebhookSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = IncomingWebhook
        fields = ["id", "name", "is_active", "created_by", "created_at"]
        read_only_fields = fields


class IncomingWebhookCreatedSerializer(IncomingWebhookSerializer):
    token = serializers.SerializerMethodField(help_text="Shown this once.")
    url = serializers.SerializerMethodField(help_text="POST messages here. Shown this once.")

    class Meta(IncomingWebhookSerializer.Meta):
        fields = [*IncomingWebhookSerializer.Meta.fields, "token", "url"]
        read_only_fields = fields

    def get_token(self, hook: IncomingWebhook) -> str:
        return str(self.context["token"])

    def get_url(self, hook: IncomingWebhook) -> str:
        path = reverse("incoming-webhook-post", kwargs={"incoming_token": self.context["token"]})
        request: Any = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class IncomingWebhookCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80, help_text="Shown as the author of its messages.")


class IncomingMessageSerializer(StrictSerializer):
    """``body`` (Markdown) or ``text`` (the name Slack-style senders use), not both."""

    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    client_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Chosen by the sender: posting again with it creates no second message.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "body" in data and "text" in data:
            raise serializers.ValidationError(
                {"text": ["Send body or text, not both."]}, code="body_and_text"
            )
        if "body" not in data and "text" not in data:
            raise serializers.ValidationError(
                {"body": ["Send the message as body (or text)."]}, code="required"
            )
        return data
