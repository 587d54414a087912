"""The Hocuspocus wire format: each message the provider sends decodes, each the server sends
is what the provider reads, and malformed or oversized frames get their close code."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Text, write_var_uint

from rooms.sync import protocol as p
from rooms.sync.hocuspocus_protocol import (
    MAX_NAME_BYTES,
    Authenticate,
    CloseDocument,
    Message,
    Pong,
    Stateless,
    decode_message,
    encode_authenticated,
    encode_permission_denied,
    encode_stateless,
    encode_sync_status,
    name_prefix,
)
from rooms.sync.update_shape import Lib0Reader

LIMITS = {"max_frame_bytes": 1024 * 1024, "max_awareness_state_bytes": 4096}
NAME = "0b0c6f6e-8d1a-4c1e-9c55-3f2a1e0e7d11"


def var_string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return write_var_uint(len(raw)) + raw


def decode(frame: bytes) -> Message | Pong:
    return decode_message(frame, **LIMITS)


def rejection(frame: bytes, **limits: int) -> int:
    with pytest.raises(p.ProtocolError) as caught:
        decode_message(frame, **{**LIMITS, **limits})
    return caught.value.code


def an_update() -> bytes:
    doc: Doc = Doc()
    doc["text"] = text = Text()
    text += "hello"
    return doc.get_update()


def test_provider_auth_message_with_version_decodes_to_its_token() -> None:
    # AuthenticationMessage: name, 2, token (0), the token, the provider's version.
    frame = var_string(NAME) + bytes((2, 0)) + var_string("secret") + var_string("4.8.0")
    assert decode(frame) == Message(NAME, Authenticate("secret"))


def test_auth_message_without_version_decodes() -> None:
    assert decode(var_string(NAME) + bytes((2, 0)) + var_string("")) == Message(
        NAME, Authenticate("")
    )


def test_sync_bodies_are_the_y_websocket_decoders() -> None:
    update = an_update()
    step1 = var_string(NAME) + p.encode_sync_step1(b"\x00")
    assert decode(step1) == Message(NAME, p.SyncStep1(b"\x00"))
    message = decode(var_string(NAME) + p.encode_sync_update(update))
    assert isinstance(message, Message)
    assert isinstance(message.body, p.SyncUpdate)
    assert message.body.update == update
    assert not message.body.is_step2


def test_awareness_and_query_awareness_decode() -> None:
    entry = p.AwarenessEntry(client_id=7, clock=3, state={"user": {"name": "a"}})
    assert decode(var_string(NAME) + p.encode_awareness([entry])) == Message(
        NAME, p.AwarenessUpdate((entry,))
    )
    assert decode(var_string(NAME) + bytes((3,))) == Message(NAME, p.QueryAwareness())


def test_stateless_close_and_pong_decode() -> None:
    assert decode(var_string(NAME) + bytes((5,)) + var_string("hi")) == Message(
        NAME, Stateless("hi", broadcast=False)
    )
    assert decode(var_string(NAME) + bytes((6,)) + var_string("{}")) == Message(
        NAME, Stateless("{}", broadcast=True)
    )
    assert decode(var_string(NAME) + bytes((7,))) == Message(NAME, CloseDocument())
    assert decode(bytes((10,))) == Pong()


def test_session_suffix_is_not_part_of_the_document_name() -> None:
    message = decode(var_string(NAME + "\0abc") + bytes((3,)))
    assert isinstance(message, Message)
    assert message.name == NAME + "\0abc"
    assert message.document_name == NAME


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        var_string(NAME),  # no type
        var_string(NAME) + bytes((4,)),  # unassigned type
        var_string(NAME) + bytes((8, 1)),  # sync status: server only
        var_string(NAME) + bytes((9,)),  # ping: server only
        var_string(NAME) + bytes((100, 1)),  # y-websocket's confirm is not Hocuspocus
        var_string(NAME) + bytes((2, 2)) + var_string("read-write"),  # authenticated: server
        var_string(NAME) + bytes((2, 0)) + var_string("t") + var_string("v") + b"x",
        var_string(NAME) + bytes((7, 0)),  # trailing byte
        var_string(b"\xff\xfe") + bytes((3,)),  # name not UTF-8
        var_string("x" * (MAX_NAME_BYTES + 1)) + bytes((3,)),
        write_var_uint(1000) + b"abc",  # name longer than the frame
        var_string(NAME) + bytes((0, 2)) + var_string(b"\xf3\xbc\x86\x79"),  # hostile update
        var_string(NAME) + bytes((5,)) + write_var_uint(10) + b"abc",
    ],
)
def test_malformed_messages_close_with_4400(frame: bytes) -> None:
    assert rejection(frame) == p.CLOSE_MALFORMED


def test_frame_over_the_limit_closes_with_4413() -> None:
    frame = var_string(NAME) + p.encode_sync_update(an_update())
    assert rejection(frame, max_frame_bytes=len(frame) - 1) == p.CLOSE_TOO_LARGE


def test_awareness_state_over_the_limit_closes_with_4413() -> None:
    entry = p.AwarenessEntry(client_id=7, clock=3, state={"x": "y" * 100})
    frame = var_string(NAME) + p.encode_awareness([entry])
    assert rejection(frame, max_awareness_state_bytes=50) == p.CLOSE_TOO_LARGE


def read_reply(frame: bytes) -> tuple[str, int, Lib0Reader]:
    reader = Lib0Reader(frame)
    name = reader.take(reader.var_uint()).decode()
    return name, reader.var_uint(), reader


def test_authenticated_carries_the_scope() -> None:
    for read_only, scope in ((False, "read-write"), (True, "readonly")):
        name, kind, reader = read_reply(encode_authenticated(NAME, read_only=read_only))
        assert (name, kind, reader.var_uint()) == (NAME, 2, 2)
        assert reader.take(reader.var_uint()).decode() == scope
        reader.expect_end()


def test_permission_denied_carries_the_reason() -> None:
    name, kind, reader = read_reply(encode_permission_denied(NAME, "not-found"))
    assert (name, kind, reader.var_uint()) == (NAME, 2, 1)
    assert reader.take(reader.var_uint()).decode() == "not-found"
    reader.expect_end()


def test_sync_status_and_stateless() -> None:
    assert encode_sync_status(NAME, stored=True) == var_string(NAME) + bytes((8, 1))
    assert encode_sync_status(NAME, stored=False) == var_string(NAME) + bytes((8, 0))
    assert encode_stateless(NAME, "é") == var_string(NAME) + bytes((5,)) + var_string("é")


def test_runtime_frames_become_the_documents_messages() -> None:
    update = an_update()
    frame = name_prefix(NAME) + p.encode_sync_update(update)
    message = decode(frame)
    assert isinstance(message, Message) and isinstance(message.body, p.SyncUpdate)
    assert message.body.update == update
