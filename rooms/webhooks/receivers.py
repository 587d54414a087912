"""Webhooks' receivers of the other concepts' signals: each stores the deliveries of its event
(``rooms.webhooks.services.emit``) inside the sender's transaction, so they exist exactly when
the change does; they are queued after commit. Connected in ``rooms.subscriptions``."""

from __future__ import annotations

from typing import Any

from rooms.chat.models import Message
from rooms.comments.models import Comment, CommentThread
from rooms.documents.models import Document, DocumentVersion
from rooms.membership.models import Membership
from rooms.webhooks.models import WebhookEvent
from rooms.webhooks.services.emit import (
    emit_comment_created,
    emit_comment_resolved,
    emit_document_created,
    emit_member,
    emit_message,
    emit_version_created,
)


def on_member_joined(sender: Any, *, membership: Membership, by: Any, **kwargs: Any) -> None:
    """``rooms.membership.signals.member_joined``: ``member.joined``."""
    emit_member(
        room=membership.room,
        user=membership.user,
        event=WebhookEvent.MEMBER_JOINED,
        role=membership.role,
        actor=by,
    )


def on_member_left(sender: Any, *, membership: Membership, by: Any, **kwargs: Any) -> None:
    """``rooms.membership.signals.member_left``: ``member.left``."""
    emit_member(
        room=membership.room,
        user=membership.user,
        event=WebhookEvent.MEMBER_LEFT,
        role=membership.role,
        actor=by,
    )


def on_document_created(sender: Any, *, document: Document, **kwargs: Any) -> None:
    """``rooms.documents.signals.document_created``: ``document.created``."""
    emit_document_created(document)


def on_version_created(sender: Any, *, version: DocumentVersion, **kwargs: Any) -> None:
    """``rooms.documents.signals.version_created``: ``version.created``."""
    emit_version_created(version)


def on_message_posted(sender: Any, *, message: Message, **kwargs: Any) -> None:
    """``rooms.chat.signals.message_posted``: ``message.created``."""
    emit_message(message, WebhookEvent.MESSAGE_CREATED)


def on_message_edited(sender: Any, *, message: Message, **kwargs: Any) -> None:
    """``rooms.chat.signals.message_edited``: ``message.edited``."""
    emit_message(message, WebhookEvent.MESSAGE_EDITED)


def on_message_deleted(sender: Any, *, message: Message, **kwargs: Any) -> None:
    """``rooms.chat.signals.message_deleted``: ``message.deleted``."""
    emit_message(message, WebhookEvent.MESSAGE_DELETED)


def on_comment_posted(sender: Any, *, comment: Comment, **kwargs: Any) -> None:
    """``rooms.comments.signals.comment_posted``: ``comment.created``."""
    emit_comment_created(comment)


def on_thread_resolved(sender: Any, *, thread: CommentThread, by: Any, **kwargs: Any) -> None:
    """``rooms.comments.signals.thread_resolved``: ``comment.resolved``."""
    emit_comment_resolved(thread, by)
