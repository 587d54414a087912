"""The operator's view of webhooks, their deliveries and attempts, and incoming webhooks;
the actions (redeliver, reactivate, retire) go through the same services as the API."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from rooms.core.errors import DomainError
from rooms.webhooks.addresses import target_resolve
from rooms.webhooks.models import IncomingWebhook, Webhook, WebhookAttempt, WebhookDelivery
from rooms.webhooks.services.incoming import incoming_webhook_retire
from rooms.webhooks.services.webhooks import clean_events, delivery_redeliver, webhook_reactivate
from rooms.webhooks.signing import signing_secret


class WebhookDeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WebhookDelivery
    extra = 0
    fields = readonly_fields = ("event", "status", "attempt_count", "created_at", "delivered_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class WebhookAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The API's checks of the URL (public http(s) address) and event names, as form errors."""

    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["room", "url", "events", "is_active"]

    def clean_url(self) -> str:
        try:
            return target_resolve(self.cleaned_data["url"]).url
        except DomainError as error:
            raise forms.ValidationError(error.detail, code=error.code) from error

    def clean_events(self) -> list[str]:
        try:
            return clean_events(self.cleaned_data["events"])
        except DomainError as error:
            raise forms.ValidationError(error.detail, code=error.code) from error


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The secret is generated when a hook is added and shown in that one confirmation;
    never on the form."""

    list_display = ["url", "room", "is_active", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "room__name"]
    form = WebhookAdminForm
    exclude = ["secret"]
    readonly_fields = ["consecutive_failures", "disabled_at", "created_by", "created_at"]
    raw_id_fields = ["room"]
    inlines = [WebhookDeliveryInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["enable"]

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if not change:
            obj.secret = secrets.token_hex(32)
            obj.created_by_id = request.user.pk
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"The webhook's signing secret, shown this once: {signing_secret(obj.secret)}"
                f" (deprecated plain form, for X-Collab-Signature: {obj.secret})",
                level=messages.WARNING,
            )

    @admin.action(description="Re-enable and resend what they owe")
    def enable(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        for hook in queryset:
            webhook_reactivate(hook)


class WebhookAttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WebhookAttempt
    extra = 0
    readonly_fields = ["number", "status_code", "error", "duration_ms", "created_at"]
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["event", "webhook", "status", "attempt_count", "next_attempt_at", "created_at"]
    list_filter = ["status", "event", "created_at"]
    search_fields = ["webhook__url", "event_id"]
    readonly_fields = [
        "webhook",
        "event",
        "event_id",
        "payload",
        "attempt_count",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]
    actions = ["send_again"]

    @admin.action(description="Send again now (same delivery id)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset:
            delivery_redeliver(delivery)


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["delivery", "number", "status_code", "duration_ms", "created_at"]
    list_filter = ["status_code", "created_at"]
    search_fields = ["error"]
    readonly_fields = ["delivery", "number", "status_code", "error", "duration_ms", "created_at"]


@admin.register(IncomingWebhook)
class IncomingWebhookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Added over the API (which shows the token once); deleting one here also retires its bot."""

    list_display = ["name", "room", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "room__name"]
    readonly_fields = ["room", "digest", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: IncomingWebhook) -> None:
        incoming_webhook_retire(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[IncomingWebhook]) -> None:
        for hook in queryset:
            incoming_webhook_retire(hook)
