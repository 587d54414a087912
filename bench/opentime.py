"""Server-side open time of a large document, measured in-process with the runtime's own
steps (``rooms.sync.log.document_load``, then applying the state and the log to a fresh
pycrdt ``Doc``, as ``Runtime._open`` does).

Fills two existing documents with the replayed ``ascii_seph-blog1`` trace (137,154 updates,
checked to end with exactly the trace's ``endContent``): one keeps the log of every small
update, the other is compacted into one state by ``rooms.sync.compaction.document_compact``.
Then times loading each, alternately, and writes the result as JSON.

Run in the server's environment: ``python -m bench.opentime --log-document ID
--state-document ID --out result.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
import uuid
from pathlib import Path
from typing import Any

import django

TRACE = "ascii_seph-blog1.json.gz"
APPEND_CHUNK = 5_000


def fill(log_id: uuid.UUID, state_id: uuid.UUID) -> dict[str, Any]:
    from rooms.sync import compaction, log
    from rooms.sync.models import DocumentState, DocumentUpdate

    from bench.replay import replay

    started = time.perf_counter()
    replayed = replay(TRACE)
    replay_s = time.perf_counter() - started
    for document_id in (log_id, state_id):
        for i in range(0, len(replayed.updates), APPEND_CHUNK):
            chunk = replayed.updates[i : i + APPEND_CHUNK]
            log.updates_append(
                [log.PendingUpdate(document_id=document_id, data=u, author_id=None) for u in chunk]
            )
    started = time.perf_counter()
    merged = compaction.document_compact(state_id)
    compact_s = time.perf_counter() - started
    assert merged == len(replayed.updates), merged
    assert not DocumentUpdate.objects.filter(document_id=state_id).exists()
    state = DocumentState.objects.get(document_id=state_id)
    return {
        "trace": TRACE,
        "updates": len(replayed.updates),
        "log_bytes": sum(len(u) for u in replayed.updates),
        "state_bytes": len(bytes(state.data)),
        "text_length": len(replayed.text),
        "text": replayed.text,
        "replay_s": round(replay_s, 2),
        "compact_s": round(compact_s, 2),
    }


def load_once(document_id: uuid.UUID) -> tuple[float, float, str]:
    """(ms reading from the database, ms applying to a Doc, the text) of one open."""
    from pycrdt import Doc, Text
    from rooms.sync import log

    from bench.replay import TEXT_NAME

    started = time.perf_counter()
    stored = log.document_load(document_id)
    read = time.perf_counter()
    doc: Doc[Any] = Doc()
    if stored.state:
        doc.apply_update(stored.state)
    for _, update in stored.updates:
        doc.apply_update(update)
    applied = time.perf_counter()
    return (read - started) * 1000, (applied - read) * 1000, str(doc.get(TEXT_NAME, type=Text))


def summary(values: list[float]) -> dict[str, float | None]:
    from bench.harness import percentiles

    return {"n": len(values), **percentiles(sorted(values))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--log-document", type=uuid.UUID, required=True)
    parser.add_argument("--state-document", type=uuid.UUID, required=True)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--budget-s", type=float, default=25.0, help="for all the timed loads")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    logging.getLogger("rooms.sync.compaction").setLevel(logging.WARNING)
    filled = fill(args.log_document, args.state_document)
    expected = filled.pop("text")
    timings: dict[str, dict[str, list[float]]] = {
        kind: {"read_ms": [], "apply_ms": [], "total_ms": []} for kind in ("log", "state")
    }
    deadline = time.monotonic() + args.budget_s
    for _ in range(args.reps):
        for kind, document_id in (("log", args.log_document), ("state", args.state_document)):
            read_ms, apply_ms, text = load_once(document_id)
            if text != expected:
                raise SystemExit(f"{kind}: loaded text differs from the trace's endContent")
            timings[kind]["read_ms"].append(read_ms)
            timings[kind]["apply_ms"].append(apply_ms)
            timings[kind]["total_ms"].append(read_ms + apply_ms)
        if time.monotonic() > deadline:
            break
    filled["in_process"] = {
        kind: {name: summary(values) for name, values in parts.items()}
        for kind, parts in timings.items()
    }
    args.out.write_text(json.dumps(filled))


if __name__ == "__main__":
    main()
