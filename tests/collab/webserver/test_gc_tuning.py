"""The web process's garbage collector: startup frozen, a high young threshold, and a full
collection on a clock (so the garbage of closed sockets never waits for a rare one)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from collab.webserver.gc_tuning import YOUNG_THRESHOLD, tune_for_web_process


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_tuning_freezes_startup_and_raises_the_young_threshold(restored_gc):
    loop = asyncio.new_event_loop()
    try:
        tune_for_web_process(loop, interval=3600)
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        loop.close()


class ScheduledLoop:
    """Records what is scheduled on it; the test runs each timer itself (no clock)."""

    def __init__(self) -> None:
        self.timers: list[tuple[float, Any]] = []

    def call_later(self, delay: float, callback: Any) -> None:
        self.timers.append((delay, callback))

    def fire_next(self) -> None:
        _, callback = self.timers.pop(0)
        callback()


def test_full_collections_come_on_the_clock(restored_gc):
    full: list[int] = []

    def on_gc(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    loop = ScheduledLoop()
    gc.callbacks.append(on_gc)
    try:
        tune_for_web_process(loop, interval=0.05)  # type: ignore[arg-type]
        full.clear()  # the one that tuning runs itself
        assert [delay for delay, _ in loop.timers] == [0.05]
        for _ in range(3):
            loop.fire_next()
    finally:
        gc.callbacks.remove(on_gc)
    # Each timer ran one full collection and set the next one, at the same interval.
    assert len(full) == 3
    assert [delay for delay, _ in loop.timers] == [0.05]
