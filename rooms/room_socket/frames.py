"""What a client may send on the room socket (``/ws/rooms/{room_id}``): each JSON text frame
checked into a typed command before any service sees it. No Django.

Every frame is an object with a ``type``; fields a type does not know are ignored, so newer
clients keep working. A frame that is not JSON, not an object, of an unknown type, or with a
missing or mistyped field raises ``FrameError``, which the socket answers with an ``error``
event (the socket stays open: a client bug must not cost the user their chat).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

CLIENT_ID_MAX = 64


class FrameError(Exception):
    """A frame the socket refuses: ``code`` is stable, ``detail`` says what was wrong, and
    ``client_id`` is the frame's own, when it had a usable one."""

    def __init__(self, code: str, detail: str, client_id: str | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.client_id = client_id


@dataclass(frozen=True)
class MessageSend:
    body: str
    parent: int | None
    client_id: str


@dataclass(frozen=True)
class MessageEdit:
    message: int
    body: str
    client_id: str


@dataclass(frozen=True)
class MessageDelete:
    message: int
    client_id: str


@dataclass(frozen=True)
class ReactionAdd:
    message: int
    emoji: str
    client_id: str


@dataclass(frozen=True)
class ReactionRemove:
    message: int
    emoji: str
    client_id: str


@dataclass(frozen=True)
class Typing:
    client_id: str


@dataclass(frozen=True)
class Read:
    message: int | None  # None: up to the newest message
    client_id: str


@dataclass(frozen=True)
class PresenceStatus:
    status: str
    client_id: str


@dataclass(frozen=True)
class PresenceViewing:
    document: str | None
    client_id: str


@dataclass(frozen=True)
class ThreadCreate:
    document: str
    anchor: dict[str, str]  # kind, and start/end/quote (text) or shape_id (shape)
    body: str
    client_id: str


@dataclass(frozen=True)
class ThreadResolve:
    document: str
    thread: int
    resolved: bool
    client_id: str


@dataclass(frozen=True)
class CommentReply:
    document: str
    thread: int
    body: str
    client_id: str


@dataclass(frozen=True)
class CommentEdit:
    document: str
    thread: int
    comment: int
    body: str
    client_id: str


@dataclass(frozen=True)
class CommentDelete:
    document: str
    thread: int
    comment: int
    client_id: str


@dataclass(frozen=True)
class CommentReact:
    document: str
    thread: int
    comment: int
    emoji: str
    on: bool
    client_id: str


CommentCommand = (
    ThreadCreate | ThreadResolve | CommentReply | CommentEdit | CommentDelete | CommentReact
)


Command = (
    MessageSend
    | MessageEdit
    | MessageDelete
    | ReactionAdd
    | ReactionRemove
    | Typing
    | Read
    | PresenceStatus
    | PresenceViewing
    | CommentCommand
)


class _Fields:
    """Reads the fields of one frame, raising ``FrameError`` on the first bad one."""

    def __init__(self, frame: dict[str, Any], client_id: str | None) -> None:
        self.frame = frame
        self.client_id = client_id

    def _bad(self, name: str, expected: str) -> FrameError:
        return FrameError("invalid_frame", f"'{name}' must be {expected}.", self.client_id)

    def text(self, name: str) -> str:
        value = self.frame.get(name)
        if not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def message_id(self, name: str) -> int:
        value = self.frame.get(name)
        # bool is an int in Python, never in a client's intent.
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self._bad(name, "a message id (a positive integer)")
        return value

    def optional_message_id(self, name: str) -> int | None:
        return None if self.frame.get(name) is None else self.message_id(name)

    def anchor(self, name: str) -> dict[str, str]:
        value = self.frame.get(name)
        if not isinstance(value, dict) or value.get("kind") not in ("text", "shape"):
            raise self._bad(name, 'an object with a "kind" of "text" or "shape"')
        fields = ("start", "end", "quote") if value["kind"] == "text" else ("shape_id",)
        anchor = {"kind": value["kind"]}
        for field in fields:
            text = value.get(field, "")
            if not isinstance(text, str):
                raise self._bad(f"{name}.{field}", "a string")
            anchor[field] = text
        return anchor

    def optional_text(self, name: str) -> str | None:
        value = self.frame.get(name)
        if value is not None and not isinstance(value, str):
            raise self._bad(name, "a string or null")
        return value


def _client_id(frame: dict[str, Any]) -> str:
    value = frame.get("client_id", "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > CLIENT_ID_MAX:
        raise FrameError(
            "invalid_frame", f"'client_id' must be a string of at most {CLIENT_ID_MAX} characters."
        )
    return value


def parse_frame(text: str) -> Command:
    """The command a text frame carries. Raises ``FrameError`` (``invalid_json``,
    ``invalid_frame`` or ``unknown_type``)."""
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("invalid_json", "A frame must be a JSON object.") from None
    if not isinstance(frame, dict):
        raise FrameError("invalid_json", "A frame must be a JSON object.")
    client_id = _client_id(frame)
    fields = _Fields(frame, client_id or None)
    kind = frame.get("type")
    if kind == "message.send":
        return MessageSend(
            body=fields.text("body"),
            parent=fields.optional_message_id("parent"),
            client_id=client_id,
        )
    if kind == "message.edit":
        return MessageEdit(
            message=fields.message_id("message"), body=fields.text("body"), client_id=client_id
        )
    if kind == "message.delete":
        return MessageDelete(message=fields.message_id("message"), client_id=client_id)
    if kind in ("reaction.add", "reaction.remove"):
        reaction = ReactionAdd if kind == "reaction.add" else ReactionRemove
        return reaction(
            message=fields.message_id("message"), emoji=fields.text("emoji"), client_id=client_id
        )
    if kind == "typing":
        return Typing(client_id=client_id)
    if kind == "read":
        return Read(message=fields.optional_message_id("message"), client_id=client_id)
    if kind == "presence.status":
        return PresenceStatus(status=fields.text("status"), client_id=client_id)
    if kind == "presence.viewing":
        return PresenceViewing(document=fields.optional_text("document"), client_id=client_id)
    if isinstance(kind, str) and kind.startswith(("comment.", "comment_thread.")):
        return _comment_command(kind, fields, client_id)
    if not isinstance(kind, str):
        raise FrameError("invalid_frame", "A frame needs a 'type'.", client_id or None)
    raise FrameError("unknown_type", f"Unknown frame type '{kind[:64]}'.", client_id or None)


def _comment_command(kind: str, fields: _Fields, client_id: str) -> CommentCommand:
    """A comment frame: ``document`` (its id) and the thread, comment and text it names."""
    document = fields.text("document")
    if kind == "comment_thread.create":
        return ThreadCreate(
            document=document,
            anchor=fields.anchor("anchor"),
            body=fields.text("body"),
            client_id=client_id,
        )
    thread = fields.message_id("thread")
    if kind in ("comment_thread.resolve", "comment_thread.reopen"):
        return ThreadResolve(
            document=document,
            thread=thread,
            resolved=kind == "comment_thread.resolve",
            client_id=client_id,
        )
    if kind == "comment.reply":
        return CommentReply(
            document=document, thread=thread, body=fields.text("body"), client_id=client_id
        )
    if kind in ("comment.edit", "comment.delete", "comment.react", "comment.unreact"):
        comment = fields.message_id("comment")
        if kind == "comment.edit":
            return CommentEdit(
                document=document,
                thread=thread,
                comment=comment,
                body=fields.text("body"),
                client_id=client_id,
            )
        if kind == "comment.delete":
            return CommentDelete(
                document=document, thread=thread, comment=comment, client_id=client_id
            )
        return CommentReact(
            document=document,
            thread=thread,
            comment=comment,
            emoji=fields.text("emoji"),
            on=kind == "comment.react",
            client_id=client_id,
        )
    raise FrameError("unknown_type", f"Unknown frame type '{kind[:64]}'.", client_id or None)
