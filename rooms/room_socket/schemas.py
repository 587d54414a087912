"""The schema of every event the room socket (``/ws/rooms/{room_id}``) sends.

``SCHEMAS`` is the contract: one JSON Schema per server-to-client event ``type``; the tests
validate every emitted event against it."""

from __future__ import annotations

from typing import Any

# A person as the REST API shows one (rooms.core.serializers.user_summary).
USER = {
    "type": "object",
    "required": ["id", "username", "display_name", "color"],
    "properties": {
        "id": {"type": "integer"},
        "username": {"type": "string"},
        "display_name": {"type": "string"},
        "color": {"type": "string"},
    },
    "additionalProperties": False,
}


def event_schema(
    event_type: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """The schema of one event: its ``type`` constant plus its own fields."""
    return {
        "type": "object",
        "required": ["type", *required],
        "properties": {"type": {"const": event_type}, **properties},
        "additionalProperties": False,
    }


# One entry per server-to-client event type. Chat and presence add theirs below.
SCHEMAS: dict[str, dict[str, Any]] = {
    "error": event_schema(
        "error",
        {
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "client_id": {"type": ["string", "null"]},
        },
        ["code", "detail"],
    ),
}


_PRESENCE_ROOM = {"type": "string", "format": "uuid"}


PRESENCE_STATUS = {"enum": ["online", "away"]}


PRESENCE_VIEWING = {"type": ["string", "null"], "format": "uuid"}


PRESENCE_SEEN_AT = {"type": "string", "format": "date-time"}


PRESENCE_MEMBER = {
    "type": "object",
    "required": ["user", "status", "viewing", "connections"],
    "properties": {
        "user": USER,
        "status": PRESENCE_STATUS,
        "viewing": PRESENCE_VIEWING,
        "connections": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}


PRESENCE_LAST_SEEN = {
    "type": "object",
    "required": ["user", "seen_at"],
    "properties": {"user": USER, "seen_at": PRESENCE_SEEN_AT},
    "additionalProperties": False,
}


_PRESENCE_STATE = {
    "room": _PRESENCE_ROOM,
    "user": USER,
    "status": PRESENCE_STATUS,
    "viewing": PRESENCE_VIEWING,
}


SCHEMAS["presence.snapshot"] = event_schema(
    "presence.snapshot",
    {
        "room": _PRESENCE_ROOM,
        "members": {"type": "array", "items": PRESENCE_MEMBER},
        # Those not here now, most recently seen first (at most 100).
        "last_seen": {"type": "array", "items": PRESENCE_LAST_SEEN},
    },
    ["room", "members", "last_seen"],
)


# A user's first connection in the room.
SCHEMAS["presence.join"] = event_schema("presence.join", _PRESENCE_STATE, list(_PRESENCE_STATE))


# What others see of a user still here changed: status (online if any of their connections
# is) or the document viewed (the one they most recently chose).
SCHEMAS["presence.update"] = event_schema("presence.update", _PRESENCE_STATE, list(_PRESENCE_STATE))


# A user's last connection closed or expired; ``seen_at`` is when they were last here.
SCHEMAS["presence.leave"] = event_schema(
    "presence.leave",
    {"room": _PRESENCE_ROOM, "user": USER, "seen_at": PRESENCE_SEEN_AT},
    ["room", "user", "seen_at"],
)


# Several presence events of one room sent as one frame, in the order they happened: the
# room hub coalesces them when they come in bursts (``COLLAB_PRESENCE_TICK_SECONDS``).
SCHEMAS["presence.batch"] = event_schema(
    "presence.batch",
    {
        "room": _PRESENCE_ROOM,
        "events": {
            "type": "array",
            "minItems": 2,
            "items": {
                "oneOf": [
                    SCHEMAS["presence.join"],
                    SCHEMAS["presence.update"],
                    SCHEMAS["presence.leave"],
                ]
            },
        },
    },
    ["room", "events"],
)


MESSAGE_AUTHOR = USER


REACTIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["emoji", "count", "user_ids"],
        "properties": {
            "emoji": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 1},
            "user_ids": {"type": "array", "items": {"type": "integer"}},
        },
        "additionalProperties": False,
    },
}


