"""The Hocuspocus wire format (``@hocuspocus/provider``): decoding what a client sends, encoding
what the server sends.

Every message but the connection-level pong starts with the name of the document it is about
(a varString; the provider may append ``"\\0" + session id`` to address one document twice on
one socket), then a varuint message type and its body:

- 0 sync, 1 awareness, 3 query awareness: the body is exactly a y-websocket message's, so
  the name is stripped and the rest goes through ``protocol.decode_frame``'s hardened decoder;
  what the runtime sends a Hocuspocus connection is the y-websocket frame with the name before it.
- 2 auth: the client sends token (0), a varString token and, from provider 4 on, a varString
  version; the server answers permission denied (1) with a reason, or authenticated (2) with a
  scope, ``read-write`` or ``readonly``.
- 5 stateless (for server hooks, which Collab has none of), 6 broadcast stateless (relayed as
  stateless to every connection of the document): one varString payload.
- 7 close: the client leaves that document (the server's has a varString reason).
- 8 sync status: server only; one varuint, 1 when an update the client sent is stored (sent
  after its commit here), 0 when it was refused (a read-only connection).
- 9 ping (server only) and 10 pong: one byte, no document name.

Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from pycrdt import write_var_uint

from rooms.sync import protocol as p
from rooms.sync.update_shape import Lib0Reader, MalformedInput

# A document id is 36 characters; the provider's session suffix is a short random string.
MAX_NAME_BYTES = 256
MAX_TOKEN_BYTES = 4096

SCOPE_READ_WRITE = "read-write"
SCOPE_READONLY = "readonly"


class MessageType(IntEnum):
    SYNC = 0
    AWARENESS = 1
    AUTH = 2
    QUERY_AWARENESS = 3
    STATELESS = 5
    BROADCAST_STATELESS = 6
    CLOSE = 7
    SYNC_STATUS = 8
    PING = 9
    PONG = 10


class AuthType(IntEnum):
    TOKEN = 0
    PERMISSION_DENIED = 1
    AUTHENTICATED = 2


@dataclass(frozen=True)
class Authenticate:
    """A client's token for one document (empty: none; a browser then relies on its session)."""

    token: str


@dataclass(frozen=True)
class Stateless:
    """A string the client sends past the document: ``broadcast`` ones go to every connection
    of the document."""

    payload: str
    broadcast: bool


@dataclass(frozen=True)
class CloseDocument:
    """The client leaves the document (the socket stays open for its others)."""


@dataclass(frozen=True)
class Pong:
    """The answer to a ping; carries no document name."""


Body = (
    p.SyncStep1 | p.SyncUpdate | p.AwarenessUpdate | p.QueryAwareness | Authenticate | Stateless
) | CloseDocument


@dataclass(frozen=True)
class Message:
    """One client message about the document ``name`` (as the client wrote it)."""

    name: str
    body: Body

    @property
    def document_name(self) -> str:
        """The name without the provider's session suffix: the document's id."""
        return self.name.split("\0", 1)[0]


def decode_message(
    data: bytes, *, max_frame_bytes: int, max_awareness_state_bytes: int
) -> Message | Pong:
    """Decode one client message.

    Promises what ``protocol.decode_frame`` promises of sync and awareness bodies; a name is
    UTF-8 of at most ``MAX_NAME_BYTES``, a token at most ``MAX_TOKEN_BYTES``, and the whole
    frame was exactly one message.

    Raises ``protocol.ProtocolError`` with ``CLOSE_TOO_LARGE`` for a frame over
    ``max_frame_bytes`` or an awareness state over ``max_awareness_state_bytes``, and with
    ``CLOSE_MALFORMED`` for anything else wrong: an empty or truncated frame, trailing bytes, a
    name or string that is not UTF-8 or too long, a message type only the server sends or none
    knows, an auth message other than a token, a malformed sync or awareness body.
    """
    if len(data) > max_frame_bytes:
        raise p.ProtocolError(p.CLOSE_TOO_LARGE, "frame too large")
    if data == bytes((MessageType.PONG,)):
        return Pong()
    reader = Lib0Reader(data)
    try:
        name = _string(reader, MAX_NAME_BYTES, "document name")
        start = reader.pos
        message_type = reader.var_uint()
        if message_type in (MessageType.SYNC, MessageType.AWARENESS, MessageType.QUERY_AWARENESS):
            frame = p.decode_frame(
                data[start:],
                max_frame_bytes=max_frame_bytes,
                max_awareness_state_bytes=max_awareness_state_bytes,
            )
            if isinstance(frame, p.Confirm):  # ruled out by the type read above
                raise MalformedInput("confirm is not a Hocuspocus message")
            body: Body = frame
            return Message(name, body)
        body = _read_own(reader, message_type)
        reader.expect_end()
    except MalformedInput as error:
        raise p.ProtocolError(p.CLOSE_MALFORMED, str(error)) from error
    return Message(name, body)


def _read_own(reader: Lib0Reader, message_type: int) -> Body:
    if message_type == MessageType.AUTH:
        if reader.var_uint() != AuthType.TOKEN:
            raise MalformedInput("clients send only token auth messages")
        token = _string(reader, MAX_TOKEN_BYTES, "token")
        if reader.remaining():
            _string(reader, MAX_NAME_BYTES, "provider version")
        return Authenticate(token)
    if message_type in (MessageType.STATELESS, MessageType.BROADCAST_STATELESS):
        payload = _string(reader, reader.remaining(), "stateless payload")
        return Stateless(payload, broadcast=message_type == MessageType.BROADCAST_STATELESS)
    if message_type == MessageType.CLOSE:
        return CloseDocument()
    if message_type in (MessageType.SYNC_STATUS, MessageType.PING, MessageType.PONG):
        raise MalformedInput(f"message type {message_type} is sent by the server only")
    raise MalformedInput(f"unknown message type {message_type}")


def _string(reader: Lib0Reader, max_bytes: int, what: str) -> str:
    length = reader.var_uint()
    if length > max_bytes:
        raise MalformedInput(f"{what} too long")
    try:
        return reader.take(length).decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedInput(f"{what} is not UTF-8") from error


def _var_string(text: str) -> bytes:
    raw = text.encode("utf-8", errors="replace")
    return write_var_uint(len(raw)) + raw


def name_prefix(name: str) -> bytes:
    """What goes before a y-websocket frame (sync, awareness, query awareness) to make it this
    document's Hocuspocus message. Raises nothing."""
    return _var_string(name)


def encode_authenticated(name: str, *, read_only: bool) -> bytes:
    """The answer to a token the server accepted, with the connection's scope."""
    scope = SCOPE_READONLY if read_only else SCOPE_READ_WRITE
    return (
        name_prefix(name) + bytes((MessageType.AUTH, AuthType.AUTHENTICATED)) + _var_string(scope)
    )


def encode_permission_denied(name: str, reason: str) -> bytes:
    """The answer to a token or session the server refused for this document (the provider's
    ``authenticationFailed``), or to a connection whose access to it was revoked."""
    return (
        name_prefix(name)
        + bytes((MessageType.AUTH, AuthType.PERMISSION_DENIED))
        + _var_string(reason)
    )


def encode_sync_status(name: str, *, stored: bool) -> bytes:
    """Tells the client one update it sent is stored (``stored``), or refused."""
    return name_prefix(name) + bytes((MessageType.SYNC_STATUS, 1 if stored else 0))


def encode_stateless(name: str, payload: str) -> bytes:
    """A stateless message for the client (a broadcast another connection sent)."""
    return name_prefix(name) + bytes((MessageType.STATELESS,)) + _var_string(payload)
