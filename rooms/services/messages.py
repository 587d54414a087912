"""Posting chat messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.html import escape, linebreaks

from collab.errors import Forbidden, Invalid
from rooms.models import Message, MessageKind
from rooms.permissions import can_post, require_active_room
from rooms.selectors import room_access


def _render(body: str) -> str:
    return linebreaks(escape(body))


def message_send(
    *, actor: Any, room_id: Any, body: str, parent_id: int | None = None, client_id: str = ""
) -> tuple[Message, bool]:
    """Post a message (commenters and above). Returns it and whether it is new.

    Sending again with the same ``client_id`` returns the first message and creates nothing.
    A reply to a reply joins the thread of its root. Raises ``Invalid`` for an empty or
    over-long body or a parent outside the room, ``Forbidden`` for viewers and outsiders.
    """
    access = room_access(user=actor, room_id=room_id)
    if not can_post(access):
        require_active_room(access)
        raise Forbidden("Only commenters and above may post.")
    if client_id:
        existing = Message.objects.filter(room=access.room, author=actor, client_id=client_id)
        if (message := existing.first()) is not None:
            return message, False
    body = body.strip()
    if not body:
        raise Invalid("A message needs a body.", code="blank", field="body")
    if len(body) > settings.COLLAB_MESSAGE_MAX_LENGTH:
        raise Invalid(
            f"Messages are at most {settings.COLLAB_MESSAGE_MAX_LENGTH} characters.",
            code="max_length",
            field="body",
        )
    parent = None
    if parent_id is not None:
        parent = Message.objects.filter(room=access.room, pk=parent_id).first()
        if parent is None:
            raise Invalid("No such message in this room.", code="unknown_parent", field="parent")
        parent = parent.parent or parent
    try:
        with transaction.atomic():
            message = Message.objects.create(
                room=access.room,
                author=actor,
                kind=MessageKind.TEXT,
                body=body,
                body_html=_render(body),
                parent=parent,
                client_id=client_id,
            )
            if parent is not None:
                Message.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    except IntegrityError:
        # A concurrent send with the same client_id won the race: return its message.
        message = Message.objects.get(room=access.room, author=actor, client_id=client_id)
        return message, False
    return message, True
