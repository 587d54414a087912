"""The comment events the room socket sends, built in one place and published after commit.

Every event but ``comment_thread.deleted`` carries the whole thread after the change, as
``rooms.comments.payloads.thread_payload`` renders it for the REST API too, and the comment
the change concerns (``comment_id``, or null); a client replaces its copy of the thread when
the event's ``revision`` is newer. Shapes: ``rooms.room_socket.schemas.SCHEMAS``.
"""

from __future__ import annotations

from typing import Any

from rooms.comments.models import CommentThread
from rooms.comments.payloads import thread_payload
from rooms.comments.selectors import thread_in_document
from rooms.core.live_events import publish

THREAD_CHANGES = (
    "comment_thread.created",
    "comment_thread.resolved",
    "comment_thread.reopened",
    "comment.created",
    "comment.edited",
    "comment.deleted",
    "comment.reactions",
)


def thread_event(event_type: str, thread: CommentThread, comment_id: int | None) -> dict[str, Any]:
    return {
        "type": event_type,
        "room": str(thread.document.room_id),
        "document": str(thread.document_id),
        "thread": thread_payload(thread),
        "comment_id": comment_id,
    }


def publish_thread_change(
    event_type: str, thread: CommentThread, comment_id: int | None = None
) -> None:
    """Publish ``event_type`` with the thread as it is now in this transaction (read again
    whole), once the transaction commits."""
    assert event_type in THREAD_CHANGES
    fresh = thread_in_document(document=thread.document, thread_id=thread.pk)
    publish(fresh.document.room_id, thread_event(event_type, fresh, comment_id))


def thread_deleted_event(thread: CommentThread) -> dict[str, Any]:
    return {
        "type": "comment_thread.deleted",
        "room": str(thread.document.room_id),
        "document": str(thread.document_id),
        "thread_id": thread.pk,
    }


def publish_thread_deleted(thread: CommentThread) -> None:
    publish(thread.document.room_id, thread_deleted_event(thread))
