"""Looks for new mentions in the documents the log commits, off the edit path.

The log calls ``document_committed`` on the committing thread after every commit (a live
edit's group commit, a REST write, a restore): it only notes the ids in memory. The first note
after a quiet spell starts this process's mentions thread, which waits
``COLLAB_DOCUMENT_MENTION_DELAY_SECONDS`` for more (a burst of typing is one look, not one per
keystroke) and then reads each noted document once (``document_mentions_record``).

It runs in the web process rather than on a Celery worker because the notification it leads
to is sent live from the process that stores it, and in the embedded default a worker's
channel layer reaches no socket. A look lost with its process is made at the document's next
edit: what was notified is stored, so the next look finds the same mentions new.
"""

from __future__ import annotations

import logging
import threading
import uuid

from django.conf import settings

from rooms.core.threads import hurry, on_own_connection, own_thread
from rooms.documents.services.mentions import document_mentions_record

logger = logging.getLogger(__name__)

_noted: set[uuid.UUID] = set()
_noted_lock = threading.Lock()


def document_committed(document_ids: set[uuid.UUID]) -> None:
    """The document log's subscriber: look for new mentions in these documents soon. Never
    raises, and does no I/O on the committing thread."""
    with _noted_lock:
        first = not _noted
        _noted.update(document_ids)
    if first:
        own_thread("document-mentions").submit(_look_gathered)


def _look_gathered() -> None:
    hurry.wait(settings.COLLAB_DOCUMENT_MENTION_DELAY_SECONDS)
    with _noted_lock:
        gathered = sorted(_noted)
        _noted.clear()
    for document_id in gathered:
        try:
            on_own_connection(_look, document_id)
        except Exception:
            logger.exception("could not look for mentions in %s", document_id)


def _look(document_id: uuid.UUID) -> None:
    document_mentions_record(document_id=document_id)
