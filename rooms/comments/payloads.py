"""How a comment thread looks to clients: one plain function, used by the REST API, the room
socket's events and the webhooks alike, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rooms.chat.payloads import reaction_summary
from rooms.comments.models import AnchorKind, Comment, CommentThread
from rooms.core.serializers import json_datetime, user_summary


def thread_url(thread: CommentThread) -> str:
    """The web app's link to a thread: its document, with the panel open at the thread."""
    document = thread.document
    page = reverse(
        "room-document", kwargs={"room_id": document.room_id, "document_id": document.pk}
    )
    return f"{page}?thread={thread.pk}"


def anchor_payload(thread: CommentThread) -> dict[str, Any]:
    if thread.anchor_kind == AnchorKind.SHAPE:
        return {"kind": "shape", "shape_id": thread.shape_id}
    return {
        "kind": "text",
        "start": thread.anchor_start,
        "end": thread.anchor_end,
        "quote": thread.quote,
    }


def comment_payload(comment: Comment) -> dict[str, Any]:
    author = comment.author
    return {
        "id": comment.pk,
        "thread": comment.thread_id,
        "author": user_summary(author) if author is not None else None,
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": json_datetime(comment.created_at),
        "edited_at": json_datetime(comment.edited_at),
        "reactions": reaction_summary(list(comment.reactions.all())),
    }


def thread_payload(thread: CommentThread) -> dict[str, Any]:
    """A thread with its anchor, state and every comment, oldest first. ``revision`` grows
    with each change: a client keeps the payload with the highest one."""
    return {
        "id": thread.pk,
        "document": str(thread.document_id),
        "author": user_summary(thread.author) if thread.author is not None else None,
        "anchor": anchor_payload(thread),
        "resolved": thread.resolved_at is not None,
        "resolved_at": json_datetime(thread.resolved_at),
        "resolved_by": user_summary(thread.resolved_by) if thread.resolved_by else None,
        "revision": thread.revision,
        "url": thread_url(thread),
        "created_at": json_datetime(thread.created_at),
        "comments": [comment_payload(comment) for comment in thread.comments.all()],
    }
