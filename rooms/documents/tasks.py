"""Background work on documents: automatic versions of edited documents, and thinning old
ones (Celery beat runs both, see ``CELERY_BEAT_SCHEDULE``).

Every task is idempotent: running one twice, or two at once, leaves the same result."""

from __future__ import annotations

import logging

from celery import shared_task

from rooms.documents.services.versions import versions_auto_sweep, versions_thin

logger = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def snapshot_edited_documents() -> list[str]:
    """Keep an automatic version of each document whose recent edits are due for one (see
    ``versions_auto_sweep``); returns the ids of the versions kept."""
    return [str(version.pk) for version in versions_auto_sweep()]


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def thin_versions() -> int:
    """Delete the old automatic versions thinning does not keep; returns how many."""
    return versions_thin()
