"""Documents decide access too (a deleted document closes its sockets, a lock takes writing
away), so their saves and deletes move the access epoch of ``rooms.membership`` like its own
models' do. The documents concept connects its own model: membership does not know it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from rooms.documents.models import Document
from rooms.membership.services.access_epoch import access_changed


def _on_change(sender: Any, **kwargs: Any) -> None:
    access_changed()


def connect_signals() -> None:
    """Called once, from ``rooms.subscriptions``."""
    uid = "collab-access-epoch"
    post_save.connect(_on_change, sender=Document, dispatch_uid=f"{uid}-save-Document")
    post_delete.connect(_on_change, sender=Document, dispatch_uid=f"{uid}-del-Document")
