"""Slows down password guessing: failed sign-ins are counted per username and per client
address in the cache (Redis when configured, so every process shares the count)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from rooms.core.errors import TooManyAttempts

# One address may try a few usernames (a shared office IP), but not unboundedly many.
ADDRESS_FACTOR = 4


def _user_key(username: str) -> str:
    # Hashed: a username may hold any character, and cache keys must stay plain.
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failures:user:{digest}"


def _address_key(client_ip: str) -> str:
    return f"login-failures:ip:{client_ip}"


def check(*, username: str, client_ip: str) -> None:
    """Raise ``TooManyAttempts`` if this username or address has failed too often lately."""
    limit = settings.LOGIN_FAILURE_LIMIT
    if (
        cache.get(_user_key(username), 0) >= limit
        or cache.get(_address_key(client_ip), 0) >= limit * ADDRESS_FACTOR
    ):
        raise TooManyAttempts(
            "Too many failed sign-ins. Try again later.",
            retry_after=settings.LOGIN_FAILURE_WINDOW_SECONDS,
        )


def record_failure(*, username: str, client_ip: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in (_user_key(username), _address_key(client_ip)):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def clear(*, username: str) -> None:
    cache.delete(_user_key(username))
