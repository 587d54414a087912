"""Background work on documents: automatic versions of edited documents, and thinning old
ones (Celery beat runs both, see ``CELERY_BEAT_SCHEDULE``); bringing a whiteboard made before
the current board version to it, after its last client leaves.

Every task is idempotent: running one twice, or two at once, leaves the same result."""

from __future__ import annotations

import logging
import uuid

from celery import shared_task

from rooms.documents.services.board_content import whiteboard_migrate
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


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def migrate_whiteboard(document_id: str) -> bool:
    """Bring one whiteboard to the current board version; returns whether it wrote."""
    migration = whiteboard_migrate(document_id=uuid.UUID(str(document_id)))
    return migration is not None and migration.changed
