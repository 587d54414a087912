"""Chat's receivers of the other concepts' signals: each posts the room's system message for
what happened (``rooms.chat.services.system_messages``), inside the sender's transaction.
Connected in ``rooms.subscriptions``."""

from __future__ import annotations

from typing import Any

from rooms.chat.services.system_messages import (
    display_name,
    system_member_joined,
    system_member_left,
    system_message_post,
    system_room_renamed,
)
from rooms.documents.models import Document, DocumentKind
from rooms.membership.models import Membership, Room
from rooms.membership.signals import JoinedVia


def on_member_joined(
    sender: Any, *, membership: Membership, via: JoinedVia, by: Any, **kwargs: Any
) -> None:
    """``rooms.membership.signals.member_joined``: "X joined the room.", "X joined through an
    invite link." or "Y added X."."""
    system_member_joined(
        room=membership.room,
        user=membership.user,
        added_by=by,
        through_invite=via == JoinedVia.INVITE,
    )


def on_member_left(sender: Any, *, membership: Membership, by: Any, **kwargs: Any) -> None:
    """``rooms.membership.signals.member_left``: "X left the room." or "Y removed X."."""
    system_member_left(room=membership.room, user=membership.user, removed_by=by)


def on_room_renamed(sender: Any, *, room: Room, old_name: str, by: Any, **kwargs: Any) -> None:
    """``rooms.membership.signals.room_renamed``."""
    system_room_renamed(room=room, actor=by, old_name=old_name)


def on_document_created(sender: Any, *, document: Document, by: Any, **kwargs: Any) -> None:
    """``rooms.documents.signals.document_created``: "X created a document: Title"."""
    kind = "a whiteboard" if document.kind == DocumentKind.WHITEBOARD else "a document"
    system_message_post(
        room=document.room, text=f"{display_name(by)} created {kind}: {document.title}"
    )


def on_document_shared(
    sender: Any, *, document: Document, user: Any, by: Any, added_to_room: bool, **kwargs: Any
) -> None:
    """``rooms.documents.signals.document_shared``: a share that let ``user`` into the room
    says so like any member added ("Y added X."); other shares post nothing."""
    if added_to_room:
        system_member_joined(room=document.room, user=user, added_by=by)
