"""Comment threads on documents: each anchored to a range of a text document (two Yjs
relative positions, opaque to the server) or to a whiteboard shape, with its comments,
their reactions and mentions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AnchorKind(models.TextChoices):
    TEXT = "text", "Text range"
    SHAPE = "shape", "Whiteboard shape"


class CommentThread(models.Model):
    """A discussion about one place in a document. Kept whatever happens to the text it
    points at: a client whose anchor no longer resolves shows the thread as detached."""

    document = models.ForeignKey(
        "rooms.Document", on_delete=models.CASCADE, related_name="comment_threads"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    anchor_kind = models.CharField(max_length=8, choices=AnchorKind.choices)
    anchor_start = models.CharField(
        max_length=128, blank=True, help_text="Base64 of a Yjs relative position (text only)."
    )
    anchor_end = models.CharField(max_length=128, blank=True)
    quote = models.TextField(blank=True, help_text="The text commented on, when it was.")
    shape_id = models.CharField(max_length=64, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.PositiveIntegerField(
        default=1, help_text="Grows with every change, so clients keep the newest state."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anchor_kind__in=[kind.value for kind in AnchorKind]),
                name="comment_thread_anchor_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["document", "created_at"])]

    def __str__(self) -> str:
        return f"Thread {self.pk} on {self.document_id}"


class Comment(models.Model):
    """One comment of a thread; the first one opens it."""

    thread = models.ForeignKey(CommentThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text="The raw Markdown as written.")
    body_html = models.TextField(blank=True, help_text="The sanitized rendering of the body.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} in thread {self.thread_id}"


class CommentReaction(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user", "emoji"], name="comment_reaction_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on comment {self.comment_id}"


class CommentMention(models.Model):
    """A member named with ``@username`` in a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="comment_mention_unique_per_comment"
            )
        ]

    def __str__(self) -> str:
        return f"Mention of {self.user_id} in comment {self.comment_id}"
