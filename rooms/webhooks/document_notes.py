"""Webhooks' ``document.updated``, heard from the document log: every commit that changes a
document (a live edit's group commit, a REST write, a restore) is noted here, and the first
note of a document in a debounce window (``COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS``, shared
by every process through the cache) queues one task that emits the event at the window's end.

The log calls ``document_committed`` on the committing thread (for live edits the runtime's
commit thread, which every edit waits for): most calls stop at an in-memory check; a
document's first commit in a second is gathered with the others' for
``COLLAB_WEBHOOK_NOTE_GATHER_SECONDS`` and then noted on a thread of its own, one query for
all of them and, for a listened document, a broker write.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from rooms.core.task_queue import task_queue
from rooms.core.threads import hurry, on_own_connection, own_thread
from rooms.documents.models import Document
from rooms.documents.payloads import document_payload
from rooms.webhooks.models import Webhook, WebhookEvent
from rooms.webhooks.services.emit import webhook_emit

logger = logging.getLogger(__name__)

DOCUMENT_UPDATED_TASK = "rooms.webhooks.tasks.webhook_document_updated"


def document_committed(document_ids: set[uuid.UUID]) -> None:
    """The document log's subscriber: note that these documents changed. Never raises: a
    broker or cache failure only loses that window's event, never the edit."""
    fresh = not_noted_recently(document_ids)
    if not fresh:
        return
    with _unnoted_lock:
        first = not _unnoted
        _unnoted.update(fresh)
    if first:
        own_thread("webhook-notes").submit(_note_gathered)


# Documents committed since the notes thread last gathered them.
_unnoted: set[uuid.UUID] = set()
_unnoted_lock = threading.Lock()


def _note_gathered() -> None:
    hurry.wait(settings.COLLAB_WEBHOOK_NOTE_GATHER_SECONDS)
    with _unnoted_lock:
        gathered = _unnoted.copy()
        _unnoted.clear()
    on_own_connection(document_updated_note, gathered)


def emit_document_updated(document_id: Any) -> None:
    """``document.updated`` with the document's newest sequence number (its ``seq``): one
    event stands for every edit of the debounce window before it."""
    cache.delete(debounce_key(document_id))
    document = Document.objects.select_related("room").filter(pk=document_id).first()
    if document is None or document.room.deleted_at is not None:
        return
    with transaction.atomic():
        webhook_emit(
            room=document.room,
            event=WebhookEvent.DOCUMENT_UPDATED,
            data={"document": document_payload(document), "seq": document.last_seq},
        )


# Batches of one document come every few milliseconds while people type; this process asks
# the cache at most once a second per document, so the commit path rarely leaves memory.
_LOCAL_WINDOW_SECONDS = 1.0
_recently_noted: dict[uuid.UUID, float] = {}
_recently_lock = threading.Lock()


def debounce_key(document_id: Any) -> str:
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
    window = settings.COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS
    for document_id in fresh:
        try:
            # The key outlives the window: the task removes it when it runs, and a task that
            # was lost only holds the next event back for a few windows.
            if cache.add(debounce_key(document_id), 1, timeout=window * 10):
                task_queue(DOCUMENT_UPDATED_TASK, str(document_id), countdown=window)
        except Exception:
            logger.warning("could not queue document.updated of %s", document_id, exc_info=True)
