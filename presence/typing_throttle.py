"""Typing indicators: ephemeral, never stored, throttled per user and room.

The room socket asks ``typing_throttle.allow(room_id, user_id)`` on each ``typing`` frame
and broadcasts only when it answers ``True``: at most one broadcast per user and room per
``COLLAB_TYPING_THROTTLE_SECONDS``. Clients hide an indicator ``COLLAB_TYPING_EXPIRY_SECONDS``
after the last one, so nothing has to announce that typing stopped. The throttle lives in
each process's memory: a user typing in tabs served by two processes may be broadcast by
both, at most once per interval each, which clients cannot tell from one.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

from presence.registry_interface import Clock


class TypingThrottle:
    """Remembers when each user and room last had a typing broadcast."""

    def __init__(self, *, interval: float | None = None, clock: Clock = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._last: dict[tuple[str, int], float] = {}
        self._pruned_at = clock()

    @property
    def interval(self) -> float:
        if self._interval is not None:
            return self._interval
        return float(settings.COLLAB_TYPING_THROTTLE_SECONDS)

    def allow(self, room_id: Any, user_id: int) -> bool:
        """Whether to broadcast this ``typing``; ``True`` also starts a new interval."""
        now = self._clock()
        key = (str(room_id), user_id)
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            return False
        self._last[key] = now
        if now - self._pruned_at >= self.interval:
            self._prune(now - self.interval)
        return True

    def _prune(self, cutoff: float) -> None:
        # Entries past their interval decide nothing: drop them (once per interval, so the
        # cost stays proportional to activity) and memory follows who is typing.
        self._pruned_at = cutoff + self.interval
        for key in [key for key, last in self._last.items() if last <= cutoff]:
            del self._last[key]

    def __len__(self) -> int:
        return len(self._last)


def typing_expires_in() -> int:
    """Seconds a client shows a typing indicator after the last ``typing`` event."""
    return int(settings.COLLAB_TYPING_EXPIRY_SECONDS)


# The process's throttle, shared by its room sockets (all on one event loop).
typing_throttle = TypingThrottle()
