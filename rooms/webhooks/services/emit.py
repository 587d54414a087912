"""Turning what happens in a room into webhook deliveries.

``webhook_emit`` runs inside the service's transaction: it stores one ``WebhookDelivery`` per
active hook of the room subscribed to the event, so the deliveries exist exactly when the
change they describe does, and queues each one's delivery task once that transaction commits.
All deliveries of one event share its event id (the payload's ``id``); each has its own id,
which is the ``X-Collab-Delivery`` header.

The payload is ``{"id", "event", "created_at", "room": {"id", "name"}, "data": {...}}`` with
``data`` in the REST API's shapes (a message as ``rooms.chat.payloads.message_payload`` makes
it, and so on).

``document.updated`` comes from the document log's commits, which are hot: they are noted
(``rooms.webhooks.document_notes``), and one task per document and debounce window emits the
event with the document's newest sequence number.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from rooms.chat.models import Message
from rooms.chat.payloads import message_payload
from rooms.comments.models import Comment, CommentThread
from rooms.comments.payloads import comment_payload, thread_payload
from rooms.core.serializers import user_summary
from rooms.core.task_queue import task_queue
from rooms.documents.models import Document, DocumentVersion
from rooms.documents.payloads import document_payload, version_payload
from rooms.membership.models import Room
from rooms.webhooks.models import Webhook, WebhookDelivery, WebhookEvent

logger = logging.getLogger(__name__)

DELIVER_TASK = "rooms.webhooks.tasks.webhook_deliver"


def room_summary(room: Room) -> dict[str, Any]:
    return {"id": str(room.pk), "name": room.name}


def webhook_emit(*, room: Room, event: WebhookEvent, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Store a delivery of ``event`` for each active hook of ``room`` subscribed to it and
    queue them after commit; returns them (none when no hook listens, at the cost of one
    query). Call it inside the transaction that makes the change."""
    hooks = [
        hook
        for hook in Webhook.objects.filter(room_id=room.pk, is_active=True).only("id", "events")
        if event.value in hook.events
    ]
    if not hooks:
        return []
    event_id = uuid.uuid4()
    payload = json.loads(
        json.dumps(
            {
                "id": str(event_id),
                "event": event.value,
                "created_at": timezone.now(),
                "room": room_summary(room),
                "data": data,
            },
            cls=DjangoJSONEncoder,
        )
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                webhook=hook,
                event=event.value,
                event_id=event_id,
                payload=payload,
                next_attempt_at=timezone.now(),
            )
            for hook in hooks
        ]
    )
    for delivery in deliveries:
        delivery_queue(delivery.pk)
    return deliveries


def delivery_queue(delivery_id: Any, countdown: float = 0) -> None:
    """Queue the delivery task once the current transaction commits. A broker that is down
    loses nothing: the delivery row stays due and the periodic sweep queues it again."""

    def send() -> None:
        try:
            task_queue(DELIVER_TASK, str(delivery_id), countdown=countdown)
        except Exception:
            logger.warning("could not queue webhook delivery %s", delivery_id, exc_info=True)

    transaction.on_commit(send)


# --- the events --------------------------------------------------------------------------------


def emit_message(message: Message, event: WebhookEvent) -> None:
    """``message.created``, ``message.edited`` or ``message.deleted``."""
    webhook_emit(room=message.room, event=event, data={"message": message_payload(message)})


def emit_member(
    *, room: Room, user: Any, event: WebhookEvent, role: str, actor: Any = None
) -> None:
    """``member.joined`` or ``member.left`` with the member's role; ``by`` is who added or
    removed them when that was someone else."""
    by = user_summary(actor) if actor is not None and actor.pk != user.pk else None
    webhook_emit(room=room, event=event, data={"user": user_summary(user), "role": role, "by": by})


def emit_document_created(document: Document) -> None:
    webhook_emit(
        room=document.room,
        event=WebhookEvent.DOCUMENT_CREATED,
        data={"document": document_payload(document)},
    )


def emit_version_created(version: DocumentVersion) -> None:
    document = version.document
    webhook_emit(
        room=document.room,
        event=WebhookEvent.VERSION_CREATED,
        data={
            "version": version_payload(version),
            "document": {
                "id": str(document.pk),
                "title": document.title,
            },
        },
    )


def emit_comment_created(comment: Comment) -> None:
    """``comment.created``: a new thread's first comment or a reply, with its thread."""
    thread = comment.thread
    document = thread.document
    webhook_emit(
        room=document.room,
        event=WebhookEvent.COMMENT_CREATED,
        data={
            "comment": comment_payload(comment),
            "thread": thread_payload(thread),
            "document": {"id": str(document.pk), "title": document.title},
        },
    )


def emit_comment_resolved(thread: CommentThread, by: Any) -> None:
    """``comment.resolved``: a thread was resolved, by whom."""
    document = thread.document
    webhook_emit(
        room=document.room,
        event=WebhookEvent.COMMENT_RESOLVED,
        data={
            "thread": thread_payload(thread),
            "by": user_summary(by),
            "document": {"id": str(document.pk), "title": document.title},
        },
    )
