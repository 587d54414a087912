"""The shape of Yjs binary data, checked before Yrs sees it.

Yrs trusts the counts it reads: it reserves memory for a declared number of clients, structs or
map entries before reading them (the 4-byte update ``f3bc8679`` makes it reserve about 500 MB),
and it reads strings without checking their UTF-8. So every update and state vector a client
sends is walked here first, in time linear in its size, and anything that is not the exact
layout Yjs writes (lib0 encoding, update format v1) is refused with ``MalformedInput``.

The layout follows yjs ``src/utils/encoding.js`` (``readClientsStructRefs``), the content readers
of ``src/structs/*``, ``readAny`` of lib0 ``decoding.js`` and the delete set of
``src/utils/DeleteSet.js``. Where Yjs and Yrs read the same bytes differently, the content is
refused, since accepting it would let one client's edit reach the two kinds of peers as two
different documents.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

MAX_VARINT_BYTES = 10
MAX_NESTING = 64
# Yjs reads integers into JavaScript numbers: anything above 2**53 - 1 throws in every browser.
MAX_CLIENT_ID = 2**53 - 1
# Yrs keeps clocks and lengths as u32 and wraps silently past it.
MAX_CLOCK = 2**32 - 1

_GC = 0
_SKIP = 10
_HAS_ORIGIN = 0x80
_HAS_RIGHT_ORIGIN = 0x40
_HAS_PARENT_SUB = 0x20
_CONTENT_REF_MASK = 0x1F
_CONTENT_DELETED = 1
_CONTENT_TYPE = 7

_UNSEEN, _ON_PATH, _DONE = 0, 1, 2

_TYPE_XML_ELEMENT = 3
# 5 (XmlHook) is left out: Yjs writes a hook name after it and Yrs reads none.
_TYPE_REFS = frozenset({0, 1, 2, _TYPE_XML_ELEMENT, 4, 6})

_ANY_UNDEFINED, _ANY_NULL, _ANY_FALSE, _ANY_TRUE = 127, 126, 121, 120
_ANY_INTEGER, _ANY_FLOAT32, _ANY_FLOAT64, _ANY_BIGINT = 125, 124, 123, 122
_ANY_STRING, _ANY_OBJECT, _ANY_ARRAY, _ANY_BYTES = 119, 118, 117, 116
_ANY_FIXED_WIDTH = {_ANY_FLOAT32: 4, _ANY_FLOAT64: 8, _ANY_BIGINT: 8}
_ANY_NO_PAYLOAD = frozenset({_ANY_UNDEFINED, _ANY_NULL, _ANY_FALSE, _ANY_TRUE})


class MalformedInput(ValueError):
    """The bytes are not the layout they claim to be; the message says where it went wrong."""


class Lib0Reader:
    """A cursor over lib0-encoded bytes that never reads, allocates or loops past its end.

    Every method raises ``MalformedInput`` instead of reading beyond the buffer; variable-length
    integers longer than ``MAX_VARINT_BYTES`` are malformed whatever their value.
    """

    __slots__ = ("_buf", "_end", "pos")

    def __init__(self, buf: bytes) -> None:
        self._buf = buf
        self._end = len(buf)
        self.pos = 0

    def remaining(self) -> int:
        """The number of bytes not read yet."""
        return self._end - self.pos

    def expect_end(self) -> None:
        """Return if every byte was read; raise ``MalformedInput`` on trailing bytes."""
        if self.pos != self._end:
            raise MalformedInput(f"{self._end - self.pos} trailing bytes")

    def u8(self) -> int:
        """Read one byte."""
        if self.pos >= self._end:
            raise MalformedInput("truncated")
        byte = self._buf[self.pos]
        self.pos += 1
        return byte

    def var_uint(self) -> int:
        """Read an unsigned varint of at most ``MAX_VARINT_BYTES`` bytes."""
        buf, pos = self._buf, self.pos
        # Most varints are one byte, and a large update is mostly varints.
        if pos < self._end and buf[pos] < 0x80:
            self.pos = pos + 1
            return buf[pos]
        stop = min(self._end, pos + MAX_VARINT_BYTES)
        value = 0
        shift = 0
        while pos < stop:
            byte = buf[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.pos = pos
                return value
            shift += 7
        if stop == self._end and pos - self.pos < MAX_VARINT_BYTES:
            raise MalformedInput("truncated varint")
        raise MalformedInput("varint longer than 10 bytes")

    def var_int(self) -> int:
        """Read a lib0 signed varint (sign in bit 6 of the first byte), at most 10 bytes."""
        first = self.u8()
        magnitude = first & 0x3F
        if first & 0x80:
            start = self.pos
            rest = self.var_uint()
            if self.pos - start > MAX_VARINT_BYTES - 1:
                raise MalformedInput("varint longer than 10 bytes")
            magnitude |= rest << 6
        return -magnitude if first & 0x40 else magnitude

    def count(self, min_item_bytes: int) -> int:
        """Read a count of items that take at least ``min_item_bytes`` each, refusing any count
        the remaining bytes cannot hold."""
        declared = self.var_uint()
        if declared * min_item_bytes > self._end - self.pos:
            raise MalformedInput(f"count {declared} exceeds the remaining bytes")
        return declared

    def take(self, length: int) -> bytes:
        """Read exactly ``length`` bytes."""
        if length > self._end - self.pos:
            raise MalformedInput(f"length {length} exceeds the remaining bytes")
        start = self.pos
        self.pos = start + length
        return self._buf[start : self.pos]

    def skip(self, length: int) -> None:
        """Step over exactly ``length`` bytes."""
        if length > self._end - self.pos:
            raise MalformedInput(f"length {length} exceeds the remaining bytes")
        self.pos += length

    def var_bytes(self) -> bytes:
        """Read a varuint length, then that many bytes."""
        return self.take(self.var_uint())

    def var_string(self) -> str:
        """Read a varuint length, then that many bytes of UTF-8."""
        try:
            return self.var_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedInput("string is not UTF-8") from error


def read_update(update: bytes) -> UpdateShape:
    """The shape of ``update`` if it is exactly one well-formed Yjs update v1 that Yrs will
    read as Yjs does: the struct section (every client block, struct and content) and the
    delete set, with nothing after it, in which no item names as its parent another struct of
    the same update that is not a type.

    Yrs may still refuse a valid update for what is already in the document it is applied to
    (a parent that is not a type); a fresh document accepts it.

    Raises ``MalformedInput`` otherwise, before anything proportional to a declared count is
    allocated.
    """
    reader = Lib0Reader(update)
    shape = _read_structs(reader)
    _read_delete_set(reader, shape)
    reader.expect_end()
    shape.check_parents()
    return shape


def leaves_pending(update: bytes, state_vector: bytes) -> bool:
    """``read_update(update).leaves_pending(state_vector)``."""
    return read_update(update).leaves_pending(state_vector)


def validate_state_vector(state_vector: bytes) -> None:
    """Return if ``state_vector`` is exactly one encoded state vector: a count, then that many
    (client, clock) pairs.

    Raises ``MalformedInput`` otherwise.
    """
    _read_state_vector(state_vector)


def _read_state_vector(state_vector: bytes) -> dict[int, int]:
    reader = Lib0Reader(state_vector)
    state = {}
    for _ in range(reader.count(2)):
        client = _read_client(reader)
        state[client] = _read_clock(reader)
    reader.expect_end()
    return state


def load_json(text: str, *, allow_lone_surrogates: bool) -> Any:
    """Parse ``text`` as JSON that every peer parses the same way and can re-encode: no NaN or
    Infinity, no number outside a double, nesting at most ``MAX_NESTING`` deep and, unless
    ``allow_lone_surrogates``, no unpaired surrogate escapes (Yrs' JSON parser refuses them).

    Raises ``MalformedInput`` otherwise.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise MalformedInput("invalid JSON") from error
    _check_json_value(value, allow_lone_surrogates=allow_lone_surrogates)
    return value


def _refuse_constant(name: str) -> Any:
    raise MalformedInput(f"JSON constant {name}")


def _check_json_value(root: Any, *, allow_lone_surrogates: bool) -> None:
    # Iterative, so a deep value costs no Python stack.
    pending: list[tuple[Any, int]] = [(root, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_NESTING:
                raise MalformedInput("JSON nested too deep")
            if isinstance(value, dict):
                if not allow_lone_surrogates:
                    for key in value:
                        _check_encodable(key)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if not allow_lone_surrogates:
                _check_encodable(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise MalformedInput("JSON number out of range")
        elif isinstance(value, int) and not isinstance(value, bool):
            try:
                float(value)
            except OverflowError as error:
                raise MalformedInput("JSON number out of range") from error


def _check_encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise MalformedInput("unpaired surrogate in JSON") from error


def _read_client(reader: Lib0Reader) -> int:
    client = reader.var_uint()
    if client > MAX_CLIENT_ID:
        raise MalformedInput(f"client id {client} out of range")
    return client


def _read_clock(reader: Lib0Reader) -> int:
    clock = reader.var_uint()
    if clock > MAX_CLOCK:
        raise MalformedInput(f"clock {clock} out of range")
    return clock


def _read_length(reader: Lib0Reader) -> int:
    # Yjs never writes an empty struct or range, and Yrs computes `clock + len - 1` on them.
    length = reader.var_uint()
    if not 1 <= length <= MAX_CLOCK:
        raise MalformedInput(f"length {length} out of range")
    return length


def _read_id(reader: Lib0Reader) -> tuple[int, int]:
    return _read_client(reader), _read_clock(reader)


class UpdateShape:
    """Each client block of a well-formed update (``read_update``): where its structs start,
    what they hold and which IDs each one needs before it can be integrated (origin, right
    origin, parent). Read once by the decoder, it tells the runtime whether the update can be
    applied (``leaves_pending``) without reading it again."""

    __slots__ = ("deleted_ends", "ends", "kinds", "needs", "parent_ids", "starts")

    def __init__(self) -> None:
        self.starts: dict[int, list[int]] = {}
        self.kinds: dict[int, list[int]] = {}
        self.needs: dict[int, list[tuple[tuple[int, int], ...]]] = {}
        self.ends: dict[int, int] = {}
        self.parent_ids: list[tuple[int, int]] = []
        self.deleted_ends: dict[int, int] = {}

    def leaves_pending(self, state_vector: bytes) -> bool:
        """Whether Yrs, applying this update to a document whose state is
        ``state_vector`` (``Doc.get_state()``), would hold part of it back as pending: a client
        block starting past what the document has, a Skip, an origin, right origin or parent ID
        that neither the document nor the update provides, a dependency cycle, or a deletion of
        structs the document does not have.

        Yrs 0.28 keeps pending structs in memory for good and can crash the process (a
        segmentation fault, measured) when a later update overlaps them, so the caller should not
        hand it an update for which this returns True. Honest Yjs clients send updates that leave
        nothing pending, except when a browser tab has seen a peer's edit (over BroadcastChannel)
        before the server did. This does not make every well-formed update safe for Yrs: some that
        leave nothing pending still make it panic.

        Raises ``MalformedInput`` if ``state_vector`` is not well-formed.
        """
        state = _read_state_vector(state_vector)
        for client, starts in self.starts.items():
            if (starts and starts[0] > state.get(client, 0)) or _SKIP in self.kinds[client]:
                return True
        for client, end in self.deleted_ends.items():
            if end > max(state.get(client, 0), self.ends.get(client, 0)):
                return True
        return self.has_unmet_needs(state)

    def inserting_clients(self) -> list[int]:
        """The client ids of the items this update inserts (GC and Skip structs insert none)."""
        return [
            client
            for client, kinds in self.kinds.items()
            if any(kind not in (_GC, _SKIP) for kind in kinds)
        ]

    def locate(self, client: int, clock: int) -> int | None:
        """The index of the struct of ``client`` covering ``clock``, if this update has it."""
        starts = self.starts.get(client)
        if not starts or not starts[0] <= clock < self.ends[client]:
            return None
        return bisect_right(starts, clock) - 1

    def check_parents(self) -> None:
        # Yrs refuses (after integrating what came before it) an item whose parent, found in the
        # document, holds content other than a type or a deletion. Parents inside this same
        # update are checked here; the document the update goes to may still refuse others.
        for client, clock in self.parent_ids:
            index = self.locate(client, clock)
            if index is not None and self.kinds[client][index] in _NOT_A_PARENT:
                raise MalformedInput(f"parent <{client}#{clock}> is not a type")

    def has_unmet_needs(self, state: dict[int, int]) -> bool:
        """Whether some struct needs an ID that neither the document (``state``) nor an earlier
        struct of this update provides, a dependency cycle included."""
        colour = {client: bytearray(len(starts)) for client, starts in self.starts.items()}
        return any(
            colour[client][index] == _UNSEEN and self._reaches_unmet(client, index, state, colour)
            for client, starts in self.starts.items()
            for index in range(len(starts))
        )

    def _reaches_unmet(
        self, client: int, index: int, state: dict[int, int], colour: dict[int, bytearray]
    ) -> bool:
        # Depth-first, without recursion: a struct needs the one before it in its block and each
        # struct of this update it names. Meeting a struct still on the path closes a cycle.
        colour[client][index] = _ON_PATH
        path = [(client, index, self._needed_structs(client, index, state))]
        while path:
            client, index, needed = path[-1]
            if needed is None:
                return True
            if not needed:
                colour[client][index] = _DONE
                path.pop()
                continue
            next_client, next_index = needed.pop()
            mark = colour[next_client][next_index]
            if mark == _ON_PATH:
                return True
            if mark == _UNSEEN:
                colour[next_client][next_index] = _ON_PATH
                needs = self._needed_structs(next_client, next_index, state)
                path.append((next_client, next_index, needs))
        return False

    def _needed_structs(
        self, client: int, index: int, state: dict[int, int]
    ) -> list[tuple[int, int]] | None:
        needed = [(client, index - 1)] if index else []
        for needed_client, needed_clock in self.needs[client][index]:
            if needed_clock < state.get(needed_client, 0):
                continue
            found = self.locate(needed_client, needed_clock)
            if found is None or self.kinds[needed_client][found] == _SKIP:
                return None
            needed.append((needed_client, found))
        return needed


def _read_structs(reader: Lib0Reader) -> UpdateShape:
    index = UpdateShape()
    # A client block is at least its struct count, client and clock; a struct at least 2 bytes.
    for _ in range(reader.count(3)):
        struct_count = reader.count(2)
        client = _read_client(reader)
        # Yjs keeps only the last block of a repeated client, Yrs appends them: they disagree.
        if client in index.starts:
            raise MalformedInput(f"client {client} has two blocks")
        clock = _read_clock(reader)
        starts = index.starts[client] = []
        kinds = index.kinds[client] = []
        needs = index.needs[client] = []
        for _ in range(struct_count):
            starts.append(clock)
            kind, length, needed = _read_struct(reader, index.parent_ids)
            kinds.append(kind)
            needs.append(needed)
            clock += length
            if clock > MAX_CLOCK:
                raise MalformedInput(f"clock {clock} out of range")
        index.ends[client] = clock
    return index


def _read_struct(
    reader: Lib0Reader, parent_ids: list[tuple[int, int]]
) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """Read one GC, Skip or Item struct; return its kind (the content ref, or GC or Skip), the
    number of clock ticks it covers and the IDs it needs."""
    info = reader.u8()
    # Yjs masks the info byte for GC and Skip, Yrs compares it whole: only the bare values agree.
    if info in (_GC, _SKIP):
        return info, _read_length(reader), ()
    kind = info & _CONTENT_REF_MASK
    content_reader = _CONTENT_READERS.get(kind)
    if content_reader is None:
        raise MalformedInput(f"unknown struct info {info:#04x}")
    needed: tuple[tuple[int, int], ...] = ()
    if info & _HAS_ORIGIN:
        needed += (_read_id(reader),)
    if info & _HAS_RIGHT_ORIGIN:
        needed += (_read_id(reader),)
    if not info & (_HAS_ORIGIN | _HAS_RIGHT_ORIGIN):
        parent_is_root = reader.var_uint()
        if parent_is_root == 1:
            reader.var_string()
        elif parent_is_root == 0:
            parent = _read_id(reader)
            parent_ids.append(parent)
            needed = (parent,)
        else:
            raise MalformedInput(f"parent info {parent_is_root}")
        if info & _HAS_PARENT_SUB:
            reader.var_string()
    return kind, content_reader(reader), needed


def _read_content_deleted(reader: Lib0Reader) -> int:
    return _read_length(reader)


def _read_content_binary(reader: Lib0Reader) -> int:
    reader.skip(reader.var_uint())
    return 1


def _read_content_string(reader: Lib0Reader) -> int:
    # Empty is allowed: Yrs writes an empty string for half of a character split at a UTF-8
    # byte position, and drops it when reading. Yjs counts string content in UTF-16 code units.
    text = reader.var_string()
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _read_content_embed(reader: Lib0Reader) -> int:
    load_json(reader.var_string(), allow_lone_surrogates=False)
    return 1


def _read_content_format(reader: Lib0Reader) -> int:
    reader.var_string()
    load_json(reader.var_string(), allow_lone_surrogates=False)
    return 1


def _read_content_type(reader: Lib0Reader) -> int:
    # Yjs reads the type ref as a varuint and Yrs as one byte: a single byte below 0x80 is both.
    type_ref = reader.u8()
    if type_ref not in _TYPE_REFS:
        raise MalformedInput(f"unknown type ref {type_ref}")
    if type_ref == _TYPE_XML_ELEMENT:
        reader.var_string()
    return 1


def _read_content_any(reader: Lib0Reader) -> int:
    length = reader.count(1)
    if length == 0:
        raise MalformedInput("empty any content")
    for _ in range(length):
        _read_any(reader, 0)
    return length


def _read_content_doc(reader: Lib0Reader) -> int:
    reader.var_string()
    _read_any(reader, 0)
    return 1


def _read_any(reader: Lib0Reader, depth: int) -> None:
    tag = reader.u8()
    if tag in _ANY_NO_PAYLOAD:
        return
    width = _ANY_FIXED_WIDTH.get(tag)
    if width is not None:
        reader.skip(width)
    elif tag == _ANY_INTEGER:
        reader.var_int()
    elif tag == _ANY_STRING:
        reader.var_string()
    elif tag == _ANY_BYTES:
        reader.skip(reader.var_uint())
    elif tag == _ANY_OBJECT:
        if depth >= MAX_NESTING:
            raise MalformedInput("any value nested too deep")
        # Each entry is at least a key length and a value tag.
        for _ in range(reader.count(2)):
            reader.var_string()
            _read_any(reader, depth + 1)
    elif tag == _ANY_ARRAY:
        if depth >= MAX_NESTING:
            raise MalformedInput("any value nested too deep")
        for _ in range(reader.count(1)):
            _read_any(reader, depth + 1)
    else:
        raise MalformedInput(f"unknown any tag {tag}")


def _read_delete_set(reader: Lib0Reader, index: UpdateShape) -> None:
    # Each client entry is at least its client id and its range count.
    for _ in range(reader.count(2)):
        client = _read_client(reader)
        # Each range is at least a clock and a length.
        for _ in range(reader.count(2)):
            end = _read_clock(reader) + _read_length(reader)
            if end > MAX_CLOCK:
                raise MalformedInput("delete range out of range")
            index.deleted_ends[client] = max(end, index.deleted_ends.get(client, 0))


# Content ref 2 (JSON, written by Yjs before v13) is left out: Yrs reads one string more than
# the count Yjs writes, so the rest of the update would be read as something else.
_CONTENT_READERS: dict[int, Callable[[Lib0Reader], int]] = {
    _CONTENT_DELETED: _read_content_deleted,
    3: _read_content_binary,
    4: _read_content_string,
    5: _read_content_embed,
    6: _read_content_format,
    _CONTENT_TYPE: _read_content_type,
    8: _read_content_any,
    9: _read_content_doc,
}

_NOT_A_PARENT = frozenset(_CONTENT_READERS) - {_CONTENT_DELETED, _CONTENT_TYPE}
