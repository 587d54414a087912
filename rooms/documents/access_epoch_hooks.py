"""Documents decide access too (a deleted document closes its sockets, a lock takes writing
away, a revoked share link closes the sockets opened through it), so their saves and deletes
move the access epoch of ``rooms.membership`` like its own models' do. The documents concept
connects its own models: membership does not know them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from rooms.documents.models import Document, ShareLink
from rooms.membership.services.access_epoch import access_changed


def _on_change(sender: Any, **kwargs: Any) -> None:
    access_changed()


def connect_signals() -> None:
    """Called once, from ``rooms.subscriptions``."""
    uid = "collab-access-epoch"
    post_save.connect(_on_change, sender=Document, dispatch_uid=f"{uid}-save-Document")
    post_delete.connect(_on_change, sender=Document, dispatch_uid=f"{uid}-del-Document")
    post_save.connect(_on_change, sender=ShareLink, dispatch_uid=f"{uid}-save-ShareLink")
    post_delete.connect(_on_change, sender=ShareLink, dispatch_uid=f"{uid}-del-ShareLink")
