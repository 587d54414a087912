"""The web process's garbage collector: startup frozen, a high young threshold, and a full
collection on a clock (so the garbage of closed sockets never waits for a rare one)."""

from __future__ import annotations

import asyncio
import gc

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


def test_full_collections_come_on_the_clock(restored_gc):
    full: list[int] = []

    def on_gc(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    loop = asyncio.new_event_loop()
    gc.callbacks.append(on_gc)
    try:
        tune_for_web_process(loop, interval=0.05)
        full.clear()  # the one that tuning runs itself
        loop.run_until_complete(asyncio.sleep(0.3))
    finally:
        gc.callbacks.remove(on_gc)
        loop.close()
    # About six in 0.3 s; at least three, however slow the machine.
    assert len(full) >= 3
