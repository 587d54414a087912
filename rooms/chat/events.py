"""The chat events the room socket sends, built in one place and published after commit.

Each ``*_event`` function returns an event exactly as ``rooms.room_socket.schemas.SCHEMAS``
describes it; messages take ``rooms.chat.payloads.message_payload``, the REST API's shape, so a
client renders a message the same whether it came over REST or the socket. The ``publish_*``
functions hand the event to ``rooms.core.live_events.publish``, which sends it once the current
transaction commits.

``unread`` concerns one member only: it carries ``user_id``, and the socket forwards it to
that user's connections alone. ``room.unread`` is the same count for their room list, sent to
their own group (``/ws/me``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from rooms.chat.models import Message, Reaction
from rooms.chat.payloads import message_payload, reaction_summary
from rooms.chat.selectors import room_recent_messages, unread_count
from rooms.core.live_events import publish, publish_to_user
from rooms.core.serializers import user_summary
from rooms.membership.models import Room
from rooms.membership.permissions import Access


def message_new_event(message: Message, *, parent_reply_count: int | None) -> dict[str, Any]:
    return {
        "type": "message.new",
        "message": message_payload(message),
        "parent_reply_count": parent_reply_count,
    }


def message_edited_event(message: Message) -> dict[str, Any]:
    return {"type": "message.edited", "message": message_payload(message)}


def message_deleted_event(message: Message) -> dict[str, Any]:
    return {"type": "message.deleted", "message": message_payload(message)}


def reaction_event(
    event_type: str, *, message: Message, emoji: str, user_id: int
) -> dict[str, Any]:
    """``reaction.added`` or ``reaction.removed``, with the message's reactions after it."""
    reactions = list(Reaction.objects.filter(message=message))
    return {
        "type": event_type,
        "room": str(message.room_id),
        "message_id": message.pk,
        "emoji": emoji,
        "user_id": user_id,
        "reactions": reaction_summary(reactions),
    }


def unread_event(
    *, room_id: Any, user_id: int, last_read_message_id: int | None, count: int
) -> dict[str, Any]:
    return {
        "type": "unread",
        "room": str(room_id),
        "user_id": user_id,
        "last_read_message_id": last_read_message_id,
        "count": count,
    }


def room_unread_event(*, room_id: Any, count: int) -> dict[str, Any]:
    """``room.unread``, for one person's room list: their unread count in the room."""
    return {"type": "room.unread", "room": str(room_id), "count": count}


def message_history_event(*, room: Room, limit: int | None = None) -> dict[str, Any]:
    """``message.history``: the room's newest messages outside threads
    (``COLLAB_MESSAGE_HISTORY_ON_JOIN`` unless ``limit``), oldest first, for a socket that just
    joined; ``has_more`` tells the client to fetch older ones with
    ``rooms/{id}/messages?top_level=true&before=`` the first one's id."""
    size = settings.COLLAB_MESSAGE_HISTORY_ON_JOIN if limit is None else limit
    messages = room_recent_messages(room=room, limit=size)
    has_more = bool(messages) and (
        Message.objects.filter(room=room, parent=None, id__lt=messages[0].pk).exists()
    )
    return {
        "type": "message.history",
        "messages": [message_payload(message) for message in messages],
        "has_more": has_more,
    }


def unread_state_event(*, access: Access) -> dict[str, Any] | None:
    """The ``unread`` event of a member joining, from the access ``room_access`` gave them
    (``None`` for a non-member, who has no read position): sent to their socket alone, not
    published to the room."""
    membership = access.membership
    if membership is None:
        return None
    return unread_event(
        room_id=access.room.pk,
        user_id=access.user.pk,
        last_read_message_id=membership.last_read_message_id,
        count=access.unread if access.unread is not None else unread_count(membership=membership),
    )


def typing_event(*, room_id: Any, user: Any, expires_in: int) -> dict[str, Any]:
    """``typing``: ``user`` is typing; clients hide it ``expires_in`` seconds after the last
    one. Never stored; the room socket throttles and sends it. The user is shown as in the
    presence events (``rooms.room_socket.schemas.USER``)."""
    return {
        "type": "typing",
        "room": str(room_id),
        "user": user_summary(user),
        "expires_in": expires_in,
    }


def publish_message_new(message: Message, *, parent_reply_count: int | None) -> None:
    publish(message.room_id, message_new_event(message, parent_reply_count=parent_reply_count))


def publish_message_edited(message: Message) -> None:
    publish(message.room_id, message_edited_event(message))


def publish_message_deleted(message: Message) -> None:
    publish(message.room_id, message_deleted_event(message))


def publish_reaction(event_type: str, *, message: Message, emoji: str, user_id: int) -> None:
    publish(
        message.room_id,
        reaction_event(event_type, message=message, emoji=emoji, user_id=user_id),
    )


def publish_unread(
    *, room_id: Any, user_id: int, last_read_message_id: int | None, count: int
) -> None:
    publish(
        room_id,
        unread_event(
            room_id=room_id,
            user_id=user_id,
            last_read_message_id=last_read_message_id,
            count=count,
        ),
    )
    publish_to_user(user_id, lambda: [room_unread_event(room_id=room_id, count=count)])
