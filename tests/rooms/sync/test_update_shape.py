"""``leaves_pending`` tells which well-formed updates Yrs would hold back, so that the runtime
never hands it one: Yrs 0.28 keeps pending structs in memory forever and can crash the process
when a later update overlaps them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pycrdt import Doc, Map, Text, merge_updates, write_var_uint

from rooms.sync.protocol import SyncUpdate, decode_frame
from rooms.sync.update_shape import MalformedInput, leaves_pending

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "yjs_frames.json").read_text())
EMPTY_STATE = b"\x00"


def var_string(text: str) -> bytes:
    raw = text.encode()
    return write_var_uint(len(raw)) + raw


def block(client: int, clock: int, *structs: bytes) -> bytes:
    return (
        write_var_uint(len(structs))
        + write_var_uint(client)
        + write_var_uint(clock)
        + b"".join(structs)
    )


def update(*blocks: bytes, delete_set: bytes = b"\x00") -> bytes:
    return write_var_uint(len(blocks)) + b"".join(blocks) + delete_set


def gc(length: int) -> bytes:
    return b"\x00" + write_var_uint(length)


def root_string(text: str) -> bytes:
    return b"\x04\x01" + var_string("t") + var_string(text)


def string_after(client: int, clock: int, text: str) -> bytes:
    return b"\x84" + write_var_uint(client) + write_var_uint(clock) + var_string(text)


def test_each_pycrdt_transaction_leaves_nothing_pending_on_the_document_before_it():
    doc = Doc()
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    text = doc.get("t", type=Text)
    text += "hello"
    text.insert(2, "XY")
    del text[0:3]
    doc.get("m", type=Map)["k"] = Map({"inner": [1, 2]})
    replica = Doc()
    for each in updates:
        assert leaves_pending(each, replica.get_state()) is False
        replica.apply_update(each)


def test_each_yjs_client_update_leaves_nothing_pending_on_the_document_before_it():
    replica = Doc()
    for hex_frame in FIXTURE["frames"]["sync_updates"]:
        frame = decode_frame(
            bytes.fromhex(hex_frame), max_frame_bytes=65536, max_awareness_state_bytes=1
        )
        assert isinstance(frame, SyncUpdate)
        each = frame.update
        assert leaves_pending(each, replica.get_state()) is False
        replica.apply_update(each)


def test_whole_document_leaves_nothing_pending_on_an_empty_document():
    source = Doc()
    source.get("t", type=Text).insert(0, "abc")
    assert leaves_pending(source.get_update(), EMPTY_STATE) is False


def test_later_update_alone_is_pending_on_an_empty_document():
    source = Doc()
    text = source.get("t", type=Text)
    text += "abc"
    before = source.get_state()
    text += "def"
    later = source.get_update(before)
    assert leaves_pending(later, EMPTY_STATE) is True
    assert leaves_pending(later, before) is False


def test_block_starting_past_the_document_state_is_pending():
    assert leaves_pending(update(block(1, 5, gc(1))), EMPTY_STATE) is True


def test_block_overlapping_what_the_document_has_is_not_pending():
    state = b"\x01\x01\x05"
    assert leaves_pending(update(block(1, 3, gc(4))), state) is False


def test_merged_update_with_a_skip_is_pending():
    source = Doc()
    updates: list[bytes] = []
    source.observe(lambda event: updates.append(event.update))
    text = source.get("t", type=Text)
    for letter in "abc":
        text += letter
    merged = merge_updates(updates[0], updates[2])
    assert b"\x0a" in merged
    assert leaves_pending(merged, EMPTY_STATE) is True


def test_origin_neither_in_the_document_nor_the_update_is_pending():
    assert leaves_pending(update(block(2, 0, string_after(1, 0, "x"))), EMPTY_STATE) is True


def test_origin_already_in_the_document_is_not_pending():
    state = b"\x01\x01\x01"
    assert leaves_pending(update(block(2, 0, string_after(1, 0, "x"))), state) is False


def test_origin_earlier_in_the_same_update_is_not_pending():
    ready = update(block(1, 0, root_string("ab"), string_after(1, 1, "c")))
    assert leaves_pending(ready, EMPTY_STATE) is False


def test_origin_in_another_client_block_of_the_same_update_is_not_pending():
    ready = update(block(2, 0, string_after(1, 0, "x")), block(1, 0, root_string("a")))
    assert leaves_pending(ready, EMPTY_STATE) is False


def test_origin_on_itself_is_pending():
    assert leaves_pending(update(block(1, 0, string_after(1, 0, "x"))), EMPTY_STATE) is True


def test_origin_later_in_its_own_block_is_pending():
    cyclic = update(block(1, 0, string_after(1, 1, "x"), root_string("y")))
    assert leaves_pending(cyclic, EMPTY_STATE) is True


def test_origins_that_wait_on_each_other_across_clients_are_pending():
    cyclic = update(block(1, 0, string_after(2, 0, "x")), block(2, 0, string_after(1, 0, "y")))
    assert leaves_pending(cyclic, EMPTY_STATE) is True


def test_deletion_of_structs_nobody_has_is_pending():
    deletes = b"\x01\x09\x01\x00\x02"
    assert leaves_pending(update(delete_set=deletes), EMPTY_STATE) is True
    assert leaves_pending(update(delete_set=deletes), b"\x01\x09\x02") is False


def test_deletion_of_structs_in_the_same_update_is_not_pending():
    deletes = b"\x01\x01\x01\x00\x02"
    assert leaves_pending(
        update(block(1, 0, root_string("ab")), delete_set=deletes), EMPTY_STATE
    ) is (False)


def test_update_that_made_yrs_crash_after_a_gap_is_held_back():
    # Applying `gap` and then `overlapping` to one pycrdt 0.14.13 document ends the process with a
    # segmentation fault: `overlapping` claims clock 5, which Yrs holds as pending from `gap`.
    gap = update(block(1, 5, gc(1)))
    overlapping = update(block(1, 0, gc(4), string_after(1, 3, "ab")))
    assert leaves_pending(gap, EMPTY_STATE) is True
    assert leaves_pending(overlapping, EMPTY_STATE) is False


def test_pycrdt_insert_inside_a_character_writes_an_update_whose_insert_stays_pending():
    # pycrdt positions count UTF-8 bytes: byte 3 falls inside "ü". Yrs then writes the inserted
    # text behind an empty string and pointing at itself, so no peer and no reload ever sees it.
    source = Doc()
    text = source.get("t", type=Text)
    text += "Grüße"
    text.insert(3, "X")
    assert str(text) == "GrüßeX"
    written = source.get_update()
    assert leaves_pending(written, EMPTY_STATE) is True
    replica = Doc()
    replica.apply_update(written)
    assert str(replica.get("t", type=Text)) == "Grüße"


def test_malformed_update_raises():
    with pytest.raises(MalformedInput):
        leaves_pending(bytes.fromhex("f3bc8679"), EMPTY_STATE)


def test_malformed_state_vector_raises():
    with pytest.raises(MalformedInput):
        leaves_pending(b"\x00\x00", b"\x05")
