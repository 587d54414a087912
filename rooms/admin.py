"""The operator's view of rooms. Form edits write models directly, as Django's admin does;
the actions (archive, lock, revoke) go through the same services as the API."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from collab.admin_display import byte_size
from collab.errors import DomainError
from rooms import models as m
from rooms.services.documents import document_set_locked
from rooms.services.incoming_webhooks import incoming_webhook_retire
from rooms.services.invites import invite_revoke
from rooms.services.messages import message_delete
from rooms.services.rooms import room_set_archived
from rooms.services.webhooks import clean_events, delivery_redeliver, webhook_reactivate
from rooms.webhook_addresses import target_resolve


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Membership
    fk_name = "room"
    extra = 0
    fields = ["user", "role", "joined_at", "invited_by", "muted"]
    readonly_fields = ["joined_at", "invited_by"]
    raw_id_fields = ["user"]


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Document
    extra = 0
    fields = readonly_fields = ("title", "kind", "is_locked", "last_seq", "updated_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(m.Room)
class RoomAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "slug",
        "is_public",
        "is_archived",
        "member_count",
        "max_participants",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["is_public", "is_archived", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    readonly_fields = ["id", "created_by", "created_at", "updated_at", "archived_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, DocumentInline]
    actions = ["archive", "unarchive"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.Room]:
        rooms: QuerySet[m.Room] = super().get_queryset(request)
        return rooms.annotate(members_total=Count("memberships"))

    @admin.display(description="Members", ordering="members_total")
    def member_count(self, room: m.Room) -> int:
        return room.members_total  # type: ignore[attr-defined,no-any-return]

    @admin.action(description="Archive the selected rooms (read-only)")
    def archive(self, request: HttpRequest, queryset: QuerySet[m.Room]) -> None:
        for room in queryset:
            room_set_archived(actor=request.user, room_id=room.pk, archived=True, as_operator=True)

    @admin.action(description="Unarchive the selected rooms")
    def unarchive(self, request: HttpRequest, queryset: QuerySet[m.Room]) -> None:
        for room in queryset:
            room_set_archived(actor=request.user, room_id=room.pk, archived=False, as_operator=True)


@admin.register(m.Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "room", "role", "joined_at", "muted"]
    list_filter = ["role", "muted"]
    search_fields = ["user__username", "room__name"]
    raw_id_fields = ["room", "user", "invited_by", "last_read_message"]


@admin.register(m.Invite)
class InviteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "room",
        "role",
        "created_by",
        "expires_at",
        "use_count",
        "max_uses",
        "revoked_at",
    ]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter), "expires_at"]
    search_fields = ["room__name", "token", "created_by__username"]
    readonly_fields = ["token", "use_count", "created_at", "revoked_at"]
    raw_id_fields = ["room", "created_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected invites")
    def revoke(self, request: HttpRequest, queryset: QuerySet[m.Invite]) -> None:
        for invite in queryset.filter(revoked_at=None):
            invite_revoke(
                actor=request.user, room_id=invite.room_id, invite_id=invite.pk, as_operator=True
            )


@admin.register(m.Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "room", "kind", "is_locked", "last_seq", "created_by", "updated_at"]
    list_filter = ["kind", "is_locked", "created_at"]
    search_fields = ["title", "room__name"]
    readonly_fields = [
        "id",
        "last_seq",
        "created_by",
        "locked_by",
        "locked_at",
        "created_at",
        "updated_at",
        "state_size",
    ]
    raw_id_fields = ["room"]
    actions = ["lock", "unlock"]

    @admin.display(description="Compacted state")
    def state_size(self, document: m.Document) -> str:
        state = m.DocumentState.objects.filter(document=document).first()
        return f"{byte_size(state.data)} up to update {state.seq}" if state else "empty"

    @admin.action(description="Lock the selected documents")
    def lock(self, request: HttpRequest, queryset: QuerySet[m.Document]) -> None:
        for document in queryset:
            document_set_locked(
                actor=request.user, document_id=document.pk, locked=True, as_operator=True
            )

    @admin.action(description="Unlock the selected documents")
    def unlock(self, request: HttpRequest, queryset: QuerySet[m.Document]) -> None:
        for document in queryset:
            document_set_locked(
                actor=request.user, document_id=document.pk, locked=False, as_operator=True
            )


class BinaryReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Yjs state is written only by the sync engine: shown as sizes, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Size")
    def size(self, row: m.DocumentState | m.DocumentUpdate | m.DocumentVersion) -> str:
        return byte_size(row.data)


@admin.register(m.DocumentState)
class DocumentStateAdmin(BinaryReadOnlyAdmin):
    list_display = ["document", "seq", "size", "updated_at"]
    search_fields = ["document__title"]
    exclude = ["data"]
    readonly_fields = ["size"]


@admin.register(m.DocumentUpdate)
class DocumentUpdateAdmin(BinaryReadOnlyAdmin):
    list_display = ["document", "seq", "size", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["document__title", "author__username"]
    exclude = ["data"]
    readonly_fields = ["size"]


@admin.register(m.DocumentVersion)
class DocumentVersionAdmin(BinaryReadOnlyAdmin):
    list_display = [
        "__str__",
        "document",
        "seq",
        "is_automatic",
        "size",
        "created_by",
        "created_at",
    ]
    list_filter = ["is_automatic", "created_at"]
    search_fields = ["name", "document__title"]
    exclude = ["data"]
    readonly_fields = ["size"]


class ReactionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.Reaction
    extra = 0
    raw_id_fields = ["user"]


class MessageEditInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.MessageEdit
    extra = 0
    readonly_fields = ["body", "edited_by", "edited_at"]
    can_delete = False


@admin.register(m.Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "id",
        "room",
        "author",
        "kind",
        "short_body",
        "reply_count",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["kind", "created_at", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__username", "room__name"]
    readonly_fields = ["body_html", "reply_count", "client_id", "created_at", "edited_at"]
    raw_id_fields = ["room", "author", "parent", "attachment"]
    inlines = [ReactionInline, MessageEditInline]
    actions = ["delete_as_tombstones"]

    @admin.display(description="Body")
    def short_body(self, message: m.Message) -> str:
        return message.body[:80]

    @admin.action(description="Delete the selected messages (tombstones stay in their threads)")
    def delete_as_tombstones(self, request: HttpRequest, queryset: QuerySet[m.Message]) -> None:
        for message in queryset.filter(deleted_at=None):
            try:
                message_delete(
                    actor=request.user,
                    room_id=message.room_id,
                    message_id=message.pk,
                    as_operator=True,
                )
            except DomainError as error:
                self.message_user(request, f"Message {message.pk}: {error.detail}", "error")


@admin.register(m.Reaction)
class ReactionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["emoji", "message", "user", "created_at"]
    search_fields = ["emoji", "user__username"]
    raw_id_fields = ["message", "user"]


@admin.register(m.Mention)
class MentionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["message", "user"]
    search_fields = ["user__username"]
    raw_id_fields = ["message", "user"]


@admin.register(m.MessageEdit)
class MessageEditAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["message", "edited_by", "edited_at"]
    search_fields = ["body"]
    raw_id_fields = ["message", "edited_by"]


@admin.register(m.Attachment)
class AttachmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["filename", "room", "uploaded_by", "content_type", "human_size", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["filename", "room__name", "uploaded_by__username"]
    readonly_fields = ["size", "content_type", "created_at"]
    raw_id_fields = ["room", "uploaded_by"]

    @admin.display(description="Size", ordering="size")
    def human_size(self, attachment: m.Attachment) -> str:
        return f"{attachment.size:,} bytes"


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "kind", "room", "actor", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["user__username", "room__name"]
    raw_id_fields = ["user", "room", "message", "document", "actor"]


class WebhookDeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.WebhookDelivery
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
        model = m.Webhook
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


@admin.register(m.Webhook)
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

    def save_model(self, request: HttpRequest, obj: m.Webhook, form: Any, change: bool) -> None:
        if not change:
            obj.secret = secrets.token_hex(32)
            obj.created_by_id = request.user.pk
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"The webhook's secret, shown this once: {obj.secret}",
                level=messages.WARNING,
            )

    @admin.action(description="Re-enable and resend what they owe")
    def enable(self, request: HttpRequest, queryset: QuerySet[m.Webhook]) -> None:
        for hook in queryset:
            webhook_reactivate(hook)


class WebhookAttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = m.WebhookAttempt
    extra = 0
    readonly_fields = ["number", "status_code", "error", "duration_ms", "created_at"]
    can_delete = False


@admin.register(m.WebhookDelivery)
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
    def send_again(self, request: HttpRequest, queryset: QuerySet[m.WebhookDelivery]) -> None:
        for delivery in queryset:
            delivery_redeliver(delivery)


@admin.register(m.WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["delivery", "number", "status_code", "duration_ms", "created_at"]
    list_filter = ["status_code", "created_at"]
    search_fields = ["error"]
    readonly_fields = ["delivery", "number", "status_code", "error", "duration_ms", "created_at"]


@admin.register(m.IncomingWebhook)
class IncomingWebhookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Added over the API (which shows the token once); deleting one here also retires its bot."""

    list_display = ["name", "room", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "room__name"]
    readonly_fields = ["room", "digest", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: m.IncomingWebhook) -> None:
        incoming_webhook_retire(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[m.IncomingWebhook]) -> None:
        for hook in queryset:
            incoming_webhook_retire(hook)
