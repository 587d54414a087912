"""Deleting for good what was deleted (or expired) long enough ago; run by Celery beat.

Each purge is idempotent: it selects by age and state, deletes in one transaction, and a
second run (or two at once) finds nothing left to do. Files are removed only after the rows
that named them are gone for good (on commit); a file that cannot be removed is logged.

What each keeps, and why:

- **Messages**: a deleted message is already a tombstone with no body, rendering, reactions,
  mentions, edits or attachment (``message_delete``); the row only keeps its thread's shape.
  After ``COLLAB_MESSAGE_RETENTION_SECONDS`` a tombstone with no replies is deleted: first
  deleted replies (their root's ``reply_count`` goes down by as many), then deleted roots
  left without replies. A tombstone that still has replies stays, as does one that is some
  member's read position (deleting it would reset their unread count to everything).
- **Rooms**: a room deleted more than ``COLLAB_ROOM_RETENTION_SECONDS`` ago is deleted with
  everything in it (cascade), and its files (chat attachments, documents' images).
- **Attachments**: an upload no message uses (the upload of a message never sent, or one
  whose message went with its room) after ``COLLAB_ATTACHMENT_RETENTION_SECONDS``.
- **Invites**: an invite that expired or was revoked more than
  ``COLLAB_INVITE_RETENTION_SECONDS`` ago. They are refused from the moment they expire;
  keeping them a while lets an owner still see them listed as expired.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from rooms.chat.models import Attachment, Message
from rooms.core.stored_files import remove_files_on_commit
from rooms.documents.models import DocumentImage
from rooms.documents.services.images import document_image_files
from rooms.membership.models import Invite, Membership, Room

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purged:
    """How many rows of each kind one maintenance run deleted."""

    messages: int
    rooms: int
    attachments: int
    invites: int


def _cutoff(seconds: int) -> datetime:
    return timezone.now() - timedelta(seconds=seconds)


def purge_deleted_messages() -> int:
    """Delete tombstones past retention that have no replies; returns how many."""
    cutoff = _cutoff(settings.COLLAB_MESSAGE_RETENTION_SECONDS)
    read_positions = Membership.objects.filter(last_read_message__isnull=False).values(
        "last_read_message_id"
    )
    old = Message.objects.filter(deleted_at__lt=cutoff).exclude(pk__in=read_positions)
    with transaction.atomic():
        old_replies = old.filter(parent__isnull=False)
        per_root = list(
            old_replies.values("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
        )
        _, deleted = old_replies.delete()
        purged = deleted.get(Message._meta.label, 0)
        for root_id, n in per_root:
            Message.objects.filter(pk=root_id).update(reply_count=F("reply_count") - n)
        bare_roots = list(
            old.filter(parent__isnull=True)
            .annotate(left=Count("replies"))
            .filter(left=0)
            .values_list("pk", flat=True)
        )
        _, deleted = Message.objects.filter(pk__in=bare_roots).delete()
        purged += deleted.get(Message._meta.label, 0)
    return purged


def purge_deleted_rooms() -> int:
    """Delete rooms deleted before the retention period, with all they hold; returns how
    many rooms."""
    cutoff = _cutoff(settings.COLLAB_ROOM_RETENTION_SECONDS)
    with transaction.atomic():
        room_ids = list(Room.objects.filter(deleted_at__lt=cutoff).values_list("pk", flat=True))
        if not room_ids:
            return 0
        files = [attachment.file for attachment in Attachment.objects.filter(room_id__in=room_ids)]
        files += document_image_files(DocumentImage.objects.filter(room_id__in=room_ids))
        _, deleted = Room.objects.filter(pk__in=room_ids).delete()
        remove_files_on_commit(files)
    return deleted.get(Room._meta.label, 0)


def purge_orphaned_attachments() -> int:
    """Delete uploads no message uses, older than the retention period, and their files;
    returns how many."""
    cutoff = _cutoff(settings.COLLAB_ATTACHMENT_RETENTION_SECONDS)
    used = Message.objects.filter(attachment__isnull=False).values("attachment_id")
    with transaction.atomic():
        orphans = list(
            Attachment.objects.select_for_update()
            .filter(created_at__lt=cutoff)
            .exclude(pk__in=used)
        )
        if not orphans:
            return 0
        files = [attachment.file for attachment in orphans]
        _, deleted = Attachment.objects.filter(pk__in=[a.pk for a in orphans]).delete()
        remove_files_on_commit(files)
    return deleted.get(Attachment._meta.label, 0)


def purge_expired_invites() -> int:
    """Delete invites that expired or were revoked before the retention period; returns how
    many."""
    cutoff = _cutoff(settings.COLLAB_INVITE_RETENTION_SECONDS)
    _, deleted = Invite.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return deleted.get(Invite._meta.label, 0)


def maintenance_purge() -> Purged:
    """Every purge, each on its own (one failing does not stop the others: it logs and
    counts 0, and the next run tries again)."""
    counts: dict[str, int] = {}
    for name, purge in (
        ("rooms", purge_deleted_rooms),
        ("messages", purge_deleted_messages),
        ("attachments", purge_orphaned_attachments),
        ("invites", purge_expired_invites),
    ):
        try:
            counts[name] = purge()
        except Exception:
            logger.exception("purge of %s failed", name)
            counts[name] = 0
    return Purged(**counts)
