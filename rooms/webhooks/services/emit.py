"""Turning what happens in a room into webhook deliveries.

``webhook_emit`` runs inside the service's transaction: it stores one ``WebhookDelivery`` per
active hook of the room subscribed to the event, so the deliveries exist exactly when the
change they describe does, and queues each one's delivery task once that transaction commits.
All deliveries of one event share its event id (the payload's ``id``); each has its own id,
which is the ``X-Collab-Delivery`` header.

The payload is ``{"id", "event", "created_at", "room": {"id", "name"}, "data": {...}}`` with
``data`` in the REST API's shapes (a message as ``MessageSerializer`` renders it, and so on).

``document.updated`` comes from the sync runtime's commit path, which is hot: it only notes
the document (``document_updated_soon``), and one task per document and debounce window emits
the event with the document's newest sequence number.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from rooms.chat.models import Message
from rooms.core.serializers import user_summary
from rooms.documents.models import Document, DocumentVersion
from rooms.membership.models import Room
from rooms.webhooks.models import Webhook, WebhookDelivery, WebhookEvent

logger = logging.getLogger(__name__)


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
    from rooms.webhooks.tasks import webhook_deliver

    def send() -> None:
        try:
            webhook_deliver.apply_async(args=[str(delivery_id)], countdown=countdown)
        except Exception:
            logger.warning("could not queue webhook delivery %s", delivery_id, exc_info=True)

    transaction.on_commit(send)


# --- the events --------------------------------------------------------------------------------


def emit_message(message: Message, event: WebhookEvent) -> None:
    """``message.created``, ``message.edited`` or ``message.deleted``."""
    from rooms.chat.events import message_payload

    webhook_emit(room=message.room, event=event, data={"message": message_payload(message)})


def emit_member(
    *, room: Room, user: Any, event: WebhookEvent, role: str, actor: Any = None
) -> None:
    """``member.joined`` or ``member.left`` with the member's role; ``by`` is who added or
    removed them when that was someone else."""
    by = user_summary(actor) if actor is not None and actor.pk != user.pk else None
    webhook_emit(room=room, event=event, data={"user": user_summary(user), "role": role, "by": by})


def document_summary(document: Document) -> dict[str, Any]:
    from rooms.documents.api.serializers import DocumentSerializer

    return dict(DocumentSerializer(document).data)


def emit_document_created(document: Document) -> None:
    webhook_emit(
        room=document.room,
        event=WebhookEvent.DOCUMENT_CREATED,
        data={"document": document_summary(document)},
    )


def emit_version_created(version: DocumentVersion) -> None:
    from rooms.documents.api.content_serializers import VersionSerializer

    document = version.document
    webhook_emit(
        room=document.room,
        event=WebhookEvent.VERSION_CREATED,
        data={
            "version": dict(VersionSerializer(version).data),
            "document": {
                "id": str(document.pk),
                "title": document.title,
            },
        },
    )


def emit_document_updated(document_id: Any) -> None:
    """``document.updated`` with the document's newest sequence number (its ``seq``): one
    event stands for every edit of the debounce window before it."""
    cache.delete(_debounce_key(document_id))
    document = Document.objects.select_related("room").filter(pk=document_id).first()
    if document is None or document.room.deleted_at is not None:
        return
    with transaction.atomic():
        webhook_emit(
            room=document.room,
            event=WebhookEvent.DOCUMENT_UPDATED,
            data={"document": document_summary(document), "seq": document.last_seq},
        )


# --- the debounce of document.updated ----------------------------------------------------------

# Batches of one document come every few milliseconds while people type; this process asks
# the cache at most once a second per document, so the commit path rarely leaves memory.
_LOCAL_WINDOW_SECONDS = 1.0
_recently_noted: dict[uuid.UUID, float] = {}
_recently_lock = threading.Lock()


def _debounce_key(document_id: Any) -> str:
    return f"collab:webhook:document-updated:{document_id}"


def _listened_to(document_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``document_ids`` whose room has an active hook for ``document.updated``: the
    others need no task at all (one query, instead of a queued task per edited document)."""
    listened = set()
    for document_id, events in Webhook.objects.filter(
        is_active=True, room__documents__pk__in=document_ids
    ).values_list("room__documents__pk", "events"):
        if WebhookEvent.DOCUMENT_UPDATED.value in events:
            listened.add(document_id)
    return listened


def document_updated_soon(document_ids: set[uuid.UUID]) -> None:
    """Note that these documents changed: the first note of a document in a debounce window
    (``COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS``, shared by every process through the cache)
    queues one task that emits ``document.updated`` at the window's end. Never raises: a
    broker or cache failure only loses that window's event, never the edit."""
    fresh = not_noted_recently(document_ids)
    if fresh:
        document_updated_note(fresh)


def not_noted_recently(document_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``document_ids`` this process has not noted within the last second, now
    marked noted: memory only, cheap enough for the commit path."""
    now = time.monotonic()
    with _recently_lock:
        fresh = {
            key
            for key in document_ids
            if now - _recently_noted.get(key, -_LOCAL_WINDOW_SECONDS) >= _LOCAL_WINDOW_SECONDS
        }
        for key in fresh:
            _recently_noted[key] = now
        if len(_recently_noted) > 10_000:
            _recently_noted.clear()
    return fresh


def document_updated_note(fresh: set[uuid.UUID]) -> None:
    """The part of ``document_updated_soon`` after ``not_noted_recently``: a query, and for
    the documents a hook listens to, the cache and the broker."""
    try:
        fresh = _listened_to(fresh)
    except Exception:
        logger.warning("could not read which documents webhooks listen to", exc_info=True)
        return
    from rooms.webhooks.tasks import webhook_document_updated

    window = settings.COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS
    for document_id in fresh:
        try:
            # The key outlives the window: the task removes it when it runs, and a task that
            # was lost only holds the next event back for a few windows.
            if cache.add(_debounce_key(document_id), 1, timeout=window * 10):
                webhook_document_updated.apply_async(args=[str(document_id)], countdown=window)
        except Exception:
            logger.warning("could not queue document.updated of %s", document_id, exc_info=True)
