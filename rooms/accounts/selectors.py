"""Reads about accounts shared by transports."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.utils import timezone

from rooms.accounts.models import ApiToken


def live_credentials(
    *, session_keys: set[str], token_digests: set[str]
) -> tuple[set[str], set[str]]:
    """Which of these sessions (not logged out, not expired, of an active account) and API
    tokens (not revoked, owner still active) are still valid, in at most three queries. A
    deactivated account's sessions are not deleted (Django signs no one in with them), so
    they are left out here: its open sockets close like a logged-out one's."""
    tokens = (
        set(
            ApiToken.objects.filter(
                digest__in=token_digests, revoked_at=None, user__is_active=True
            ).values_list("digest", flat=True)
        )
        if token_digests
        else set()
    )
    return _sessions_of_active_users(session_keys), tokens


def _sessions_of_active_users(session_keys: set[str]) -> set[str]:
    if not session_keys:
        return set()
    rows = Session.objects.filter(
        session_key__in=session_keys, expire_date__gt=timezone.now()
    ).values_list("session_key", "session_data")
    store: SessionBase = Session.get_session_store_class()()  # type: ignore[misc]
    user_of: dict[str, str] = {}
    for key, data in rows:
        user_id = store.decode(data).get(SESSION_KEY)
        if user_id is not None:
            user_of[key] = str(user_id)
    active = {
        str(pk)
        for pk in get_user_model()
        .objects.filter(pk__in=set(user_of.values()), is_active=True)
        .values_list("pk", flat=True)
    }
    return {key for key, user_id in user_of.items() if user_id in active}
