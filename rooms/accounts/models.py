"""People: a profile beside Django's user, and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

COLOR_PATTERN = r"^#[0-9a-f]{6}$"
color_validator = RegexValidator(COLOR_PATTERN, "Use a colour like #1a2b3c.", code="invalid_color")


class Profile(models.Model):
    """How a user appears to others: the name and cursor colour the server stamps on them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    color = models.CharField(max_length=7, validators=[color_validator])
    email_notifications = models.BooleanField(
        default=True, help_text="Send an email for notifications left unread."
    )
    email_verification_pending = models.BooleanField(
        default=False,
        help_text="Signed up and not yet confirmed by the emailed link: the account is inactive "
        "until then (COLLAB_SIGNUP_VERIFY_EMAIL).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(color__regex=COLOR_PATTERN), name="profile_color_hex"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()


class TokenScope(models.TextChoices):
    READ_ONLY = "read_only", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation.

    It may expire, may be read-only, and may be limited to some rooms (``room_ids``; ``None``:
    every room its owner may use). See docs/api.md."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=12, help_text="The token's first characters, to tell it apart."
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this it no longer authenticates; empty: never."
    )
    scope = models.CharField(
        max_length=10, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )
    room_ids = models.JSONField(
        null=True,
        blank=True,
        help_text="The ids of the only rooms it may reach; empty: every room of its owner.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ_ONLY

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def allows_room(self, room_id: object) -> bool:
        """Whether the token may reach the room with this id (a UUID or its text)."""
        return self.room_ids is None or str(room_id) in self.room_ids
