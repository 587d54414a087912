"""The app's Celery tasks: each concept's ``tasks`` module, imported here so that the worker's
autodiscovery (which looks for ``rooms.tasks``) registers them, and the purge of what was
deleted or expired, which spans concepts.

Every task is idempotent: running one twice, or two at once, leaves the same result.
"""

from __future__ import annotations

import logging

from celery import shared_task

from rooms.documents import tasks as document_tasks
from rooms.maintenance import maintenance_purge
from rooms.notifications import tasks as notification_tasks
from rooms.sync import tasks as sync_tasks
from rooms.webhooks import tasks as webhook_tasks

logger = logging.getLogger(__name__)

CONCEPT_TASKS = (sync_tasks, document_tasks, notification_tasks, webhook_tasks)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def purge_expired() -> dict[str, int]:
    """Delete for good what was deleted or expired before its retention period (see
    ``rooms.maintenance``); returns how many of each kind. Safe to run twice."""
    purged = maintenance_purge()
    return {
        "messages": purged.messages,
        "rooms": purged.rooms,
        "attachments": purged.attachments,
        "invites": purged.invites,
    }