MESSAGE = {
    "type": "object",
    "required": [
        "id",
        "room",
        "author",
        "kind",
        "body",
        "body_html",
        "parent",
        "reply_count",
        "attachment",
        "client_id",
        "created_at",
        "edited_at",
        "deleted_at",
        "reactions",
    ],
    "properties": {
        "id": {"type": "integer"},
        "room": {"type": "string", "format": "uuid"},
        "author": {"oneOf": [{"type": "null"}, MESSAGE_AUTHOR]},
        "kind": {"enum": ["text", "system", "file"]},
        "body": {"type": "string"},
        "body_html": {"type": "string"},
        "parent": {"type": ["integer", "null"]},
        "reply_count": {"type": "integer", "minimum": 0},
        "attachment": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "filename", "content_type", "size", "url"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "filename": {"type": "string"},
                        "content_type": {"type": "string"},
                        "size": {"type": "integer", "minimum": 0},
                        "url": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "client_id": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "edited_at": {"type": ["string", "null"], "format": "date-time"},
        "deleted_at": {"type": ["string", "null"], "format": "date-time"},
        "reactions": REACTIONS,
    },
    "additionalProperties": False,
}


_REACTION_FIELDS = {
    "room": {"type": "string", "format": "uuid"},
    "message_id": {"type": "integer"},
    "emoji": {"type": "string", "minLength": 1},
    "user_id": {"type": "integer"},
    "reactions": REACTIONS,
}


SCHEMAS["message.new"] = event_schema(
    "message.new",
    {
        "message": MESSAGE,
        # For a thread reply, the root's reply count after it; null for a top-level message.
        "parent_reply_count": {"type": ["integer", "null"], "minimum": 1},
    },
    ["message", "parent_reply_count"],
)


SCHEMAS["message.edited"] = event_schema("message.edited", {"message": MESSAGE}, ["message"])


# The tombstone: body, body_html and attachment emptied, deleted_at set, reactions gone.
SCHEMAS["message.deleted"] = event_schema("message.deleted", {"message": MESSAGE}, ["message"])


# Each carries the message's reactions after the change.
SCHEMAS["reaction.added"] = event_schema("reaction.added", _REACTION_FIELDS, list(_REACTION_FIELDS))


SCHEMAS["reaction.removed"] = event_schema(
    "reaction.removed", _REACTION_FIELDS, list(_REACTION_FIELDS)
)


# For one member only (``user_id``): the socket forwards it to that user's connections alone.
SCHEMAS["unread"] = event_schema(
    "unread",
    {
        "room": {"type": "string", "format": "uuid"},
        "user_id": {"type": "integer"},
        "last_read_message_id": {"type": ["integer", "null"]},
        "count": {"type": "integer", "minimum": 0},
    },
    ["room", "user_id", "last_read_message_id", "count"],
)


# Sent by the room socket to a connection that just joined (not published to the group):
# the newest messages, oldest first; has_more: older ones exist (rooms/{id}/messages?before=).
SCHEMAS["message.history"] = event_schema(
    "message.history",
    {"messages": {"type": "array", "items": MESSAGE}, "has_more": {"type": "boolean"}},
    ["messages", "has_more"],
)


# Someone is typing: never stored, throttled by the room socket; clients hide it expires_in
# seconds after the last one (the socket does not forward a user's own).
SCHEMAS["typing"] = event_schema(
    "typing",
    {
        "room": {"type": "string", "format": "uuid"},
        "user": USER,
        "expires_in": {"type": "integer", "minimum": 1},
    },
    ["room", "user", "expires_in"],
)


