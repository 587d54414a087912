"""Reads about accounts shared by transports."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

from rooms.accounts.models import ApiToken


def live_credentials(
    *, session_keys: set[str], token_digests: set[str]
) -> tuple[set[str], set[str]]:
    """Which of these sessions (not logged out, not expired) and API tokens (not revoked,
    owner still active) are still valid, in two queries."""
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
            ApiToken.objects.filter(
                digest__in=token_digests, revoked_at=None, user__is_active=True
            ).values_list("digest", flat=True)
        )
        if token_digests
        else set()
    )
    return sessions, tokens
