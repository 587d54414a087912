"""Reads about accounts shared by transports."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from rooms.accounts.models import ApiToken


def live_tokens() -> Q:
    """Tokens that still authenticate: not revoked, not expired, of an active user."""
    return Q(revoked_at=None, user__is_active=True) & (
        Q(expires_at=None) | Q(expires_at__gt=timezone.now())
    )


def live_credentials(
    *, session_keys: set[str], token_digests: set[str]
) -> tuple[set[str], set[str]]:
    """Which of these sessions (not logged out, not expired) and API tokens (not revoked, not
    expired, owner still active) are still valid, in two queries."""
    sessions = (
        set(
            Session.objects.filter(
                session_key__in=session_keys, expire_date__gt=timezone.now()
            ).values_list("session_key", flat=True)
        )
        if session_keys
        else set()
    )
    tokens = (
        set(
            ApiToken.objects.filter(live_tokens(), digest__in=token_digests).values_list(
                "digest", flat=True
            )
        )
        if token_digests
        else set()
    )
    return sessions, tokens
