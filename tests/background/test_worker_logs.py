"""The worker's log lines with a real worker and a real Daphne: with ``COLLAB_LOG_FORMAT=json``
the worker writes one JSON object per line through Django's logging, and a task's lines carry
its own id and the request id of the HTTP request that queued it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.background.conftest import BackgroundStack, Receiver
from tests.background.test_webhooks_worker import room_with_hook

pytestmark = pytest.mark.e2e


def json_lines(log: str) -> list[dict[str, Any]]:
    """The log's lines written through logging (each must parse); Celery also prints its
    banner and Python's warnings to the same streams, as plain text."""
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")]


def test_a_tasks_lines_carry_its_id_and_the_id_of_the_request_that_queued_it(
    background_stack: BackgroundStack, receiver: Receiver
) -> None:
    stack = background_stack
    stack.start_worker(COLLAB_LOG_FORMAT="json")
    room_id, _ = room_with_hook(stack, f"{receiver.url}/collab")

    stack.api(
        "POST",
        f"rooms/{room_id}/messages",
        stack.seed["tokens"]["owner"],
        {"body": "traced"},
        headers={"X-Request-ID": "edge-trace-42"},
    )
    receiver.wait_requests(1, 30)

    def delivered() -> list[dict[str, Any]]:
        return [
            line
            for line in json_lines(stack.worker_log())
            if line["logger"] == "celery.app.trace"
            and "deliver" in line["message"]
            and "succeeded" in line["message"]
        ]

    (line,) = stack.wait_for(delivered, 15, "the delivery task's success line")
    assert line["request_id"] == "edge-trace-42"
    assert line["task_id"] is not None
    assert line["task_id"] in line["message"]  # Celery names the task's id in it too
    # Lines outside any task (the worker starting) carry none.
    ready = [line for line in json_lines(stack.worker_log()) if " ready." in line["message"]]
    assert ready
    assert ready[0]["task_id"] is None
    assert ready[0]["request_id"] is None
