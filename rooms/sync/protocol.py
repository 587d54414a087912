"""The y-websocket wire format: decoding what a client sends, encoding what the server sends.

A frame is one message: a varuint message type, then its body. Sync messages (type 0) carry a
varuint subtype and one varuint8array (a state vector for step 1, a Yjs update v1 for step 2
and update); awareness (type 1) carries one varuint8array of entries; auth (type 2) is only
ever sent by the server; query awareness (type 3) has no body. Types 100 and up are Collab's
own extensions: type 100 (confirm) carries one varuint token; a client that sends it gets the
same frame back once everything it sent before has been committed (or refused), which is how
the web app knows its edits are saved. Unmodified Yjs clients never send it, so never get one.

Decoding is hardened for hostile input: its cost is linear in the frame, nothing is allocated
in proportion to a declared length the frame cannot hold, and every update or state vector is
checked against the Yjs layout (``update_shape``) before anyone hands it to Yrs. Pure Python
and pycrdt only: no Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from pycrdt import (
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_update_message,
    write_message,
    write_var_uint,
)

from rooms.sync.update_shape import (
    MAX_CLIENT_ID,
    Lib0Reader,
    MalformedInput,
    UpdateShape,
    load_json,
    read_update,
    validate_state_vector,
)

CLOSE_MALFORMED = 4400
CLOSE_TOO_LARGE = 4413

FIRST_EXTENSION_TYPE = 100
_AUTH_PERMISSION_DENIED = 0


class MessageType(IntEnum):
    SYNC = YMessageType.SYNC.value
    AWARENESS = YMessageType.AWARENESS.value
    AUTH = 2
    QUERY_AWARENESS = 3
    CONFIRM = FIRST_EXTENSION_TYPE


class SyncType(IntEnum):
    STEP1 = YSyncMessageType.SYNC_STEP1.value
    STEP2 = YSyncMessageType.SYNC_STEP2.value
    UPDATE = YSyncMessageType.SYNC_UPDATE.value


class ProtocolError(Exception):
    """A frame the server refuses; ``code`` is the WebSocket close code to answer with
    (``CLOSE_MALFORMED`` or ``CLOSE_TOO_LARGE``) and ``reason`` a short close reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class SyncStep1:
    state_vector: bytes


@dataclass(frozen=True)
class SyncUpdate:
    """A client's sync step 2 or update: both carry a Yjs update v1 to apply, with the shape
    the decoder read while checking it (so it is read once)."""

    update: bytes
    is_step2: bool
    shape: UpdateShape = field(compare=False, repr=False)


@dataclass(frozen=True)
class AwarenessEntry:
    """One client's awareness state at ``clock``; ``state`` None means the client left."""

    client_id: int
    clock: int
    state: dict[str, Any] | None


@dataclass(frozen=True)
class AwarenessUpdate:
    entries: tuple[AwarenessEntry, ...]


@dataclass(frozen=True)
class QueryAwareness:
    pass


@dataclass(frozen=True)
class Confirm:
    """A client asks to hear when everything it sent before this frame is committed."""

    token: int


Frame = SyncStep1 | SyncUpdate | AwarenessUpdate | QueryAwareness | Confirm


def decode_frame(data: bytes, *, max_frame_bytes: int, max_awareness_state_bytes: int) -> Frame:
    """Decode one client frame.

    Promises: a returned ``SyncUpdate`` holds a well-formed Yjs update v1 and a ``SyncStep1`` a
    well-formed state vector (see ``update_shape``), so either can go to Yrs; every awareness
    state is a JSON object or None; the whole frame was exactly one message.

    Raises ``ProtocolError`` with ``CLOSE_TOO_LARGE`` when the frame exceeds
    ``max_frame_bytes`` (checked before parsing) or an awareness state exceeds
    ``max_awareness_state_bytes``, and with ``CLOSE_MALFORMED`` for anything else wrong: an
    empty or truncated frame, trailing bytes, an unknown, unassigned extension (101 and up) or
    client-sent auth message type, an unknown sync subtype, a malformed update, state vector
    or awareness payload.
    """
    if len(data) > max_frame_bytes:
        raise ProtocolError(CLOSE_TOO_LARGE, "frame too large")
    if not data:
        raise ProtocolError(CLOSE_MALFORMED, "empty frame")
    reader = Lib0Reader(data)
    try:
        frame = _read_message(reader, max_awareness_state_bytes)
        reader.expect_end()
    except MalformedInput as error:
        raise ProtocolError(CLOSE_MALFORMED, str(error)) from error
    return frame


