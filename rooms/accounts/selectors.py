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
    user_of = {key: user_id for key, data in rows if (user_id := _session_user(key, data))}
    active = {
        str(pk)
        for pk in get_user_model()
        .objects.filter(pk__in=set(user_of.values()), is_active=True)
        .values_list("pk", flat=True)
    }
    return {key for key, user_id in user_of.items() if user_id in active}


# Whose each signed-in session is, decoded once per process: decoding costs about 0.2 ms a
# session (its signature), which every re-check of a thousand open sockets would pay. A key
# never changes hands: Django's login gives a session a new key whenever it signs someone in.
_session_users: dict[str, str] = {}
SESSION_USERS_KEPT = 50_000


def _session_user(session_key: str, session_data: str) -> str | None:
    user_id = _session_users.get(session_key)
    if user_id is not None:
        return user_id
    store: SessionBase = Session.get_session_store_class()()  # type: ignore[misc]
    decoded = store.decode(session_data).get(SESSION_KEY)
    if decoded is None:
        return None
    if len(_session_users) >= SESSION_USERS_KEPT:
        _session_users.clear()
    user_id = _session_users[session_key] = str(decoded)
    return user_id
