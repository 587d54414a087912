"""Per-address counts of the account requests anyone may make without signing in (sign-up,
password-reset emails), in the cache (Redis when configured, so every process shares them),
in fixed windows."""

from __future__ import annotations

from django.core.cache import cache

from rooms.core.errors import TooManyAttempts


def throttle_hit(
    *, action: str, client_ip: str | None, limit: int, window_seconds: int, detail: str
) -> None:
    """Count one ``action`` from this address. Raises ``TooManyAttempts`` (``retry_after``:
    the window) once more than ``limit`` were counted within the window; a limit of 0 or
    less counts nothing."""
    if limit <= 0:
        return
    key = f"throttle:{action}:{client_ip or 'unknown'}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    if count > limit:
        raise TooManyAttempts(detail, retry_after=window_seconds)
