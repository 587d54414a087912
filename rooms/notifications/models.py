"""In-app notifications; the ones left unread are batched into one email later."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Mention"
    REPLY = "reply", "Reply in a thread"
    INVITE = "invite", "Invitation"
    DOCUMENT_SHARED = "document_shared", "Document shared"
    WEBHOOK_DISABLED = "webhook_disabled", "Webhook disabled"
    COMMENT_REPLY = "comment_reply", "Reply to a comment thread"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    room = models.ForeignKey(
        "rooms.Room", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        "rooms.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "rooms.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "rooms.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in NotificationKind]),
                name="notification_kind_valid",
            ),
            # One notification per user for one message and reason, however often it is queued.
            models.UniqueConstraint(
                fields=["user", "kind", "message"],
                condition=models.Q(message__isnull=False),
                name="notification_unique_per_message",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "comment"],
                condition=models.Q(comment__isnull=False),
                name="notification_unique_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
