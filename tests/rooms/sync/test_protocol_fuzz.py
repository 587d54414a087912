"""Hostile frames never get past the decoder as anything but a ProtocolError (4400 or 4413) or a
frame that pycrdt accepts: no other exception, whatever the bytes."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText, write_var_uint

from rooms.sync.protocol import (
    CLOSE_MALFORMED,
    CLOSE_TOO_LARGE,
    AwarenessEntry,
    ProtocolError,
    SyncStep1,
    SyncUpdate,
    decode_frame,
    encode_awareness,
    encode_query_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_sync_update,
)

MAX_FRAME_BYTES = 64 * 1024
MAX_AWARENESS_STATE_BYTES = 512
FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "yjs_frames.json").read_text())


def valid_frames() -> list[bytes]:
    """Frames of every kind, from pycrdt and from the JS client, for mutations to start from."""
    doc = Doc()
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    text = doc.get("t", type=Text)
    text += "héllo wörld 🌍"
    text.format(0, 3, {"bold": True})
    del text[2:4]
    shapes = doc.get("m", type=Map)
    shapes["v"] = {"a": [1, 2.5, None, True, "x"], "b": b"\x01"}
    shapes["shape"] = Map({"points": Array([1, 2])})
    fragment = doc.get("x", type=XmlFragment)
    fragment.children.append(XmlElement("p", {"class": "c"}, [XmlText("para")]))
    frames = [encode_sync_update(update) for update in updates]
    frames += [
        encode_sync_step2(doc.get_update()),
        encode_sync_step1(doc.get_state()),
        encode_awareness(
            [AwarenessEntry(7, 3, {"user": {"name": "Zoë"}}), AwarenessEntry(9, 1, None)]
        ),
        encode_query_awareness(),
    ]
    frames += [bytes.fromhex(hex_frame) for hex_frame in FIXTURE["frames"]["sync_updates"]]
    frames += [
        bytes.fromhex(FIXTURE["frames"][name])
        for name in ("sync_step1", "sync_step2", "awareness", "awareness_leave")
    ]
    return frames


VALID_FRAMES = valid_frames()


def check(frame: bytes) -> str:
    """Decode ``frame`` and hand whatever comes out to pycrdt as the runtime would; return what
    happened. Any exception other than ProtocolError escapes and fails the test."""
    try:
        decoded = decode_frame(
            frame,
            max_frame_bytes=MAX_FRAME_BYTES,
            max_awareness_state_bytes=MAX_AWARENESS_STATE_BYTES,
        )
    except ProtocolError as error:
        assert error.code in (CLOSE_MALFORMED, CLOSE_TOO_LARGE)
        return f"refused {error.code}"
    if isinstance(decoded, SyncUpdate):
        Doc().apply_update(decoded.update)
    elif isinstance(decoded, SyncStep1):
        Doc().get_update(decoded.state_vector)
    return f"accepted {type(decoded).__name__}"


def truncate(rng: random.Random, frame: bytes) -> bytes:
    return frame[: rng.randrange(len(frame))]


def flip_bits(rng: random.Random, frame: bytes) -> bytes:
    mutated = bytearray(frame)
    for _ in range(rng.randint(1, 3)):
        mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
    return bytes(mutated)


def overwrite_bytes(rng: random.Random, frame: bytes) -> bytes:
    mutated = bytearray(frame)
    for _ in range(rng.randint(1, 3)):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    return bytes(mutated)


def random_bytes(rng: random.Random, frame: bytes) -> bytes:
    return rng.randbytes(rng.randint(1, 64))


def giant_length(rng: random.Random, frame: bytes) -> bytes:
    at = rng.randrange(len(frame))
    size = rng.choice([2**31, 2**32 - 1, 2**32 + 1, 2**53 - 1, 2**63, len(frame) + 1])
    return frame[:at] + write_var_uint(size) + frame[at + 1 :]


def over_long_varint(rng: random.Random, frame: bytes) -> bytes:
    at = rng.randrange(len(frame))
    return frame[:at] + b"\x80" * rng.randint(9, 40) + frame[at:]


def wrong_type(rng: random.Random, frame: bytes) -> bytes:
    message_type = write_var_uint(rng.choice([0, 1, 2, 3, 4, 99, 100, 101, 255, 2**20]))
    sync_type = write_var_uint(rng.choice([0, 1, 2, 3, 7, 128]))
    return message_type + sync_type + frame[2:]


def splice(rng: random.Random, frame: bytes) -> bytes:
    other = rng.choice(VALID_FRAMES)
    at = rng.randrange(len(frame))
    start = rng.randrange(len(other))
    return frame[:at] + other[start : start + rng.randint(1, 40)] + frame[at:]


def oversized(rng: random.Random, frame: bytes) -> bytes:
    return frame + bytes(MAX_FRAME_BYTES + 1 - len(frame))


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    truncate,
    flip_bits,
    overwrite_bytes,
    random_bytes,
    giant_length,
    over_long_varint,
    wrong_type,
    splice,
    oversized,
]


def test_every_valid_frame_is_accepted():
    assert {check(frame).split()[0] for frame in VALID_FRAMES} == {"accepted"}


def test_every_truncation_of_every_valid_frame_is_refused_or_applies():
    outcomes = {check(frame[:cut]) for frame in VALID_FRAMES for cut in range(len(frame))}
    assert "refused 4400" in outcomes


def test_twelve_thousand_mutated_frames_are_refused_or_apply():
    rng = random.Random(20240611)
    outcomes: dict[str, int] = {}
    generated = 0
    for mutate in MUTATIONS:
        for _ in range(12_000 // len(MUTATIONS)):
            frame = mutate(rng, rng.choice(VALID_FRAMES))
            outcome = check(frame)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            generated += 1
    assert generated >= 10_000
    assert outcomes["refused 4400"] > generated // 2
    assert outcomes["refused 4413"] >= 12_000 // len(MUTATIONS)


@settings(max_examples=1500, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_or_apply(frame):
    check(frame)


@settings(
    max_examples=1500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(VALID_FRAMES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=4),
)
def test_valid_frames_with_bytes_replaced_are_refused_or_apply(frame, edits):
    mutated = bytearray(frame)
    for position, value in edits:
        mutated[position % len(mutated)] = value
    check(bytes(mutated))


@settings(max_examples=500, deadline=None, database=None)
@given(st.integers(min_value=0), st.binary(min_size=0, max_size=20))
def test_sync_updates_with_arbitrary_payload_are_refused_or_apply(declared_length, payload):
    check(b"\x00\x02" + write_var_uint(declared_length) + payload)
    check(b"\x00\x02" + write_var_uint(len(payload)) + payload)
