"""Notifications' receivers of the other concepts' signals: each tells the people concerned
(``rooms.notifications.services.triggers``), inside the sender's transaction; ``notify``
delivers after commit. Connected in ``rooms.subscriptions``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rooms.chat.models import Message
from rooms.comments.models import Comment
from rooms.documents.models import Document
from rooms.membership.models import Membership
from rooms.membership.signals import JoinedVia
from rooms.notifications.services.triggers import (
    notify_comment,
    notify_document_mention,
    notify_document_shared,
    notify_member_added,
    notify_message,
)


def on_member_joined(
    sender: Any, *, membership: Membership, via: JoinedVia, by: Any, **kwargs: Any
) -> None:
    """``rooms.membership.signals.member_joined``: an ``invite`` notification for someone an
    owner added; joining by oneself or through an invite link notifies nobody."""
    if via == JoinedVia.ADDED:
        notify_member_added(membership=membership, actor=by)


def on_document_shared(
    sender: Any, *, document: Document, user: Any, by: Any, **kwargs: Any
) -> bool:
    """``rooms.documents.signals.document_shared``: a ``document_shared`` notification.
    Returns whether ``user`` was notified (see ``notify_document_shared``)."""
    return notify_document_shared(document=document, user=user, actor=by) is not None


def on_document_mentioned(
    sender: Any, *, document: Document, user: Any, by: Any, **kwargs: Any
) -> None:
    """``rooms.documents.signals.document_mentioned``: a ``mention`` notification that links
    to the document."""
    notify_document_mention(document=document, user=user, actor=by)


def on_message_posted(
    sender: Any,
    *,
    message: Message,
    mentioned_ids: Iterable[int],
    room_mention: bool,
    **kwargs: Any,
) -> None:
    """``rooms.chat.signals.message_posted``: mentions and thread replies."""
    notify_message(message=message, mentioned_ids=mentioned_ids, room_mention=room_mention)


def on_message_edited(
    sender: Any,
    *,
    message: Message,
    mentioned_ids: Iterable[int],
    room_mention: bool,
    **kwargs: Any,
) -> None:
    """``rooms.chat.signals.message_edited``: mentions new to the edited body."""
    notify_message(
        message=message, mentioned_ids=mentioned_ids, room_mention=room_mention, edited=True
    )


def on_comment_posted(
    sender: Any, *, comment: Comment, mentioned_ids: Iterable[int], **kwargs: Any
) -> None:
    """``rooms.comments.signals.comment_posted``: mentions and replies in a thread."""
    notify_comment(comment=comment, mentioned_ids=mentioned_ids)


def on_comment_edited(
    sender: Any, *, comment: Comment, mentioned_ids: Iterable[int], **kwargs: Any
) -> None:
    """``rooms.comments.signals.comment_edited``: mentions new to the edited body."""
    notify_comment(comment=comment, mentioned_ids=mentioned_ids, edited=True)
