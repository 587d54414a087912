"""Compaction: a document's update log merged into its stored state.

The merge is computed outside any transaction; then the log's ``state_replace``, in one short
transaction holding the document row's lock (which every append takes too), checks that no
other compaction moved the state meanwhile, writes the merged state and deletes exactly the
rows it merged. Rows appended while the merge was computed have higher sequence numbers and
stay in the log. The content before and after is identical: the merged state is what a
document that applied the state and every update holds.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from pycrdt import Doc, merge_updates

from rooms.sync import log
from rooms.sync.update_shape import MalformedInput, leaves_pending

logger = logging.getLogger(__name__)

ATTEMPTS = 5


def merged_state(state: bytes | None, updates: list[bytes]) -> bytes:
    """One update equal to the state followed by the updates.

    Applied to a document, so deleted content is garbage-collected and the result is small;
    if any update would leave structs pending (Yrs would drop them from the encoded state,
    and can crash on them), the lossless ``merge_updates`` of all of them instead.
    """
    doc: Doc[Any] = Doc()
    try:
        for update in [state, *updates] if state else updates:
            if leaves_pending(update, doc.get_state()):
                raise MalformedInput("would leave structs pending")
            doc.apply_update(update)
    except MalformedInput:
        logger.warning("log holds an update Yrs would keep pending; merging it losslessly")
        return merge_updates(*([state] if state else []), *updates)
    return doc.get_update()


def document_compact(document_id: uuid.UUID) -> int:
    """Merge the stored state and every logged update into the state; return how many log
    rows were merged and deleted (0 if the log was empty or the document is gone).

    Safe beside live edits and beside another compaction of the same document: each retries
    when the other committed first, and a second run finds nothing to do.
    """
    for _ in range(ATTEMPTS):
        try:
            stored = log.document_load(document_id)
        except log.DocumentGone:
            return 0
        if not stored.updates:
            return 0
        seqs = [seq for seq, _ in stored.updates]
        first = stored.state_seq + 1
        if seqs != list(range(first, first + len(seqs))):
            continue  # read across another compaction's commit
        merged = merged_state(stored.state, [update for _, update in stored.updates])
        try:
            count = log.state_replace(
                document_id, base_seq=stored.state_seq, newest=seqs[-1], merged=merged
            )
        except log.Overtaken:
            continue
        if count:
            logger.info("compacted %d updates of %s up to %d", count, document_id, seqs[-1])
        return count
    logger.warning("compaction of %s gave up after %d contended attempts", document_id, ATTEMPTS)
    return 0
