"""People: a profile beside Django's user, and personal API tokens."""

from __future__ import annotations

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


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation."""

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

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
