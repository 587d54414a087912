"""Helpers of bench/scale.py that need the project's models, run in the server's environment
(through ``harness.python``, like bench/seed.py):

``python -m bench.scale_seed fill --document ID --chars N [--compact]``
    appends about N characters of text to a document's log, as updates of 1,000 characters
    each (a long document typed in paragraphs), then optionally compacts it into one state;
    prints {"updates": ..., "bytes": ...}.
``python -m bench.scale_seed text --document ID``
    prints the document's stored text (its compacted state and every logged update after it)
    as JSON: what the database holds, independently of any client.
"""

from __future__ import annotations

import argparse
import json
import logging
import uuid
from typing import Any

import django

CHUNK = 1000


def fill(document_id: uuid.UUID, chars: int, compact: bool) -> dict[str, Any]:
    from pycrdt import Doc, Text
    from rooms.documents.models import Document
    from rooms.sync import compaction, log

    author = Document.objects.get(pk=document_id).created_by_id
    doc: Doc[Any] = Doc()
    text = doc.get("text", type=Text)
    pending: list[Any] = []
    total = 0
    line = 0
    while total < chars:
        # Distinct lines, so the content is not one repeated run that Yjs could store cheaply.
        paragraph = "".join(f"line {line + i:07d} of a long benchmark text.\n" for i in range(24))
        paragraph = paragraph[: min(CHUNK, chars - total)]
        line += 24
        before = doc.get_state()
        text += paragraph
        pending.append(
            log.PendingUpdate(
                document_id=document_id, data=doc.get_update(before), author_id=author
            )
        )
        total += len(paragraph)
    log.updates_append(pending)
    if compact:
        compaction.document_compact(document_id)
    return {"updates": len(pending), "chars": total, "bytes": len(doc.get_update())}


def stored_text(document_id: uuid.UUID) -> str:
    from pycrdt import Text
    from rooms.sync import log

    doc = log.document_load(document_id).to_doc()
    return str(doc.get("text", type=Text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["fill", "text"])
    parser.add_argument("--document", type=uuid.UUID, required=True)
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--compact", action="store_true")
    args = parser.parse_args()
    django.setup()
    logging.getLogger("rooms.sync.compaction").setLevel(logging.WARNING)
    if args.command == "fill":
        print(json.dumps(fill(args.document, args.chars, args.compact)))
    else:
        print(json.dumps({"text": stored_text(args.document)}))


if __name__ == "__main__":
    main()
