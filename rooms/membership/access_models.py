"""A counter of access changes, so open sockets are re-checked when access changes instead of
all of them every few seconds.

Who may keep a document socket open depends on memberships, rooms, documents, sessions, API
tokens and users. ``AccessEpoch`` is one row whose ``value`` goes up in the same transaction
as any change of those (``rooms/membership/services/access_epoch.py`` hooks their save and delete
signals; ``rooms/documents/access_epoch_hooks.py`` those of documents). Each web process reads
it every sync sweep (one primary-key read) and re-reads the access of its open sockets only when
it moved, and at least every ``COLLAB_ACCESS_RECHECK_SECONDS`` for what changes with time alone
(a session expiring).
"""

from __future__ import annotations

from django.db import models


class AccessEpoch(models.Model):
    """The one row (``id`` 1) counting changes of access."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Access epoch {self.value}"
