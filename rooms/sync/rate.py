"""Per-connection rate limits: a token bucket that either refuses or delays what is over it."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """Allows ``rate`` events a second on average, in bursts of up to ``burst`` (twice the rate
    unless given). ``clock`` gives seconds (monotonic); tests pass a fake one."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.capacity = 2 * rate if burst is None else burst
        self.tokens = self.capacity
        self.clock = clock
        self.updated = clock()
        self.over_since: float | None = None

    def _refill(self) -> float:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return now

    def take(self) -> bool:
        """Spend one token; ``False`` when the connection is over its rate."""
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def delay(self) -> float:
        """Spend one token, borrowing it from the future when none is left; returns how many
        seconds the caller should wait before acting on the event (0 within the rate). A
        caller that waits that long before its next call is held to the rate."""
        now = self._refill()
        self.tokens -= 1
        if self.tokens >= 0:
            self.over_since = None
            return 0.0
        if self.over_since is None:
            self.over_since = now
        return -self.tokens / self.rate

    def over_for(self) -> float:
        """Seconds the events have been continuously over the rate: since the first of them
        that had to wait, with none in between arriving once its token was there (0 if the
        last one did not wait)."""
        return 0.0 if self.over_since is None else self.clock() - self.over_since
