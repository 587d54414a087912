"""A notification as clients see it, over REST and as the ``notification`` socket event, and
the ``notifications.unread`` count event. Shapes: ``rooms.room_socket.schemas.SCHEMAS``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rooms.core.serializers import user_summary
from rooms.notifications.models import Notification


def notification_url(notification: Notification) -> str | None:
    """Where the notification leads: the document (with its comment thread open, for a
    comment), the message in the room's chat (an anchor the chat can scroll to), or the room;
    ``None`` when it names none of them."""
    if notification.document_id is not None and notification.room_id is not None:
        url = reverse(
            "room-document",
            kwargs={"room_id": notification.room_id, "document_id": notification.document_id},
        )
        if notification.comment is not None:
            url += f"?thread={notification.comment.thread_id}"
        return url
    if notification.room_id is None:
        return None
    url = reverse("room-detail", kwargs={"room_id": notification.room_id})
    if notification.message_id is not None:
        url += f"#message-{notification.message_id}"
    return url


def notification_payload(notification: Notification) -> dict[str, Any]:
    """One notification: what happened, who did it, where, and whether it was read."""
    room = notification.room
    document = notification.document
    message = notification.message
    comment = notification.comment
    excerpt = message.body if message is not None else comment.body if comment else ""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "actor": user_summary(notification.actor) if notification.actor is not None else None,
        "room": None if room is None else {"id": str(room.pk), "name": room.name},
        "document": None if document is None else {"id": str(document.pk), "title": document.title},
        "message_id": notification.message_id,
        "thread_id": None if comment is None else comment.thread_id,
        # A preview of the message or comment; empty once it is deleted.
        "excerpt": excerpt[:200],
        "data": notification.data,
        "url": notification_url(notification),
        "created_at": notification.created_at.isoformat().replace("+00:00", "Z"),
        "read_at": (
            None
            if notification.read_at is None
            else notification.read_at.isoformat().replace("+00:00", "Z")
        ),
    }


def notification_event(notification: Notification) -> dict[str, Any]:
    return {"type": "notification", "notification": notification_payload(notification)}


def unread_count_event(*, user_id: int, count: int) -> dict[str, Any]:
    return {"type": "notifications.unread", "user_id": user_id, "count": count}
