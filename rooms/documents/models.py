"""Documents and whiteboards, and their versions: full snapshots of the Yjs state at a
sequence number. The state itself is the document log's (``rooms.sync.models``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class DocumentKind(models.TextChoices):
    TEXT = "text", "Text document"
    WHITEBOARD = "whiteboard", "Whiteboard"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices, default=DocumentKind.TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_locked = models.BooleanField(default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Archived documents are read-only and listed apart until restored.",
    )
    last_seq = models.BigIntegerField(
        default=0, help_text="Sequence number of the newest update appended to the log."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in DocumentKind]),
                name="document_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(is_locked=False) | models.Q(locked_at__isnull=False),
                name="document_lock_has_time",
            ),
        ]
        indexes = [models.Index(fields=["room", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class VersionKind(models.TextChoices):
    """Why a version was kept. Only ``AUTO`` versions are thinned as they age; the others are
    the ones people come back for (a name, a restore, the content before a restore or a wipe)."""

    AUTO = "auto", "Automatic"
    NAMED = "named", "Named"
    BEFORE_RESTORE = "before_restore", "Before a restore"
    BEFORE_WIPE = "before_wipe", "Before most of the content was removed"
    RESTORE = "restore", "Restored"


class DocumentVersion(models.Model):
    """A snapshot of a document: named on demand, kept automatically after editing, before a
    restore or a wipe, or the content a restore made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=200, blank=True)
    is_automatic = models.BooleanField(default=False, help_text="Kept by Collab, not a person.")
    kind = models.CharField(max_length=16, choices=VersionKind.choices, default=VersionKind.NAMED)
    restored_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version a restore entry brought back.",
    )
    seq = models.BigIntegerField(help_text="The last update the snapshot includes.")
    data = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["document", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in VersionKind]),
                name="document_version_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} at {self.seq}"


class DocumentMention(models.Model):
    """A person mentioned in a text document (a ``mention`` node) and told of it: at most one
    per person and document, so an edit that keeps the mention never notifies again."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The author of the update that brought the mention in, when the log knew it.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="document_mention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.document_id}"


def document_image_path(instance: DocumentImage, filename: str) -> str:
    return f"document-images/{instance.room_id}/{instance.id}/{filename}"


class DocumentImage(models.Model):
    """An image uploaded into a text document: the room's file, read by the document's readers
    through the API only (like chat attachments), never from a public URL.

    ``original`` is the uploaded bytes as they came; ``display`` the rendition editors show:
    at most ``COLLAB_IMAGE_DISPLAY_MAX_WIDTH`` wide, upright (EXIF orientation applied), with
    no metadata. Both are PNG, JPEG, GIF or WebP (Pillow decoded them), of ``content_type`` and
    ``display_content_type``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey("rooms.Room", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    original = models.FileField(upload_to=document_image_path)
    display = models.FileField(upload_to=document_image_path)
    content_type = models.CharField(max_length=32)
    display_content_type = models.CharField(max_length=32)
    size = models.PositiveBigIntegerField(help_text="The original's size in bytes.")
    width = models.PositiveIntegerField(help_text="The original's width in pixels, upright.")
    height = models.PositiveIntegerField(help_text="The original's height in pixels, upright.")
    display_width = models.PositiveIntegerField()
    display_height = models.PositiveIntegerField()
    alt = models.CharField(max_length=500, blank=True, help_text="The alt text given at upload.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["document", "created_at"])]

    def __str__(self) -> str:
        return f"{self.document}: {self.width}x{self.height} {self.content_type}"
