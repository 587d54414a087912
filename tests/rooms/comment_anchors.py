"""Anchors for comment tests: Yjs relative positions encoded as the web app encodes them
(``Y.encodeRelativePosition``), into a document the test wrote through the services."""

from __future__ import annotations

import base64
from typing import Any

from pycrdt import Doc, Map

from rooms.documents.services.content import WriteMode, document_content_write
from rooms.sync import log
from rooms.sync.update_shape import Lib0Reader


def _var_uint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def relative_position(client: int, clock: int, assoc: int = 0) -> str:
    """An item's relative position (tag 0, its id, ``assoc`` as lib0's signed varint)."""
    sign = 0x40 if assoc < 0 else 0
    return base64.b64encode(
        _var_uint(0) + _var_uint(client) + _var_uint(clock) + bytes([sign | abs(assoc)])
    ).decode()


def written_items(document: Any, actor: Any, text: str) -> tuple[int, int]:
    """Write ``text`` to the document; returns (client, clock count) of its writer."""
    document_content_write(actor=actor, document_id=document.pk, mode=WriteMode.APPEND, text=text)
    reader = Lib0Reader(log.document_load(document.pk).to_doc().get_state())
    pairs = [(reader.var_uint(), reader.var_uint()) for _ in range(reader.var_uint())]
    return pairs[0]


def text_anchor(document: Any, actor: Any, text: str = "the quoted words") -> dict[str, str]:
    """A text anchor over the items just written."""
    client, clock = written_items(document, actor, text)
    return {
        "kind": "text",
        "start": relative_position(client, 0),
        "end": relative_position(client, clock - 1, -1),
        "quote": text,
    }


def board_with_shape(document: Any, shape_id: str = "shape-1") -> None:
    doc: Doc = Doc()
    doc.get("shapes", type=Map)[shape_id] = Map({"type": "rect", "x": 1, "y": 2})
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=doc.get_update(), author_id=None)]
    )