NOTIFICATION = {
    "type": "object",
    "required": [
        "id",
        "kind",
        "actor",
        "room",
        "document",
        "message_id",
        "thread_id",
        "excerpt",
        "data",
        "url",
        "created_at",
        "read_at",
    ],
    "properties": {
        "id": {"type": "integer"},
        "kind": {
            "enum": [
                "mention",
                "reply",
                "invite",
                "document_shared",
                "webhook_disabled",
                "comment_reply",
            ]
        },
        "actor": {"oneOf": [{"type": "null"}, USER]},
        "room": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "document": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "title"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "title": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "message_id": {"type": ["integer", "null"]},
        "thread_id": {"type": ["integer", "null"]},
        "excerpt": {"type": "string"},
        "data": {"type": "object"},
        "url": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "read_at": {"type": ["string", "null"], "format": "date-time"},
    },
    "additionalProperties": False,
}


# A new notification for the user of this socket.
SCHEMAS["notification"] = event_schema(
    "notification", {"notification": NOTIFICATION}, ["notification"]
)


# The user's unread notification count changed (a new one, or some marked read): the bell.
SCHEMAS["notifications.unread"] = event_schema(
    "notifications.unread",
    {"user_id": {"type": "integer"}, "count": {"type": "integer", "minimum": 0}},
    ["user_id", "count"],
)


COMMENT = {
    "type": "object",
    "required": [
        "id",
        "thread",
        "author",
        "body",
        "body_html",
        "created_at",
        "edited_at",
        "reactions",
    ],
    "properties": {
        "id": {"type": "integer"},
        "thread": {"type": "integer"},
        "author": {"oneOf": [{"type": "null"}, USER]},
        "body": {"type": "string", "minLength": 1},
        "body_html": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "edited_at": {"type": ["string", "null"], "format": "date-time"},
        "reactions": REACTIONS,
    },
    "additionalProperties": False,
}


