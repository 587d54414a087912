"""The operator's view of the chat: messages with their reactions and edits, mentions,
attachments. Deleting a message goes through the same service as the API."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rooms.chat.models import Attachment, Mention, Message, MessageEdit, Reaction
from rooms.chat.services.messages import message_delete
from rooms.core.errors import DomainError


class ReactionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Reaction
    extra = 0
    raw_id_fields = ["user"]


class MessageEditInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MessageEdit
    extra = 0
    readonly_fields = ["body", "edited_by", "edited_at"]
    can_delete = False


@admin.register(Message)
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
    def short_body(self, message: Message) -> str:
        return message.body[:80]

    @admin.action(description="Delete the selected messages (tombstones stay in their threads)")
    def delete_as_tombstones(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
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


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["emoji", "message", "user", "created_at"]
    search_fields = ["emoji", "user__username"]
    raw_id_fields = ["message", "user"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["message", "user"]
    search_fields = ["user__username"]
    raw_id_fields = ["message", "user"]


@admin.register(MessageEdit)
class MessageEditAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["message", "edited_by", "edited_at"]
    search_fields = ["body"]
    raw_id_fields = ["message", "edited_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["filename", "room", "uploaded_by", "content_type", "human_size", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["filename", "room__name", "uploaded_by__username"]
    readonly_fields = ["size", "content_type", "created_at"]
    raw_id_fields = ["room", "uploaded_by"]

    @admin.display(description="Size", ordering="size")
    def human_size(self, attachment: Attachment) -> str:
        return f"{attachment.size:,} bytes"
