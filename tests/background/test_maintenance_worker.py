"""Scheduled maintenance with real beat, a real worker and a real Redis broker: beat triggers
the compaction of a document's update log, which leaves the stored content identical, and
later runs (the same job again) change nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

import pytest

from tests.background.conftest import BackgroundStack
from tests.e2e.conftest import ROOT, content_text, content_write, document_create

pytestmark = pytest.mark.e2e

# Reads a document from the database alone (state plus log), in a fresh process with the
# stack's settings: what any process opening it would load, not what the server holds.
STORED_CONTENT = """
import json, sys, uuid
import django
django.setup()
from rooms.documents.content import tree as content
from rooms.sync import log
stored = log.document_load(uuid.UUID(sys.argv[1]))
doc = content.load(stored.state, [update for _, update in stored.updates])
print(json.dumps(content.text_document_json(doc), sort_keys=True))
"""


def stored_content(stack: BackgroundStack, document_id: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", STORED_CONTENT, document_id],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def log_rows(stack: BackgroundStack, document_id: str) -> int:
    ((count,),) = stack.query(
        "SELECT COUNT(*) FROM rooms_documentupdate WHERE document_id = %s",
        (uuid.UUID(document_id),),
    )
    return int(count)


def state_seq(stack: BackgroundStack, document_id: str) -> int:
    rows = stack.query(
        "SELECT seq FROM rooms_documentstate WHERE document_id = %s", (uuid.UUID(document_id),)
    )
    return int(rows[0][0]) if rows else 0


def test_beat_compacts_a_long_log_and_the_content_stays_identical(
    background_stack: BackgroundStack,
) -> None:
    stack = background_stack
    seed = stack.seed
    token = seed["tokens"]["owner"]
    document_id = document_create(stack.server_url, seed, "Compacted by beat")
    for n in range(12):
        paragraphs = "\n\n".join(f"Paragraph {i} of version {n} — ünïcödé 🚀" for i in range(n + 1))
        content_write(stack.server_url, token, document_id, f"# Draft {n}\n\n{paragraphs}")
    rows_before = log_rows(stack, document_id)
    assert rows_before >= 12
    before = stored_content(stack, document_id)
    served_before = content_text(stack.server_url, token, document_id)

    settings = {"COLLAB_COMPACT_AFTER_UPDATES": "5", "COLLAB_COMPACT_SCHEDULE_SECONDS": "1"}
    stack.start_worker(**settings)
    stack.start_beat(**settings)
    try:
        stack.wait_for(
            lambda: log_rows(stack, document_id) == 0,
            60,
            f"beat's compaction to merge the log:\n{stack.worker_log()}",
        )
        seq_after_first = state_seq(stack, document_id)
        # Let beat run the job several more times: the same job again finds nothing to do.
        stack.wait_for(
            lambda: stack.worker_log().count("rooms.sync.tasks.compact_large_logs") >= 8,
            60,
            "more compaction runs",
        )
    finally:
        stack.stop_beat()
        stack.stop_worker()

    assert "rooms.sync.tasks.compact_large_logs" in stack.worker_log()
    assert seq_after_first >= rows_before
    assert state_seq(stack, document_id) == seq_after_first
    assert log_rows(stack, document_id) == 0
    assert stored_content(stack, document_id) == before
    assert content_text(stack.server_url, token, document_id) == served_before
    assert before["content"][0]["content"][0]["text"] == "Draft 11"


def test_beat_runs_the_purge_and_a_second_run_finds_nothing(
    background_stack: BackgroundStack,
) -> None:
    """The purge on its schedule: a message deleted (through the API) past a retention of
    one second is deleted for good by beat's job, and the runs after it change nothing."""
    stack = background_stack
    seed = stack.seed
    room = seed["room"]
    token = seed["tokens"]["editor"]
    kept = stack.api("POST", f"rooms/{room}/messages", token, {"body": "stays"})
    gone = stack.api("POST", f"rooms/{room}/messages", token, {"body": "to be purged"})
    stack.api("DELETE", f"rooms/{room}/messages/{gone['id']}", token)
    assert stack.query("SELECT id FROM rooms_message WHERE id = %s", (gone["id"],))

    settings = {"COLLAB_MESSAGE_RETENTION_SECONDS": "1", "COLLAB_PURGE_SCHEDULE_SECONDS": "1"}
    stack.start_worker(**settings)
    stack.start_beat(**settings)
    try:
        stack.wait_for(
            lambda: not stack.query("SELECT id FROM rooms_message WHERE id = %s", (gone["id"],)),
            60,
            f"beat's purge:\n{stack.worker_log()}",
        )
        stack.wait_for(
            lambda: stack.worker_log().count("rooms.tasks.purge_expired") >= 6,
            60,
            "more purge runs",
        )
    finally:
        stack.stop_beat()
        stack.stop_worker()
    assert stack.query("SELECT body FROM rooms_message WHERE id = %s", (kept["id"],)) == [
        ("stays",)
    ]
    assert "Traceback" not in stack.worker_log()
