"""Read state: how far each member has read a room's chat, and their unread count.

A member's position is ``Membership.last_read_message`` and only ever moves forward. The
unread count is ``rooms.selectors.unread_counts``' rule. After a member's position moves,
an ``unread`` event for that member alone is published, so their other tabs and devices
update; when others post, clients count ``message.new`` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from rooms.chat import events as chat_events
from rooms.chat.models import Message
from rooms.chat.selectors import unread_counts
from rooms.core.errors import Forbidden, Invalid
from rooms.membership.models import Membership
from rooms.membership.selectors import room_access


@dataclass(frozen=True)
class ReadState:
    room_id: Any
    last_read_message_id: int | None
    unread_count: int


def read_state_mark(*, actor: Any, room_id: Any, message_id: int | None = None) -> ReadState:
    """Mark the room read up to ``message_id`` (or up to its newest message when ``None``).

    A position behind the current one changes nothing (and publishes nothing). Raises
    ``NotFound`` for a room the user cannot see, ``Forbidden`` (``not_member``) for a
    public room's non-member and ``Invalid`` (``unknown_message``) for a message outside
    the room.
    """
    access = room_access(user=actor, room_id=room_id)
    if not access.is_member:
        raise Forbidden("Only the room's members have a read position.", code="not_member")
    messages = Message.objects.filter(room=access.room)
    if message_id is None:
        target = messages.order_by("-id").values_list("id", flat=True).first()
    else:
        target = messages.filter(pk=message_id).values_list("id", flat=True).first()
        if target is None:
            raise Invalid("No such message in this room.", code="unknown_message", field="message")
    with transaction.atomic():
        moved = 0
        if target is not None:
            moved = (
                Membership.objects.filter(room=access.room, user=actor)
                .filter(Q(last_read_message__isnull=True) | Q(last_read_message_id__lt=target))
                .update(last_read_message_id=target)
            )
        last_read = (
            Membership.objects.filter(room=access.room, user=actor)
            .values_list("last_read_message_id", flat=True)
            .get()
        )
        count = unread_counts(user=actor, room_ids=[access.room.pk]).get(access.room.pk, 0)
        state = ReadState(
            room_id=access.room.pk, last_read_message_id=last_read, unread_count=count
        )
        if moved:
            chat_events.publish_unread(
                room_id=access.room.pk,
                user_id=actor.pk,
                last_read_message_id=last_read,
                count=count,
            )
    return state
