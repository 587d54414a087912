"""Moving the access epoch (see ``rooms/membership/models.py``) whenever access may
have changed.

Every save and delete of a membership, room, API token or user, and every deleted session (a
logout), moves it in the same transaction, and announces it to every process once committed
(``rooms.core.access_changes``), through Django's model signals: so the services, the
admin and the REST API are all covered without each remembering to. Concepts above this one
whose rows also decide access (documents: ``rooms.documents.access_epoch_hooks``) connect their
own models to ``access_changed``. A change
that bypasses the signals (a queryset ``update()``, SQL by hand) reaches open sockets at the
next full re-check instead, within ``COLLAB_ACCESS_RECHECK_SECONDS``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from rooms.accounts.models import ApiToken
from rooms.core.access_changes import announce_after_commit
from rooms.membership.models import AccessEpoch, Membership, Room

EPOCH_ID = 1


def access_changed() -> None:
    """Move the epoch, and announce it after the commit: every web process re-reads its open
    sockets' access at once (``rooms.core.access_changes``), and at its next sweep if the
    announcement is lost."""
    announce_after_commit(access_epoch)
    if AccessEpoch.objects.filter(pk=EPOCH_ID).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            AccessEpoch.objects.create(pk=EPOCH_ID, value=1)
    except IntegrityError:  # created meanwhile by another transaction
        AccessEpoch.objects.filter(pk=EPOCH_ID).update(value=F("value") + 1)


def access_epoch() -> int:
    """The epoch now (0 before the first change)."""
    return AccessEpoch.objects.filter(pk=EPOCH_ID).values_list("value", flat=True).first() or 0


def _on_change(sender: Any, **kwargs: Any) -> None:
    access_changed()


def _on_user_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves this; it takes no access away
    access_changed()


def connect_signals() -> None:
    """Called once, from ``rooms.subscriptions``."""
    uid = "collab-access-epoch"
    for model in (Membership, Room, ApiToken):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-del-{model.__name__}")
    user = get_user_model()
    post_save.connect(_on_user_saved, sender=user, dispatch_uid=f"{uid}-save-user")
    post_delete.connect(_on_change, sender=user, dispatch_uid=f"{uid}-del-user")
    post_delete.connect(_on_change, sender=Session, dispatch_uid=f"{uid}-del-session")
