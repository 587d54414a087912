"""The garbage collector of a web process holding thousands of sockets.

CPython's cyclic collector stops the process while it runs, and a full (oldest-generation)
collection walks every tracked object. A web process holding 10,000 sockets tracks millions
of them (each connection's protocol, transport, consumer, task and scope), so with the default
thresholds (700, 10, 10) the churn of awareness renewals and timers brings long, frequent full
collections, and every edit in flight waits for them (bench/RESULTS.md has the measurements).

A web process therefore (1) freezes what startup built (modules, settings, URL patterns:
never garbage, no longer walked), (2) collects the young generation after 20,000 new objects
instead of 700, so that short-lived objects (a frame's decoding, a message's dicts) die
before they are promoted and full collections on allocation counts become rare, and (3) runs
a full collection once a minute on its event loop, so that the cyclic garbage closed sockets
leave does not wait for those rare collections.
"""

from __future__ import annotations

import asyncio
import gc

YOUNG_THRESHOLD = 20_000  # the older generations keep their defaults
FULL_COLLECTION_SECONDS = 60.0


def tune_for_web_process(
    loop: asyncio.AbstractEventLoop, interval: float = FULL_COLLECTION_SECONDS
) -> None:
    """Freeze the objects startup created, raise the young generation's threshold, and
    run a full collection every ``interval`` seconds on ``loop``."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD)

    def collect() -> None:
        gc.collect()
        loop.call_later(interval, collect)

    loop.call_later(interval, collect)
