"""The y-websocket wire format: every encoder round-trips, real updates from pycrdt and from the
JS client decode to the same bytes, and each kind of malformed or oversized frame gets its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pycrdt import (
    Array,
    Doc,
    Map,
    Text,
    XmlElement,
    XmlFragment,
    XmlText,
    create_sync_message,
    create_update_message,
    merge_updates,
    write_var_uint,
)

from rooms.sync.protocol import (
    CLOSE_MALFORMED,
    CLOSE_TOO_LARGE,
    AwarenessEntry,
    AwarenessUpdate,
    Confirm,
    MessageType,
    ProtocolError,
    QueryAwareness,
    SyncStep1,
    SyncType,
    SyncUpdate,
    decode_frame,
    encode_auth_denied,
    encode_awareness,
    encode_confirm,
    encode_query_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_sync_update,
)
from rooms.sync.update_shape import read_update

LIMITS = {"max_frame_bytes": 1024 * 1024, "max_awareness_state_bytes": 4096}
FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "yjs_frames.json").read_text())


def sync_update(update: bytes, *, is_step2: bool) -> SyncUpdate:
    """What the decoder gives for ``update`` (its shape is not compared)."""
    return SyncUpdate(update, is_step2=is_step2, shape=read_update(update))


def decode(frame: bytes) -> object:
    return decode_frame(frame, **LIMITS)


def rejection(frame: bytes, **limits: int) -> int:
    with pytest.raises(ProtocolError) as caught:
        decode_frame(frame, **{**LIMITS, **limits})
    return caught.value.code


def var_string(text: str) -> bytes:
    raw = text.encode()
    return write_var_uint(len(raw)) + raw


def root_item(info: int, content: bytes, *, root: str = "t") -> bytes:
    """One item struct whose parent is the root type ``root``."""
    return bytes([info]) + write_var_uint(1) + var_string(root) + content


def update_of(
    *structs: bytes, client: int = 7, clock: int = 0, delete_set: bytes = b"\x00"
) -> bytes:
    """An update v1 holding one client block of ``structs`` and ``delete_set``."""
    return (
        write_var_uint(1)
        + write_var_uint(len(structs))
        + write_var_uint(client)
        + write_var_uint(clock)
        + b"".join(structs)
        + delete_set
    )


def string_item(text: str, *, root: str = "t") -> bytes:
    return root_item(0x04, var_string(text), root=root)


def nested_any_arrays(depth: int) -> bytes:
    return b"\x75\x01" * (depth - 1) + b"\x75\x00"


# Round trips of every encoder


def test_sync_step1_round_trips_its_state_vector():
    doc = Doc()
    doc.get("t", type=Text).insert(0, "hello")
    state_vector = doc.get_state()
    frame = encode_sync_step1(state_vector)
    assert frame == create_sync_message(doc)
    assert decode(frame) == SyncStep1(state_vector)


def test_empty_state_vector_step1_is_four_exact_bytes():
    assert encode_sync_step1(b"\x00") == b"\x00\x00\x01\x00"
    assert decode(b"\x00\x00\x01\x00") == SyncStep1(b"\x00")


def test_sync_step2_round_trips_as_step2():
    update = update_of(string_item("hi"))
    assert encode_sync_step2(update) == b"\x00\x01" + write_var_uint(len(update)) + update
    assert decode(encode_sync_step2(update)) == sync_update(update, is_step2=True)


def test_sync_update_round_trips_as_update():
    update = update_of(string_item("hi"))
    assert encode_sync_update(update) == create_update_message(update)
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_empty_update_round_trips():
    assert decode(encode_sync_update(b"\x00\x00")) == sync_update(b"\x00\x00", is_step2=False)


def test_awareness_round_trips_entries_in_order():
    entries = (
        AwarenessEntry(3, 1, {"user": {"name": "Zoë 🦊", "color": "#30bced"}, "cursor": None}),
        AwarenessEntry(2**53 - 1, 9, {}),
        AwarenessEntry(1, 2**40, {"nested": [1, 2.5, True, "x", {"a": []}]}),
    )
    assert decode(encode_awareness(entries)) == AwarenessUpdate(entries)


def test_awareness_leave_encodes_state_as_json_null():
    frame = encode_awareness([AwarenessEntry(5, 2, None)])
    assert frame == b"\x01\x08\x01\x05\x02\x04null"
    assert decode(frame) == AwarenessUpdate((AwarenessEntry(5, 2, None),))


def test_awareness_state_with_lone_surrogate_round_trips():
    entry = AwarenessEntry(1, 1, {"name": "broken \ud83d emoji"})
    assert decode(encode_awareness([entry])) == AwarenessUpdate((entry,))


def test_awareness_with_no_entries_round_trips():
    assert encode_awareness([]) == b"\x01\x01\x00"
    assert decode(b"\x01\x01\x00") == AwarenessUpdate(())


def test_query_awareness_round_trips():
    assert encode_query_awareness() == b"\x03"
    assert decode(encode_query_awareness()) == QueryAwareness()


def test_auth_denied_is_permission_denied_with_its_reason():
    assert encode_auth_denied("read-only") == b"\x02\x00\x09read-only"
    assert encode_auth_denied("lecture seule é") == b"\x02\x00\x10lecture seule \xc3\xa9"


def test_message_type_numbers_match_y_websocket():
    assert [int(t) for t in MessageType] == [0, 1, 2, 3, 100]  # 100: our confirm extension
    assert [int(t) for t in SyncType] == [0, 1, 2]


# Real updates written by pycrdt


def pycrdt_updates() -> dict[str, bytes]:
    """Named updates of every kind pycrdt writes, each one transaction."""
    doc = Doc()
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    named: dict[str, bytes] = {}

    def record(name: str) -> None:
        named[name] = updates[-1]

    text = doc.get("notes", type=Text)
    text += "Grüße, 世界 🌍"
    record("text insert, non-ASCII")
    text.insert(len("Grü".encode()), "ABC")
    record("text insert after a non-ASCII character")
    text.format(0, 4, {"bold": True, "link": {"href": "https://example.org"}})
    record("text format")
    text.insert_embed(2, {"image": "cat.png"})
    record("text embed")
    del text[1:5]
    record("text delete")

    shapes = doc.get("shapes", type=Map)
    with doc.transaction():
        shapes["null"] = None
        shapes["true"] = True
        shapes["false"] = False
        shapes["int"] = 42
        shapes["negative"] = -123456789
        shapes["float"] = 0.1
        shapes["large"] = 2**60
        shapes["string"] = "ß"
        shapes["empty string"] = ""
        shapes["bytes"] = b"\x00\xff"
        shapes["list"] = [1, "a", [None, {"k": 2.25}]]
        shapes["object"] = {"x": {"y": [True, False]}, "": {}}
    record("map of every any type")
    shapes["shape"] = Map({"kind": "rect", "points": Array([1, 2, Text("label")])})
    record("nested shared types")
    del shapes["int"]
    record("map delete")

    items = doc.get("items", type=Array)
    items.extend([1, 2, 3, 4])
    record("array extend")
    del items[1:3]
    record("array delete")

    fragment = doc.get("default", type=XmlFragment)
    fragment.children.append(XmlElement("paragraph", {"textAlign": "left"}, [XmlText("Hello")]))
    record("xml element with text and attributes")
    paragraph = fragment.children[0]
    paragraph.attributes["class"] = "lead"
    record("xml attribute")
    paragraph.children[0].insert(5, " world", {"italic": True})
    record("xml text formatted insert")

    shapes["attachment"] = Doc()
    record("subdocument")

    named["whole document"] = doc.get_update()
    named["merged updates"] = merge_updates(*updates)
    named["merged first and last only"] = merge_updates(updates[0], updates[-1])
    return named


PYCRDT_UPDATES = pycrdt_updates()


@pytest.mark.parametrize("name", sorted(PYCRDT_UPDATES))
def test_pycrdt_update_decodes_to_the_same_bytes(name):
    update = PYCRDT_UPDATES[name]
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)
    assert decode(encode_sync_step2(update)) == sync_update(update, is_step2=True)


def test_pycrdt_deletions_travel_in_a_non_empty_delete_set():
    doc = Doc()
    text = doc.get("t", type=Text)
    text += "abcdef"
    before = doc.get_state()
    del text[1:3]
    update = doc.get_update(before)
    assert update[:1] == b"\x00"
    assert update != b"\x00\x00"
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_pycrdt_whole_document_rebuilds_from_decoded_update():
    source = Doc()
    source.get("t", type=Text).insert(0, "héllo 👋")
    source.get("m", type=Map)["k"] = {"deep": [1, None]}
    frame = decode(encode_sync_step2(source.get_update()))
    assert isinstance(frame, SyncUpdate)
    copy = Doc()
    copy.apply_update(frame.update)
    assert str(copy.get("t", type=Text)) == "héllo 👋"
    assert copy.get("m", type=Map).to_py() == {"k": {"deep": [1.0, None]}}


def test_pycrdt_state_vector_with_many_clients_decodes():
    merged = Doc()
    for client_id in (1, 2**32 + 5, 2**53 - 1):
        writer = Doc(client_id=client_id)
        writer.get("t", type=Text).insert(0, "x")
        merged.apply_update(writer.get_update())
    state_vector = merged.get_state()
    assert decode(encode_sync_step1(state_vector)) == SyncStep1(state_vector)


# Real frames written by the JS client (yjs + y-protocols), see fixtures/yjs_frames.mjs


def fixture_frame(name: str) -> bytes:
    return bytes.fromhex(FIXTURE["frames"][name])


def test_yjs_sync_step1_decodes():
    assert decode(fixture_frame("sync_step1")) == SyncStep1(bytes.fromhex(FIXTURE["state_vector"]))
    assert decode(fixture_frame("sync_step1_empty_doc")) == SyncStep1(b"\x00")


def test_yjs_sync_step2_decodes_and_rebuilds_the_document_in_pycrdt():
    frame = decode(fixture_frame("sync_step2"))
    assert isinstance(frame, SyncUpdate)
    assert frame.is_step2 is True
    doc = Doc()
    doc.apply_update(frame.update)
    assert str(doc.get("notes", type=Text)) == FIXTURE["notes_text"]
    assert str(doc.get("default", type=XmlFragment)) == FIXTURE["default_xml"]
    assert doc.get_state() == bytes.fromhex(FIXTURE["state_vector"])


def test_yjs_sync_updates_decode_and_replay_in_pycrdt():
    doc = Doc()
    for hex_frame in FIXTURE["frames"]["sync_updates"]:
        frame = decode(bytes.fromhex(hex_frame))
        assert isinstance(frame, SyncUpdate)
        assert frame.is_step2 is False
        doc.apply_update(frame.update)
    assert str(doc.get("notes", type=Text)) == FIXTURE["notes_text"]
    assert doc.get("shapes", type=Map)["nested"] == {
        "points": [[0.0, 1.0], [2.5, -3.0]],
        "label": "ünïcode",
        "deep": {"a": {"b": []}},
    }
    assert doc.get_state() == bytes.fromhex(FIXTURE["state_vector"])


def test_yjs_awareness_frames_decode_to_exact_entries():
    client_id = FIXTURE["client_id"]
    assert decode(fixture_frame("awareness")) == AwarenessUpdate(
        (
            AwarenessEntry(
                client_id,
                1,
                {
                    "user": {"name": "Zoë", "color": "#30bced"},
                    "cursor": {"anchor": 3, "head": 5},
                },
            ),
        )
    )
    assert decode(fixture_frame("awareness_leave")) == AwarenessUpdate(
        (AwarenessEntry(client_id, 2, None),)
    )


# Frame-level refusals


def test_frame_one_byte_over_max_frame_bytes_is_4413_before_parsing():
    garbage = b"\xff" * 101
    assert rejection(garbage, max_frame_bytes=100) == CLOSE_TOO_LARGE


def test_frame_exactly_max_frame_bytes_is_decoded():
    frame = encode_sync_update(update_of(string_item("x" * 50)))
    assert decode_frame(frame, max_frame_bytes=len(frame), max_awareness_state_bytes=1) == (
        sync_update(update_of(string_item("x" * 50)), is_step2=False)
    )
    assert rejection(frame, max_frame_bytes=len(frame) - 1) == CLOSE_TOO_LARGE


def test_empty_frame_is_4400():
    assert rejection(b"") == CLOSE_MALFORMED


@pytest.mark.parametrize("message_type", [4, 5, 99])
def test_unknown_message_type_is_4400(message_type):
    assert rejection(write_var_uint(message_type)) == CLOSE_MALFORMED


def test_client_sent_auth_message_is_4400():
    assert rejection(encode_auth_denied("let me in")) == CLOSE_MALFORMED


@pytest.mark.parametrize("token", [0, 1, 127, 128, 2**53 - 1])
def test_confirm_frame_carries_its_token_and_encodes_back_the_same(token):
    frame = write_var_uint(100) + write_var_uint(token)
    assert decode(frame) == Confirm(token)
    assert encode_confirm(token) == frame


@pytest.mark.parametrize("frame", ["64", "6480", "640000", "64" + "ff" * 10 + "01"])
def test_confirm_frame_without_exactly_one_token_is_4400(frame):
    assert rejection(bytes.fromhex(frame)) == CLOSE_MALFORMED


@pytest.mark.parametrize("message_type", [101, 127, 128, 300, 2**40])
def test_unassigned_extension_message_types_are_4400(message_type):
    assert rejection(write_var_uint(message_type) + b"\x00") == CLOSE_MALFORMED


@pytest.mark.parametrize("sync_type", [3, 4, 200])
def test_unknown_sync_subtype_is_4400(sync_type):
    assert rejection(b"\x00" + write_var_uint(sync_type) + b"\x02\x00\x00") == CLOSE_MALFORMED


def test_sync_message_without_subtype_is_4400():
    assert rejection(b"\x00") == CLOSE_MALFORMED


def test_sync_payload_shorter_than_declared_is_4400():
    assert rejection(b"\x00\x02\x05\x00\x00") == CLOSE_MALFORMED


def test_sync_payload_with_no_length_is_4400():
    assert rejection(b"\x00\x02") == CLOSE_MALFORMED


def test_trailing_bytes_after_sync_message_are_4400():
    assert rejection(encode_sync_update(b"\x00\x00") + b"\x00") == CLOSE_MALFORMED


def test_trailing_bytes_after_query_awareness_are_4400():
    assert rejection(b"\x03\x00") == CLOSE_MALFORMED


def test_trailing_bytes_after_awareness_message_are_4400():
    assert rejection(encode_awareness([]) + b"\x01") == CLOSE_MALFORMED


def test_ten_byte_varint_is_read():
    padded_zero = b"\x80" * 9 + b"\x00"
    assert decode(padded_zero + b"\x00\x01\x00") == SyncStep1(b"\x00")


def test_eleven_byte_varint_is_4400():
    padded_zero = b"\x80" * 10 + b"\x00"
    assert rejection(padded_zero + b"\x00\x01\x00") == CLOSE_MALFORMED


def test_hostile_400_kib_of_continuation_bytes_is_4400():
    assert rejection(b"\x80" * (400 * 1024)) == CLOSE_MALFORMED


def test_hostile_400_kib_update_of_continuation_bytes_is_4400():
    assert rejection(encode_sync_update(b"\x80" * (400 * 1024))) == CLOSE_MALFORMED


def test_giant_declared_payload_length_is_4400():
    assert rejection(b"\x00\x02" + write_var_uint(2**60) + b"\x00\x00") == CLOSE_MALFORMED


# Sync step 1 state vectors


def test_state_vector_count_beyond_its_bytes_is_4400():
    assert rejection(encode_sync_step1(b"\x05\x01\x01")) == CLOSE_MALFORMED


def test_state_vector_with_trailing_bytes_is_4400():
    assert rejection(encode_sync_step1(b"\x01\x01\x01\x00")) == CLOSE_MALFORMED


def test_empty_state_vector_payload_is_4400():
    assert rejection(encode_sync_step1(b"")) == CLOSE_MALFORMED


def test_state_vector_client_id_beyond_two_to_the_53_is_4400():
    state_vector = b"\x01" + write_var_uint(2**53) + b"\x01"
    assert rejection(encode_sync_step1(state_vector)) == CLOSE_MALFORMED


# Updates: the structural validator


def test_f3bc8679_update_is_4400():
    assert rejection(encode_sync_update(bytes.fromhex("f3bc8679"))) == CLOSE_MALFORMED
    assert rejection(encode_sync_step2(bytes.fromhex("f3bc8679"))) == CLOSE_MALFORMED


def test_empty_update_payload_is_4400():
    assert rejection(encode_sync_update(b"")) == CLOSE_MALFORMED


def test_update_without_delete_set_is_4400():
    assert rejection(encode_sync_update(update_of(string_item("x"))[:-1])) == CLOSE_MALFORMED


def test_update_with_trailing_bytes_is_4400():
    assert rejection(encode_sync_update(update_of(string_item("x")) + b"\x00")) == CLOSE_MALFORMED


def test_update_client_block_count_beyond_its_bytes_is_4400():
    assert rejection(encode_sync_update(b"\x7f\x00")) == CLOSE_MALFORMED


def test_update_struct_count_beyond_its_bytes_is_4400():
    update = b"\x01" + write_var_uint(2**31) + b"\x07\x00" + b"\x00\x01" + b"\x00"
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_update_with_fewer_structs_than_declared_is_4400():
    update = b"\x01\x03\x07\x00" + string_item("a") + string_item("b") + b"\x00"
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_update_with_two_blocks_for_one_client_is_4400():
    block = b"\x01\x07\x00" + string_item("a")
    assert rejection(encode_sync_update(b"\x02" + block + block + b"\x00")) == CLOSE_MALFORMED


def test_update_client_id_beyond_two_to_the_53_is_4400():
    assert rejection(encode_sync_update(update_of(string_item("a"), client=2**53))) == (
        CLOSE_MALFORMED
    )


def test_update_clock_beyond_two_to_the_32_is_4400():
    assert rejection(encode_sync_update(update_of(string_item("a"), clock=2**32))) == (
        CLOSE_MALFORMED
    )


def test_update_running_clock_past_two_to_the_32_is_4400():
    update = update_of(string_item("ab"), clock=2**32 - 2)
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_gc_and_skip_structs_are_read():
    update = update_of(b"\x00\x03", b"\x0a\x02", string_item("a"))
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_gc_of_length_zero_is_4400():
    assert rejection(encode_sync_update(update_of(b"\x00\x00"))) == CLOSE_MALFORMED


def test_gc_with_flag_bits_is_4400():
    assert rejection(encode_sync_update(update_of(b"\x20\x01"))) == CLOSE_MALFORMED


@pytest.mark.parametrize("info", [0x0B, 0x0F, 0x10, 0x14, 0x1F])
def test_unknown_content_ref_is_4400(info):
    assert rejection(encode_sync_update(update_of(root_item(info, b"\x01")))) == CLOSE_MALFORMED


def test_legacy_json_content_is_4400_because_yrs_misreads_it():
    content = b"\x01" + var_string('"x"')
    assert rejection(encode_sync_update(update_of(root_item(0x02, content)))) == CLOSE_MALFORMED


def test_string_content_that_is_not_utf8_is_4400():
    content = b"\x02\xc3\x28"
    assert rejection(encode_sync_update(update_of(root_item(0x04, content)))) == CLOSE_MALFORMED


def test_string_content_with_encoded_surrogate_is_4400():
    content = b"\x03\xed\xa0\x80"
    assert rejection(encode_sync_update(update_of(root_item(0x04, content)))) == CLOSE_MALFORMED


def test_empty_string_content_is_read_because_yrs_writes_it():
    update = update_of(string_item(""), string_item("a"))
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_root_name_that_is_not_utf8_is_4400():
    struct = b"\x04\x01\x01\xff" + var_string("a")
    assert rejection(encode_sync_update(update_of(struct))) == CLOSE_MALFORMED


def test_parent_info_other_than_zero_or_one_is_4400():
    struct = b"\x04\x02" + var_string("t") + var_string("a")
    assert rejection(encode_sync_update(update_of(struct))) == CLOSE_MALFORMED


def test_items_with_parent_sub_origin_and_right_origin_are_read_and_applied():
    keyed = b"\x28\x01" + var_string("m") + var_string("key") + b"\x01\x7e"
    after_it = b"\x88\x07\x00\x01\x78"
    before_that = b"\xc8\x07\x00\x07\x01\x01\x79"
    update = update_of(keyed, after_it, before_that)
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)
    doc = Doc()
    doc.apply_update(update)
    assert doc.get("m", type=Map).to_py() == {"key": True}


def test_item_whose_parent_in_the_same_update_is_a_string_is_4400():
    child = b"\x04\x00\x07\x00" + var_string("b")
    assert rejection(encode_sync_update(update_of(string_item("a"), child))) == CLOSE_MALFORMED


def test_item_whose_parent_in_the_same_update_is_a_type_is_read():
    parent = root_item(0x07, b"\x00")
    child = b"\x04\x00\x07\x00" + var_string("b")
    update = update_of(parent, child)
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_deleted_content_of_length_zero_is_4400():
    assert rejection(encode_sync_update(update_of(root_item(0x01, b"\x00")))) == CLOSE_MALFORMED


def test_binary_content_longer_than_the_update_is_4400():
    content = write_var_uint(1000) + b"abc"
    assert rejection(encode_sync_update(update_of(root_item(0x03, content)))) == CLOSE_MALFORMED


def test_embed_that_is_not_json_is_4400():
    content = var_string("{image: 1}")
    assert rejection(encode_sync_update(update_of(root_item(0x05, content)))) == CLOSE_MALFORMED


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_format_value_json_outside_a_double_is_4400(constant):
    content = var_string("bold") + var_string(constant)
    assert rejection(encode_sync_update(update_of(root_item(0x06, content)))) == CLOSE_MALFORMED


def test_format_value_json_with_lone_surrogate_is_4400():
    content = var_string("bold") + var_string('"\\ud800"')
    assert rejection(encode_sync_update(update_of(root_item(0x06, content)))) == CLOSE_MALFORMED


def test_embed_json_nested_65_deep_is_4400():
    content = var_string("[" * 65 + "]" * 65)
    assert rejection(encode_sync_update(update_of(root_item(0x05, content)))) == CLOSE_MALFORMED


def test_embed_json_nested_100000_deep_is_4400():
    content = var_string("[" * 100_000)
    assert rejection(encode_sync_update(update_of(root_item(0x05, content)))) == CLOSE_MALFORMED


@pytest.mark.parametrize("type_ref", [5, 7, 9, 15, 0x80])
def test_type_refs_yjs_and_yrs_do_not_share_are_4400(type_ref):
    content = bytes([type_ref]) + var_string("hook")
    assert rejection(encode_sync_update(update_of(root_item(0x07, content)))) == CLOSE_MALFORMED


def test_xml_element_type_with_name_that_is_not_utf8_is_4400():
    content = b"\x03\x02\xc3\x28"
    assert rejection(encode_sync_update(update_of(root_item(0x07, content)))) == CLOSE_MALFORMED


def test_any_content_count_beyond_its_bytes_is_4400():
    content = write_var_uint(2**31) + b"\x7e"
    assert rejection(encode_sync_update(update_of(root_item(0x08, content)))) == CLOSE_MALFORMED


def test_any_content_of_no_values_is_4400():
    assert rejection(encode_sync_update(update_of(root_item(0x08, b"\x00")))) == CLOSE_MALFORMED


def test_any_content_of_every_tag_is_read_and_applied_by_pycrdt():
    values = [
        b"\x7f",
        b"\x7e",
        b"\x7d\x2a",
        b"\x7d\xc1\x01",
        b"\x7c\x3f\x80\x00\x00",
        b"\x7b\x3f\xb9\x99\x99\x99\x99\x99\x9a",
        b"\x7a\x00\x00\x00\x00\x00\x00\x00\x7b",
        b"\x79",
        b"\x78",
        b"\x77" + var_string("ü"),
        b"\x76\x01" + var_string("k") + b"\x75\x01\x7e",
        b"\x74\x02\x00\xff",
    ]
    content = write_var_uint(len(values)) + b"".join(values)
    update = update_of(root_item(0x08, content, root="a"))
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)
    doc = Doc()
    doc.apply_update(update)
    assert doc.get("a", type=Array).to_py()[1:] == [
        None,
        42.0,
        -65.0,
        1.0,
        0.1,
        123,
        False,
        True,
        "ü",
        {"k": [None]},
        b"\x00\xff",
    ]


@pytest.mark.parametrize("tag", [0x00, 0x73, 0x80, 0xFF])
def test_unknown_any_tag_is_4400(tag):
    content = b"\x01" + bytes([tag])
    assert rejection(encode_sync_update(update_of(root_item(0x08, content)))) == CLOSE_MALFORMED


def test_any_integer_varint_longer_than_10_bytes_is_4400():
    content = b"\x01\x7d" + b"\xff" * 10 + b"\x01"
    assert rejection(encode_sync_update(update_of(root_item(0x08, content)))) == CLOSE_MALFORMED


def test_any_float64_cut_short_is_4400():
    content = b"\x01\x7b\x00\x00\x00"
    assert rejection(encode_sync_update(update_of(root_item(0x08, content)))) == CLOSE_MALFORMED


def test_any_object_key_that_is_not_utf8_is_4400():
    content = b"\x01\x76\x01\x01\xff\x7e"
    assert rejection(encode_sync_update(update_of(root_item(0x08, content)))) == CLOSE_MALFORMED


def test_any_nested_64_deep_is_read_and_applied():
    update = update_of(root_item(0x08, b"\x01" + nested_any_arrays(64), root="a"))
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)
    Doc().apply_update(update)


def test_any_nested_65_deep_is_4400():
    update = update_of(root_item(0x08, b"\x01" + nested_any_arrays(65), root="a"))
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_subdocument_content_is_read():
    content = var_string("guid-1") + b"\x76\x01" + var_string("autoLoad") + b"\x78"
    struct = b"\x29\x01" + var_string("m") + var_string("doc") + content
    update = update_of(struct)
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


def test_delete_set_client_count_beyond_its_bytes_is_4400():
    update = update_of(string_item("a"), delete_set=write_var_uint(2**40) + b"\x01")
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_delete_set_range_count_beyond_its_bytes_is_4400():
    update = update_of(string_item("a"), delete_set=b"\x01\x07" + write_var_uint(500) + b"\x00")
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_delete_set_range_of_length_zero_is_4400():
    update = update_of(string_item("a"), delete_set=b"\x01\x07\x01\x00\x00")
    assert rejection(encode_sync_update(update)) == CLOSE_MALFORMED


def test_delete_set_range_past_two_to_the_32_is_4400():
    delete_set = b"\x01\x07\x01" + write_var_uint(2**32 - 2) + b"\x05"
    assert rejection(encode_sync_update(update_of(string_item("a"), delete_set=delete_set))) == (
        CLOSE_MALFORMED
    )


def test_delete_set_range_is_read():
    update = update_of(string_item("abc"), delete_set=b"\x01\x07\x01\x01\x01")
    assert decode(encode_sync_update(update)) == sync_update(update, is_step2=False)


# Awareness


def awareness_frame(*states: bytes, count: int | None = None) -> bytes:
    body = write_var_uint(len(states) if count is None else count)
    for index, state in enumerate(states):
        body += write_var_uint(index + 1) + b"\x01" + write_var_uint(len(state)) + state
    return b"\x01" + write_var_uint(len(body)) + body


def test_awareness_state_one_byte_over_the_limit_is_4413():
    state = json.dumps({"name": "x" * 100}).encode()
    assert rejection(awareness_frame(state), max_awareness_state_bytes=len(state) - 1) == (
        CLOSE_TOO_LARGE
    )


def test_awareness_state_at_the_limit_is_decoded():
    state = json.dumps({"name": "x" * 100}).encode()
    frame = decode_frame(
        awareness_frame(state), max_frame_bytes=10_000, max_awareness_state_bytes=len(state)
    )
    assert frame == AwarenessUpdate((AwarenessEntry(1, 1, {"name": "x" * 100}),))


def test_awareness_count_beyond_its_bytes_is_4400():
    assert rejection(awareness_frame(b"{}", count=1000)) == CLOSE_MALFORMED


def test_awareness_with_fewer_entries_than_declared_is_4400():
    assert rejection(awareness_frame(b"{}", count=2)) == CLOSE_MALFORMED


def test_awareness_payload_with_trailing_bytes_is_4400():
    body = b"\x00\x00"
    assert rejection(b"\x01" + write_var_uint(len(body)) + body) == CLOSE_MALFORMED


def test_awareness_state_longer_than_the_payload_is_4400():
    body = b"\x01\x01\x01" + write_var_uint(5000) + b"{}"
    assert rejection(b"\x01" + write_var_uint(len(body)) + body) == CLOSE_MALFORMED


@pytest.mark.parametrize("state", [b"[1]", b'"x"', b"3", b"true", b""])
def test_awareness_state_that_is_not_an_object_or_null_is_4400(state):
    assert rejection(awareness_frame(state)) == CLOSE_MALFORMED


@pytest.mark.parametrize("state", [b"{", b"{'a': 1}", b'{"a": NaN}', b'{"a": Infinity}'])
def test_awareness_state_that_is_not_strict_json_is_4400(state):
    assert rejection(awareness_frame(state)) == CLOSE_MALFORMED


def test_awareness_state_that_is_not_utf8_is_4400():
    assert rejection(awareness_frame(b'{"a": "\xff"}')) == CLOSE_MALFORMED


def test_awareness_state_nested_too_deep_is_4400():
    state = b'{"a":' + b"[" * 2000 + b"]" * 2000 + b"}"
    assert rejection(awareness_frame(state), max_awareness_state_bytes=10_000) == CLOSE_MALFORMED


def test_awareness_client_id_beyond_two_to_the_53_is_4400():
    body = b"\x01" + write_var_uint(2**53) + b"\x01\x02{}"
    assert rejection(b"\x01" + write_var_uint(len(body)) + body) == CLOSE_MALFORMED


def test_protocol_error_carries_code_and_reason():
    with pytest.raises(ProtocolError) as caught:
        decode(b"\x09")
    assert caught.value.code == CLOSE_MALFORMED
    assert caught.value.reason == "unknown message type 9"
