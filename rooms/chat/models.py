"""Room chat: messages (with threads, edits and tombstones), reactions, mentions, files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class MessageKind(models.TextChoices):
    TEXT = "text", "Text"
    SYSTEM = "system", "System"
    FILE = "file", "File"


class Message(models.Model):
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for system messages.",
    )
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = models.TextField(help_text="The raw Markdown as written.")
    body_html = models.TextField(blank=True, help_text="The sanitized rendering of the body.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The message this replies to in a thread.",
    )
    reply_count = models.PositiveIntegerField(default=0)
    attachment = models.ForeignKey(
        "rooms.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(
        max_length=64, blank=True, help_text="Chosen by the sender so re-sending is idempotent."
    )
    mentions_room = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in MessageKind]),
                name="message_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="message_client_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["room", "-id"]),
            models.Index(fields=["parent", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} message {self.pk} in {self.room_id}"


class MessageEdit(models.Model):
    """A previous body of an edited message, kept as its edit history."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edited_at"]

    def __str__(self) -> str:
        return f"Edit of {self.message_id} at {self.edited_at}"


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "emoji"], name="reaction_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message_id}"


class Mention(models.Model):
    """A member named with ``@username`` in a message (``@room`` is a flag on the message)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="mention_unique_per_message")
        ]

    def __str__(self) -> str:
        return f"Mention of {self.user_id} in {self.message_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.room_id}/{instance.id}"


class Attachment(models.Model):
    """An uploaded file. Downloads are checked against room membership, never served raw."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
