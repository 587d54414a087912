"""Background work on the document log: compaction of long logs, and of a document when its
last client leaves.

Every task is idempotent: running one twice, or two at once, leaves the same result."""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from channels.db import database_sync_to_async
from django.conf import settings
from django.db.models import Count

from rooms.sync.compaction import document_compact
from rooms.sync.models import DocumentUpdate
from rooms.sync.runtime import LiveDocument

logger = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def compact_document(document_id: str) -> int:
    """Merge one document's log into its state; returns how many log rows were merged."""
    return document_compact(uuid.UUID(str(document_id)))


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def compact_large_logs() -> list[str]:
    """Compact every document whose log holds more than ``COLLAB_COMPACT_AFTER_UPDATES``
    rows; returns the ids of those compacted. One failure does not stop the others."""
    threshold = settings.COLLAB_COMPACT_AFTER_UPDATES
    large = (
        DocumentUpdate.objects.values("document_id")
        .annotate(rows=Count("id"))
        .filter(rows__gt=threshold)
        .values_list("document_id", flat=True)
    )
    compacted: list[str] = []
    for document_id in list(large):
        try:
            if document_compact(document_id):
                compacted.append(str(document_id))
        except Exception:
            logger.exception("compaction of %s failed", document_id)
    return compacted


class CompactWhenUnloaded:
    """The runtime's hooks (``rooms.sync.runtime.LiveHooks``): when the last client of a
    document leaves, its log is merged in the background."""

    def committed(self, live: LiveDocument) -> None:
        return None

    async def unloaded(self, live: LiveDocument) -> None:
        try:
            await database_sync_to_async(compact_document.delay)(str(live.id))
        except Exception:
            logger.warning("could not queue compaction of %s", live.id, exc_info=True)


LIVE_HOOKS = CompactWhenUnloaded()
