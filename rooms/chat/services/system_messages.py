"""System messages: what happened in a room (members joining and leaving, documents created,
the room renamed), posted by chat's receivers of the other concepts' signals
(``rooms.chat.receivers``), in the transaction of the service that made it happen.

They have no author, never count as unread, and their text is plain (never Markdown), so a
name cannot inject markup.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rooms.chat import events as chat_events
from rooms.chat import markdown as chat_markdown
from rooms.chat.models import Message, MessageKind
from rooms.membership.models import Room


def system_message_post(*, room: Room, text: str) -> Message:
    """Post a system message (no author, plain text, never Markdown) and publish it.
    For other services; no permission checks and no rate limit."""
    with transaction.atomic():
        message = Message.objects.create(
            room=room,
            author=None,
            kind=MessageKind.SYSTEM,
            body=text,
            body_html=chat_markdown.render_plain(text),
        )
        chat_events.publish_message_new(message, parent_reply_count=None)
    return message


def display_name(user: Any) -> str:
    """How a system message names ``user``: their profile's name, else their username."""
    profile = getattr(user, "profile", None)
    return str(profile.name) if profile is not None else str(user.get_username())


def system_member_joined(
    *, room: Room, user: Any, added_by: Any = None, through_invite: bool = False
) -> Message:
    """``user`` joined ``room``: on their own, through an invite link, or added by
    ``added_by``. An invite link's creator did not add the person who used it, so a join
    through a link never names them."""
    if through_invite:
        return system_message_post(
            room=room, text=f"{display_name(user)} joined through an invite link."
        )
    if added_by is not None and added_by.pk != user.pk:
        return system_message_post(
            room=room, text=f"{display_name(added_by)} added {display_name(user)}."
        )
    return system_message_post(room=room, text=f"{display_name(user)} joined the room.")


def system_member_left(*, room: Room, user: Any, removed_by: Any = None) -> Message:
    """``user`` left ``room`` (on their own, or removed by ``removed_by``)."""
    if removed_by is not None and removed_by.pk != user.pk:
        return system_message_post(
            room=room, text=f"{display_name(removed_by)} removed {display_name(user)}."
        )
    return system_message_post(room=room, text=f"{display_name(user)} left the room.")


def system_room_renamed(*, room: Room, actor: Any, old_name: str) -> Message:
    return system_message_post(
        room=room, text=f"{display_name(actor)} renamed the room from {old_name} to {room.name}."
    )
