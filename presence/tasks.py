"""Background work on presence: the sweep that removes connections a crashed process left.

With ``REDIS_URL`` set, Celery beat runs ``sweep_presence`` every
``COLLAB_PRESENCE_SWEEP_SECONDS``; web processes also sweep when their turn comes. Without
it the registry lives inside the web process, which sweeps itself: this task has nothing to
reach from a worker and returns at once. Running it twice, or two at once, is harmless: each
expired connection is removed by exactly one sweep.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from presence.registry import run_with_registry
from presence.registry_interface import PresenceRegistry
from presence.services import presence_sweep


async def _sweep(registry: PresenceRegistry) -> int:
    return await presence_sweep(registry=registry)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def sweep_presence() -> int:
    """Remove expired connections and announce who left; returns how many users left."""
    if not settings.REDIS_URL:
        return 0
    return run_with_registry(_sweep)
