"""Background work on documents: automatic snapshots (versions) of edited documents.

Every task is idempotent: running one twice, or two at once, leaves the same result."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import F, Max
from django.db.models.functions import Coalesce

from rooms.documents.models import Document
from rooms.documents.services.versions import version_auto_snapshot

logger = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def snapshot_document(document_id: str) -> str | None:
    """Keep an automatic version of one document if one is due; returns its id."""
    version = version_auto_snapshot(document_id)
    return str(version.pk) if version is not None else None


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def snapshot_edited_documents() -> list[str]:
    """Keep an automatic version of each document edited since its newest version, where
    one is due (see ``version_auto_snapshot``); returns the ids of the versions kept."""
    edited = (
        Document.objects.annotate(versioned=Coalesce(Max("versions__seq"), 0))
        .filter(last_seq__gt=F("versioned"))
        .values_list("pk", flat=True)
    )
    kept: list[str] = []
    for document_id in list(edited):
        try:
            version = version_auto_snapshot(document_id)
        except Exception:
            logger.exception("automatic snapshot of %s failed", document_id)
            continue
        if version is not None:
            kept.append(str(version.pk))
    return kept
