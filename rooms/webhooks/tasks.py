"""Background work on webhooks: each delivery's attempts, the sweep of deliveries due, and
the debounced ``document.updated`` event."""

from __future__ import annotations

import logging

from celery import shared_task

from rooms.webhooks.delivery import deliveries_due, delivery_attempt
from rooms.webhooks.document_notes import emit_document_updated

logger = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_deliver(delivery_id: str) -> str | None:
    """Send one webhook delivery if it is due; returns its status afterwards (``None`` when
    nothing was sent). Retries are queued by the delivery itself, not by Celery's retry."""
    return delivery_attempt(delivery_id)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_deliveries_due() -> list[str]:
    """Queue every overdue delivery (long retry waits, lost tasks); returns their ids."""
    due = deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return due


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def webhook_document_updated(document_id: str) -> None:
    """Emit ``document.updated`` for a document edited during the debounce window."""
    emit_document_updated(document_id)
