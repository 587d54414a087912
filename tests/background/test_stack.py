"""The background stack itself: a real worker takes what real beat schedules from the real
broker, and a killed worker is really gone."""

from __future__ import annotations

import pytest

from tests.background.conftest import BackgroundStack

pytestmark = pytest.mark.e2e


def test_worker_runs_what_beat_schedules(background_stack: BackgroundStack) -> None:
    worker = background_stack.start_worker()
    background_stack.start_beat(COLLAB_PRESENCE_SWEEP_SECONDS="1")
    try:
        background_stack.wait_for(
            lambda: (
                "presence.tasks.sweep_presence" in background_stack.worker_log()
                and "succeeded" in background_stack.worker_log()
            ),
            60,
            background_stack.worker_log(),
        )
    finally:
        background_stack.stop_beat()
    background_stack.kill_worker()
    assert worker.returncode == -9
    owners = background_stack.query(
        "SELECT username FROM auth_user WHERE username = %s", ("owner",)
    )
    assert owners == [("owner",)]