COMMENT_ANCHOR = {
    "oneOf": [
        {
            "type": "object",
            "required": ["kind", "start", "end", "quote"],
            "properties": {
                "kind": {"const": "text"},
                # Base64 of Yjs relative positions on the XmlFragment "default".
                "start": {"type": "string", "minLength": 1},
                "end": {"type": "string", "minLength": 1},
                "quote": {"type": "string"},
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["kind", "shape_id"],
            "properties": {"kind": {"const": "shape"}, "shape_id": {"type": "string"}},
            "additionalProperties": False,
        },
    ]
}


COMMENT_THREAD = {
    "type": "object",
    "required": [
        "id",
        "document",
        "author",
        "anchor",
        "resolved",
        "resolved_at",
        "resolved_by",
        "revision",
        "url",
        "created_at",
        "comments",
    ],
    "properties": {
        "id": {"type": "integer"},
        "document": {"type": "string", "format": "uuid"},
        "author": {"oneOf": [{"type": "null"}, USER]},
        "anchor": COMMENT_ANCHOR,
        "resolved": {"type": "boolean"},
        "resolved_at": {"type": ["string", "null"], "format": "date-time"},
        "resolved_by": {"oneOf": [{"type": "null"}, USER]},
        "revision": {"type": "integer", "minimum": 1},
        "url": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "comments": {"type": "array", "minItems": 1, "items": COMMENT},
    },
    "additionalProperties": False,
}


_THREAD_CHANGE = {
    "room": {"type": "string", "format": "uuid"},
    "document": {"type": "string", "format": "uuid"},
    "thread": COMMENT_THREAD,
    # The comment the change concerns (created, edited, deleted, reacted to); null for the
    # thread's own changes.
    "comment_id": {"type": ["integer", "null"]},
}


# A comment thread changed on a document of the room: each carries the whole thread after
# the change; clients keep the copy with the highest revision.
for _change in (
    "comment_thread.created",
    "comment_thread.resolved",
    "comment_thread.reopened",
    "comment.created",
    "comment.edited",
    "comment.deleted",
    "comment.reactions",
):
    SCHEMAS[_change] = event_schema(_change, _THREAD_CHANGE, list(_THREAD_CHANGE))


# A thread was deleted with its comments (its first comment was).
SCHEMAS["comment_thread.deleted"] = event_schema(
    "comment_thread.deleted",
    {
        "room": {"type": "string", "format": "uuid"},
        "document": {"type": "string", "format": "uuid"},
        "thread_id": {"type": "integer"},
    },
    ["room", "document", "thread_id"],
)


# --- Live lists (rooms.room_socket.receivers): documents and members to the room's group;
# rooms and unread counts to one person's group, which ``/ws/me`` carries. ------------------

_ROLE = {"enum": ["owner", "editor", "commenter", "viewer"]}
_NULLABLE_USER = {"oneOf": [{"type": "null"}, USER]}
_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_KIND = {"enum": ["text", "whiteboard"]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


# A document or whiteboard as the REST API shows it (rooms.documents.payloads.document_payload).
DOCUMENT = _object(
    {
        "id": _UUID,
        "room": _UUID,
        "title": {"type": "string", "minLength": 1},
        "kind": _KIND,
        "is_locked": {"type": "boolean"},
        "locked_by": _NULLABLE_USER,
        "locked_at": _NULLABLE_TIME,
        "is_archived": {"type": "boolean"},
        "archived_at": _NULLABLE_TIME,
        "created_by": _NULLABLE_USER,
        "created_at": _TIME,
        "updated_at": _TIME,
    }
)

# A member as the REST API's members list shows one (rooms.membership.payloads.member_payload).
MEMBER = _object({"user": USER, "role": _ROLE, "joined_at": _TIME})

# A room as one person's room list shows it (rooms.membership.payloads.room_payload).
ROOM = _object(
    {
        "id": _UUID,
        "name": {"type": "string"},
        "slug": {"type": "string"},
        "description": {"type": "string"},
        "is_public": {"type": "boolean"},
        "max_participants": {"type": "integer", "minimum": 1},
        "join_role": _ROLE,
        "invite_min_role": _ROLE,
        "is_archived": {"type": "boolean"},
        "archived_at": _NULLABLE_TIME,
        "created_at": _TIME,
        "updated_at": _TIME,
        "role": {"oneOf": [{"type": "null"}, _ROLE]},
        "member_count": {"type": "integer", "minimum": 0},
        "unread_count": {"type": ["integer", "null"], "minimum": 0},
    }
)

# A document or whiteboard was created in the room, or renamed, locked or unlocked, archived
# or restored.
SCHEMAS["document.created"] = event_schema("document.created", {"document": DOCUMENT}, ["document"])
SCHEMAS["document.updated"] = event_schema("document.updated", {"document": DOCUMENT}, ["document"])

# A document or whiteboard was deleted with its history.
SCHEMAS["document.deleted"] = event_schema(
    "document.deleted",
    {"room": _UUID, "document": _object({"id": _UUID, "kind": _KIND})},
    ["room", "document"],
)

# Someone became a member (added, invited, joined a public room, let in by a share), or their
# role changed.
SCHEMAS["member.joined"] = event_schema(
    "member.joined", {"room": _UUID, "member": MEMBER}, ["room", "member"]
)
SCHEMAS["member.updated"] = event_schema(
    "member.updated", {"room": _UUID, "member": MEMBER}, ["room", "member"]
)

# A member left or was removed (they themselves get ``room.left`` instead: their sockets of
# the room are closed 4403 before this reaches them).
SCHEMAS["member.left"] = event_schema(
    "member.left", {"room": _UUID, "user": USER}, ["room", "user"]
)

# For one person: they became a member of a room, or the room or their role in it changed.
SCHEMAS["room.joined"] = event_schema("room.joined", {"room": ROOM}, ["room"])
SCHEMAS["room.updated"] = event_schema("room.updated", {"room": ROOM}, ["room"])

# For one person: they are no longer a member (left, removed, or the room was deleted).
SCHEMAS["room.left"] = event_schema("room.left", {"room": _UUID}, ["room"])

# For one person: their unread count in a room changed (a message posted or deleted by someone
# else, or they read further on another device).
SCHEMAS["room.unread"] = event_schema(
    "room.unread",
    {"room": _UUID, "count": {"type": "integer", "minimum": 0}},
    ["room", "count"],
)

# The first event of ``/ws/me``: the socket now receives this person's events, so a list read
# after it misses nothing (the web app refetches its lists on it, after every reconnect).
SCHEMAS["ready"] = event_schema("ready", {"user_id": {"type": "integer"}}, ["user_id"])
