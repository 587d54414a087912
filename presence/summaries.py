"""What presence shows of each user (``rooms.core.serializers.user_summary``), kept per process.

Every join sends the joiner a snapshot of everyone present, so reading each present member's
user and profile rows for it made a join storm quadratic in the room's size. Here each
summary is read once: a socket's own user fills its entry when it joins, users who joined on
another process are read together in one query, and an entry is dropped when this process
saves that user or profile. Entries also expire after ``SUMMARY_TTL`` seconds, the longest a
rename made through another process takes to show in this one's presence events.

Used from the thread that runs ``database_sync_to_async`` calls and from views' threads:
each step is a single dict operation, safe under the GIL.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from rooms.accounts.models import Profile
from rooms.core.serializers import user_summary

SUMMARY_TTL = 60.0
SUMMARIES_KEPT = 20_000

_entries: dict[int, tuple[float, dict[str, Any]]] = {}


def _keep(user_id: int, summary: dict[str, Any]) -> None:
    if len(_entries) >= SUMMARIES_KEPT and user_id not in _entries:
        del _entries[next(iter(_entries))]  # the oldest entry
    _entries[user_id] = (time.monotonic() + SUMMARY_TTL, summary)


def remember(user: Any) -> dict[str, Any]:
    """The summary of ``user`` (a user with its profile at hand), kept for later reads."""
    summary = user_summary(user)
    _keep(user.pk, summary)
    return summary


def summaries(user_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The summaries of these users, by id; ids of deleted users are missing. At most one
    query, for the ids not kept (or expired)."""
    now = time.monotonic()
    found: dict[int, dict[str, Any]] = {}
    missing: set[int] = set()
    for user_id in user_ids:
        entry = _entries.get(user_id)
        if entry is not None and entry[0] > now:
            found[user_id] = entry[1]
        else:
            missing.add(user_id)
    if missing:
        users = get_user_model().objects.filter(pk__in=missing).select_related("profile")
        for user in users:
            found[user.pk] = remember(user)
    return found


def forget(user_id: int) -> None:
    _entries.pop(user_id, None)


def _forget_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget(instance.pk)


def _forget_profile(sender: Any, instance: Profile, **kwargs: Any) -> None:
    forget(instance.user_id)


def connect_signals() -> None:
    """Drop a summary when this process saves or deletes its user or profile (called once,
    from the app's ``ready``)."""
    user_model = get_user_model()
    post_save.connect(_forget_user, sender=user_model, dispatch_uid="presence-summary-user")
    post_delete.connect(_forget_user, sender=user_model, dispatch_uid="presence-summary-user-del")
    post_save.connect(_forget_profile, sender=Profile, dispatch_uid="presence-summary-profile")
