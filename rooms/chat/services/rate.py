"""The per-user limit on chat writes, shared by every process through the cache.

A fixed window per user opens at their first send, edit or reaction and lasts
``COLLAB_MESSAGE_BURST / COLLAB_MESSAGE_RATE_PER_SECOND`` seconds (at least one); within it
``COLLAB_MESSAGE_BURST`` actions pass. That averages the configured rate, allows a burst
after a quiet spell, and needs only the cache's atomic ``add`` and ``incr`` (Redis when
``REDIS_URL`` is set), so two processes serving one user count together. Refused attempts
count too, so a client that keeps flooding stays refused until its window ends.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache

from rooms.core.errors import TooManyAttempts


class ChatRateLimited(TooManyAttempts):
    """The user sent, edited or reacted faster than the room's rate limit allows."""

    code = "rate_limited"


def _window_seconds() -> int:
    rate = float(settings.COLLAB_MESSAGE_RATE_PER_SECOND)
    return max(1, math.ceil(settings.COLLAB_MESSAGE_BURST / rate))


def chat_rate_take(*, user_id: int) -> None:
    """Count one chat action by ``user_id``. Raises ``ChatRateLimited`` (429, with the
    seconds to wait as ``retry_after``) past the burst of the current window. A rate of 0
    turns the limit off."""
    if settings.COLLAB_MESSAGE_RATE_PER_SECOND <= 0:
        return
    window = _window_seconds()
    key = f"chat-rate:{user_id}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this opens the next one
        cache.set(key, 1, timeout=window)
        count = 1
    if count > settings.COLLAB_MESSAGE_BURST:
        raise ChatRateLimited(
            "You are sending too fast. Wait a moment and try again.", retry_after=window
        )
