"""Background work on documents: compaction of long logs and automatic snapshots.

Every task is idempotent: running one twice, or two at once, leaves the same result.
"""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.db.models import Count, F, Max
from django.db.models.functions import Coalesce

from rooms.models import Document, DocumentUpdate
from rooms.services.maintenance import maintenance_purge
from rooms.services.notification_email import (
    notification_email_send,
    users_with_due_notifications,
)
from rooms.services.versions import version_auto_snapshot
from rooms.sync.compaction import document_compact

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


# --- Notifications ----------------------------------------------------------------------


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def email_pending_notifications(user_id: int) -> int:
    """Email the user their pending notifications, once (see
    ``rooms.services.notification_email``); returns how many the email held, 0 if none."""
    return notification_email_send(user_id=int(user_id))


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def email_due_notifications() -> int:
    """Beat's sweep: email every user with a notification past its delay (checks queued while
    the broker was away, or lost with it); returns how many emails were sent."""
    sent = 0
    for user_id in users_with_due_notifications():
        try:
            sent += 1 if notification_email_send(user_id=user_id) else 0
        except Exception:
            logger.exception("notification email to user %s failed", user_id)
    return sent


# --- webhooks: every task is safe to run twice (a delivery is claimed before it is sent) -------


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_deliver(delivery_id: str) -> str | None:
    """Send one webhook delivery if it is due; returns its status afterwards (``None`` when
    nothing was sent). Retries are queued by the delivery itself, not by Celery's retry."""
    from rooms.webhook_delivery import delivery_attempt

    return delivery_attempt(delivery_id)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_deliveries_due() -> list[str]:
    """Queue every overdue delivery (long retry waits, lost tasks); returns their ids."""
    from rooms.webhook_delivery import deliveries_due

    due = deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return due


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_document_updated(document_id: str) -> None:
    """Emit ``document.updated`` for a document edited during the debounce window."""
    from rooms.services.webhook_events import emit_document_updated

    emit_document_updated(document_id)


# --- Maintenance --------------------------------------------------------------------------


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def purge_expired() -> dict[str, int]:
    """Delete for good what was deleted or expired before its retention period (see
    ``rooms.services.maintenance``); returns how many of each kind. Safe to run twice."""
    purged = maintenance_purge()
    return {
        "messages": purged.messages,
        "rooms": purged.rooms,
        "attachments": purged.attachments,
        "invites": purged.invites,
    }
