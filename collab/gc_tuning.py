"""The garbage collector of a web process holding thousands of sockets.

CPython's cyclic collector stops the process while it runs, and a full (oldest-generation)
collection walks every tracked object. A web process holding 10,000 sockets tracks millions
of them (each connection's protocol, transport, consumer, task and scope), so one full
collection took about a second; with the default thresholds (700, 10, 10) the churn of
awareness renewals and timers brought one every 7 seconds, and every edit in flight waited
(bench/RESULTS.md: edit-to-peer p95 0.6-1.1 s among 10,000 mostly idle sockets).

A web process therefore (1) freezes what startup built (modules, settings, URL patterns:
never garbage, no longer walked), and (2) collects the young generation after 20,000 new
objects instead of 700, so that short-lived objects (a frame's decoding, a message's dicts)
die before they are promoted and full collections come about 30 times less often. Memory
kept by cyclic garbage grows by what those extra allocations leave, a few MiB at most.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000
MIDDLE_THRESHOLD = 10
OLD_THRESHOLD = 10


def tune_for_web_process() -> None:
    """Freeze the objects startup created and raise the young generation's threshold."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
