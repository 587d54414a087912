"""Replays an editing trace (bench/data/) into a pycrdt document, one Yjs update per
transaction of the trace, as a client typing it would have sent them.

Pure pycrdt, no Django.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pycrdt import Doc, Text

DATA = Path(__file__).resolve().parent / "data"
TEXT_NAME = "text"  # the shared type the Node load generator edits too


class ReplayMismatch(Exception):
    """The replayed text differs from the trace's ``endContent``: the replay is wrong."""


@dataclass(frozen=True)
class Replay:
    updates: list[bytes]  # one per transaction of the trace, in order
    state: bytes  # the whole document as one update (what compaction stores)
    text: str


def replay(name: str, limit: int | None = None) -> Replay:
    """Replay the trace ``name`` (a file in bench/data/), or its first ``limit`` transactions.

    Positions in the traces are code points; the ``ascii_`` traces have only one-byte
    characters, so they are also pycrdt's UTF-8 byte offsets. Raises ``ReplayMismatch`` when a
    full replay does not end with exactly the trace's ``endContent``.
    """
    with gzip.open(DATA / name, "rt", encoding="utf-8") as source:
        trace: dict[str, Any] = json.load(source)
    if any(ord(char) > 127 for char in trace["endContent"]):
        raise ValueError(f"{name} is not an ascii_ trace: positions would need converting")
    doc: Doc[Any] = Doc()
    text = doc.get(TEXT_NAME, type=Text)
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    if trace["startContent"]:
        text.insert(0, trace["startContent"])
    for txn in trace["txns"][:limit]:
        with doc.transaction():
            for position, deleted, inserted in txn["patches"]:
                if deleted:
                    del text[position : position + deleted]
                if inserted:
                    text.insert(position, inserted)
    result = str(text)
    if limit is None and result != trace["endContent"]:
        raise ReplayMismatch(
            f"{name}: replay ends with {len(result)} characters, "
            f"expected {len(trace['endContent'])}"
        )
    return Replay(updates=updates, state=doc.get_update(), text=result)
