"""How a message looks to clients: one plain function, used by the REST API's
``MessageSerializer``, the room socket's events and the webhooks alike, so they cannot
disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from django.urls import reverse

from rooms.chat.models import Attachment, Message
from rooms.core.serializers import json_datetime, user_summary


def attachment_url(attachment: Attachment) -> str:
    """Where members download the file."""
    return reverse("attachment-download", kwargs={"attachment_id": attachment.pk})


def attachment_payload(attachment: Attachment) -> dict[str, Any]:
    """A message's file: what it is and where members download it."""
    return {
        "id": str(attachment.pk),
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": attachment_url(attachment),
    }


class EmojiReaction(Protocol):
    """A reaction as ``reaction_summary`` reads it: of a message, or of a comment."""

    @property
    def emoji(self) -> str: ...
    @property
    def user_id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def pk(self) -> Any: ...


def reaction_summary(reactions: Sequence[EmojiReaction]) -> list[dict[str, Any]]:
    """Reactions grouped by emoji, in the order each emoji was first used (of messages, and of
    comments: ``rooms.comments.payloads``)."""
    by_emoji: dict[str, list[int]] = {}
    for reaction in sorted(reactions, key=lambda r: (r.created_at, r.pk)):
        by_emoji.setdefault(reaction.emoji, []).append(reaction.user_id)
    return [
        {"emoji": emoji, "count": len(users), "user_ids": users}
        for emoji, users in by_emoji.items()
    ]


def message_payload(message: Message) -> dict[str, Any]:
    """A message with its author, attachment and reactions. A deleted message is a tombstone:
    it keeps its place in the thread, not its text, file or reactions."""
    deleted = message.deleted_at is not None
    attachment = None if deleted else message.attachment
    return {
        "id": message.pk,
        "room": str(message.room_id),
        "author": user_summary(message.author) if message.author is not None else None,
        "kind": str(message.kind),
        "body": "" if deleted else message.body,
        "body_html": "" if deleted else message.body_html,
        "parent": message.parent_id,
        "reply_count": message.reply_count,
        "attachment": attachment_payload(attachment) if attachment is not None else None,
        "client_id": message.client_id,
        "created_at": json_datetime(message.created_at),
        "edited_at": json_datetime(message.edited_at),
        "deleted_at": json_datetime(message.deleted_at),
        "reactions": [] if deleted else reaction_summary(list(message.reactions.all())),
    }
