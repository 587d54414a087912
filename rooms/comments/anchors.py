"""Checking a thread's anchor against the document it is on.

A text anchor is two Yjs relative positions (``Y.encodeRelativePosition``, base64), made by
the client on the editor's ``XmlFragment`` ``default``; the server never resolves them to
offsets (the client does, through y-prosemirror's mapping), but it refuses one that is not a
relative position, or that points at something the stored document does not hold: an item or
type whose id is past the document's state vector, or a root type other than ``default``. A
shape anchor must name a shape in the whiteboard's ``shapes`` map.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pycrdt import Doc, Map

from rooms.core.errors import Invalid
from rooms.documents.content import tree as content
from rooms.sync.update_shape import Lib0Reader, MalformedInput

TEXT_FRAGMENT = "default"
MAX_ANCHOR_BYTES = 64
MAX_SHAPE_ID = 64

# Yjs' relative position tags: an item, a root type by name, a nested type by its item id.
_ITEM, _ROOT, _TYPE = 0, 1, 2


def _malformed(field: str) -> Invalid:
    return Invalid("The anchor is not a Yjs relative position.", code="invalid_anchor", field=field)


def relative_position_refs(encoded: str, *, field: str) -> tuple[int, Any]:
    """The (tag, reference) a base64 relative position holds: ``(0 or 2, (client, clock))``
    or ``(1, root name)``. Raises ``Invalid`` (``invalid_anchor``)."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _malformed(field) from None
    if not data or len(data) > MAX_ANCHOR_BYTES:
        raise _malformed(field)
    reader = Lib0Reader(data)
    try:
        tag = reader.var_uint()
        if tag in (_ITEM, _TYPE):
            ref: Any = (reader.var_uint(), reader.var_uint())
        elif tag == _ROOT:
            ref = reader.var_string()
        else:
            raise _malformed(field)
        reader.var_int()  # assoc
        reader.expect_end()
    except MalformedInput:
        raise _malformed(field) from None
    return tag, ref


def _state_vector(doc: Doc[Any]) -> dict[int, int]:
    reader = Lib0Reader(doc.get_state())
    return {reader.var_uint(): reader.var_uint() for _ in range(reader.var_uint())}


def text_anchor_check(doc: Doc[Any], *, start: str, end: str) -> None:
    """Raise ``Invalid`` (``invalid_anchor``, ``anchor_outside_document``) unless ``start`` and
    ``end`` are relative positions into this document's text."""
    refs = {"start": relative_position_refs(start, field="start")}
    refs["end"] = relative_position_refs(end, field="end")
    known = _state_vector(doc)
    for field, (tag, ref) in refs.items():
        if tag == _ROOT:
            inside = ref == TEXT_FRAGMENT
        else:
            client, clock = ref
            inside = clock < known.get(client, 0)
        if not inside:
            raise Invalid(
                "The anchor points outside this document.",
                code="anchor_outside_document",
                field=field,
            )


def shape_anchor_check(doc: Doc[Any], *, shape_id: str) -> None:
    """Raise ``Invalid`` (``anchor_outside_document``) unless the board holds the shape."""
    shapes = doc.get(content.SHAPES, type=Map)
    if not shape_id or len(shape_id) > MAX_SHAPE_ID or shape_id not in shapes:
        raise Invalid(
            "No such shape on this whiteboard.", code="anchor_outside_document", field="shape_id"
        )
