"""``LiveDocument.sync_step2``: what brings a client up to date, with the whole document's
frame encoded once and renewed by every change, insertions and deletions alike."""

from __future__ import annotations

import uuid

from pycrdt import Doc, Text

from rooms.sync import protocol as p
from rooms.sync.runtime import EMPTY_STATE_VECTOR, LiveDocument


def text_after(frame: bytes, base: Doc | None = None) -> str:
    """The text of ``base`` (or of an empty document) once the frame's update is applied."""
    decoded = p.decode_frame(frame, max_frame_bytes=1 << 24, max_awareness_state_bytes=1 << 16)
    assert isinstance(decoded, p.SyncUpdate) and decoded.is_step2
    doc = base if base is not None else Doc()
    doc.apply_update(decoded.update)
    return str(doc.get("text", type=Text))


def test_a_newcomers_frame_is_encoded_once_until_the_document_changes():
    doc = Doc()
    text = doc.get("text", type=Text)
    text += "hello"
    live = LiveDocument(id=uuid.uuid4(), doc=doc, seq=0, size=0)
    assert Doc().get_state() == EMPTY_STATE_VECTOR

    first = live.sync_step2(EMPTY_STATE_VECTOR)
    assert live.sync_step2(EMPTY_STATE_VECTOR) is first
    assert text_after(first) == "hello"

    text += " world"
    assert text_after(live.sync_step2(EMPTY_STATE_VECTOR)) == "hello world"
    del text[0:6]  # a deletion alone leaves the state vector as it was
    assert text_after(live.sync_step2(EMPTY_STATE_VECTOR)) == "world"

    elsewhere = Doc()
    elsewhere.apply_update(doc.get_update())
    elsewhere.get("text", type=Text).insert(0, "brave new ")
    live.integrate(elsewhere.get_update(doc.get_state()))
    assert text_after(live.sync_step2(EMPTY_STATE_VECTOR)) == "brave new world"
    live.release()


def test_a_client_with_part_of_the_document_gets_what_it_lacks():
    doc = Doc()
    text = doc.get("text", type=Text)
    text += "hello"
    behind = Doc()
    behind.apply_update(doc.get_update())
    text += " world"
    live = LiveDocument(id=uuid.uuid4(), doc=doc, seq=0, size=0)

    frame = live.sync_step2(behind.get_state())

    assert text_after(frame, base=behind) == "hello world"
    assert len(frame) < len(live.sync_step2(EMPTY_STATE_VECTOR))
    live.release()