def encode_sync_step1(state_vector: bytes) -> bytes:
    """A sync step 1 frame carrying ``state_vector`` as given. Raises nothing."""
    return bytes((MessageType.SYNC, SyncType.STEP1)) + write_message(state_vector)


def encode_sync_step2(update: bytes) -> bytes:
    """A sync step 2 frame carrying ``update`` as given. Raises nothing."""
    return bytes((MessageType.SYNC, SyncType.STEP2)) + write_message(update)


def encode_sync_update(update: bytes) -> bytes:
    """A sync update frame carrying ``update`` as given. Raises nothing."""
    return create_update_message(update)


def encode_awareness(entries: Iterable[AwarenessEntry]) -> bytes:
    """An awareness frame with ``entries`` in order; a None state is written as JSON ``null``,
    which tells peers the client left.

    States are written as ASCII-only JSON so that any state that decoded (lone surrogates
    included) encodes again. Raises ``ValueError`` for a state JSON cannot represent (NaN,
    Infinity, a circular reference) and ``TypeError`` for one holding a non-JSON type.
    """
    items = list(entries)
    body = [write_var_uint(len(items))]
    for entry in items:
        text = json.dumps(entry.state, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        body.append(write_var_uint(entry.client_id))
        body.append(write_var_uint(entry.clock))
        body.append(write_message(text.encode("ascii")))
    return create_awareness_message(b"".join(body))


def encode_auth_denied(reason: str) -> bytes:
    """An auth frame saying permission denied with ``reason``, which y-websocket's client hands
    to its permission-denied handler. Raises nothing."""
    return bytes((MessageType.AUTH, _AUTH_PERMISSION_DENIED)) + write_message(
        reason.encode("utf-8", errors="replace")
    )


def encode_confirm(token: int) -> bytes:
    """The answer to a client's confirm frame: the same token back. Raises nothing."""
    return write_var_uint(MessageType.CONFIRM) + write_var_uint(token)


def encode_query_awareness() -> bytes:
    """A query awareness frame: peers answer with their awareness states. Raises nothing."""
    return bytes((MessageType.QUERY_AWARENESS,))


def _read_message(reader: Lib0Reader, max_awareness_state_bytes: int) -> Frame:
    message_type = reader.var_uint()
    if message_type == MessageType.SYNC:
        return _read_sync(reader)
    if message_type == MessageType.AWARENESS:
        return _read_awareness(reader.var_bytes(), max_awareness_state_bytes)
    if message_type == MessageType.QUERY_AWARENESS:
        return QueryAwareness()
    if message_type == MessageType.CONFIRM:
        return Confirm(reader.var_uint())
    if message_type == MessageType.AUTH:
        raise MalformedInput("auth messages are sent by the server only")
    if message_type >= FIRST_EXTENSION_TYPE:
        raise MalformedInput(f"message type {message_type} is reserved for the server")
    raise MalformedInput(f"unknown message type {message_type}")


def _read_sync(reader: Lib0Reader) -> SyncStep1 | SyncUpdate:
    sync_type = reader.var_uint()
    if sync_type == SyncType.STEP1:
        state_vector = reader.var_bytes()
        validate_state_vector(state_vector)
        return SyncStep1(state_vector)
    if sync_type in (SyncType.STEP2, SyncType.UPDATE):
        update = reader.var_bytes()
        return SyncUpdate(update, is_step2=sync_type == SyncType.STEP2, shape=read_update(update))
    raise MalformedInput(f"unknown sync type {sync_type}")


def _read_awareness(payload: bytes, max_state_bytes: int) -> AwarenessUpdate:
    reader = Lib0Reader(payload)
    entries = []
    # An entry is at least a client id, a clock and a state length.
    for _ in range(reader.count(3)):
        client_id = reader.var_uint()
        clock = reader.var_uint()
        if client_id > MAX_CLIENT_ID or clock > MAX_CLIENT_ID:
            raise MalformedInput("awareness client or clock out of range")
        length = reader.var_uint()
        if length > reader.remaining():
            raise MalformedInput("truncated awareness state")
        if length > max_state_bytes:
            raise ProtocolError(CLOSE_TOO_LARGE, "awareness state too large")
        entries.append(AwarenessEntry(client_id, clock, _awareness_state(reader.take(length))))
    reader.expect_end()
    return AwarenessUpdate(tuple(entries))


def _awareness_state(raw: bytes) -> dict[str, Any] | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedInput("awareness state is not UTF-8") from error
    # Browsers send lone surrogates as JSON escapes; they are valid JSON and re-encode as such.
    state = load_json(text, allow_lone_surrogates=True)
    if state is not None and not isinstance(state, dict):
        raise MalformedInput("awareness state is not an object or null")
    return state
