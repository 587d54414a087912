"""Scheduled maintenance: each purge deletes exactly what its retention rule names, keeps the
rest, and running it twice gives the same result as once. The beat schedule is settings."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from rooms.chat.models import Attachment, Message
from rooms.maintenance import (
    purge_deleted_messages,
    purge_deleted_rooms,
    purge_expired_invites,
    purge_orphaned_attachments,
)
from rooms.membership.models import Invite, Membership, Room
from rooms.notifications.models import Notification
from rooms.tasks import purge_expired
from tests.factories import (
    AttachmentFactory,
    DocumentFactory,
    DocumentImageFactory,
    InviteFactory,
    MembershipFactory,
    MessageFactory,
    NotificationFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

DAY = 24 * 3600


@pytest.fixture(autouse=True)
def _retention(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COLLAB_MESSAGE_RETENTION_SECONDS = 30 * DAY
    settings.COLLAB_ROOM_RETENTION_SECONDS = 30 * DAY
    settings.COLLAB_ATTACHMENT_RETENTION_SECONDS = DAY
    settings.COLLAB_INVITE_RETENTION_SECONDS = 7 * DAY


def _ago(days: float):
    return timezone.now() - timedelta(days=days)


def _tombstone(room, *, days: float, parent=None, reply_count: int = 0) -> Message:
    return MessageFactory(
        room=room,
        body="",
        body_html="",
        deleted_at=_ago(days),
        parent=parent,
        reply_count=reply_count,
    )


def _stored_file(name: str, room=None) -> Attachment:
    attachment = AttachmentFactory(file=None, **({"room": room} if room else {}))
    attachment.file.save(name, ContentFile(b"some bytes"))
    return attachment


def _stored_document_image(room) -> list[str]:
    """An image in a document of ``room``: the paths of its upload and its rendition."""
    image = DocumentImageFactory.build(document=DocumentFactory(room=room))
    image.original.save("o", ContentFile(b"upload"), save=False)
    image.display.save("d", ContentFile(b"rendition"), save=False)
    image.save()
    return [image.original.path, image.display.path]


# --- messages ----------------------------------------------------------------------------


def test_old_tombstones_without_replies_are_purged_and_the_rest_kept():
    room = RoomFactory()
    lone_old = _tombstone(room, days=31)
    lone_recent = _tombstone(room, days=2)
    live = MessageFactory(room=room)
    notification = NotificationFactory(message=lone_old, room=room)
    assert purge_deleted_messages() == 1
    assert set(Message.objects.values_list("pk", flat=True)) == {lone_recent.pk, live.pk}
    assert not Notification.objects.filter(pk=notification.pk).exists()


def test_a_deleted_root_with_a_live_reply_keeps_the_thread_shape():
    room = RoomFactory()
    root = _tombstone(room, days=40, reply_count=2)
    old_reply = _tombstone(room, days=40, parent=root)
    live_reply = MessageFactory(room=room, parent=root)
    assert purge_deleted_messages() == 1  # only the deleted reply
    assert set(Message.objects.values_list("pk", flat=True)) == {root.pk, live_reply.pk}
    root.refresh_from_db()
    assert root.reply_count == 1
    assert not Message.objects.filter(pk=old_reply.pk).exists()


def test_a_deleted_thread_goes_once_all_its_replies_are_tombstones_past_retention():
    room = RoomFactory()
    root = _tombstone(room, days=40, reply_count=2)
    _tombstone(room, days=35, parent=root)
    _tombstone(room, days=33, parent=root)
    assert purge_deleted_messages() == 3
    assert Message.objects.count() == 0
    assert purge_deleted_messages() == 0


def test_a_tombstone_that_is_someones_read_position_is_kept():
    room = RoomFactory()
    read_up_to = _tombstone(room, days=40)
    membership = MembershipFactory(room=room, last_read_message=read_up_to)
    assert purge_deleted_messages() == 0
    membership.refresh_from_db()
    assert membership.last_read_message_id == read_up_to.pk


# --- rooms ---------------------------------------------------------------------------------


def test_a_room_deleted_past_retention_goes_with_its_content_and_files():
    old = RoomFactory(deleted_at=_ago(31))
    recent = RoomFactory(deleted_at=_ago(3))
    live = RoomFactory()
    MessageFactory(room=old)
    MembershipFactory(room=old)
    attachment = _stored_file("old-room.txt", room=old)
    path = attachment.file.path
    image_paths = _stored_document_image(old)
    kept_image_paths = _stored_document_image(live)
    assert purge_deleted_rooms() == 1
    assert set(Room.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not Message.objects.filter(room_id=old.pk).exists()
    assert not Membership.objects.filter(room_id=old.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not os.path.exists(path)
    assert not any(os.path.exists(p) for p in image_paths)
    assert all(os.path.exists(p) for p in kept_image_paths)
    assert purge_deleted_rooms() == 0


# --- attachments --------------------------------------------------------------------------


def test_an_old_upload_no_message_uses_is_deleted_with_its_file():
    orphan = _stored_file("orphan.txt")
    used = _stored_file("used.txt")
    fresh = _stored_file("fresh.txt")
    MessageFactory(room=used.room, attachment=used)
    Attachment.objects.filter(pk__in=[orphan.pk, used.pk]).update(created_at=_ago(2))
    orphan_path = orphan.file.path
    assert purge_orphaned_attachments() == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {used.pk, fresh.pk}
    assert not os.path.exists(orphan_path)
    assert os.path.exists(used.file.path) and os.path.exists(fresh.file.path)
    assert purge_orphaned_attachments() == 0


# --- invites ------------------------------------------------------------------------------


def test_invites_expired_or_revoked_past_retention_are_deleted():
    expired_long_ago = InviteFactory(expires_at=_ago(8))
    revoked_long_ago = InviteFactory(revoked_at=_ago(10))
    just_expired = InviteFactory(expires_at=_ago(1))
    open_ended = InviteFactory(expires_at=None)
    future = InviteFactory(expires_at=timezone.now() + timedelta(days=3))
    assert purge_expired_invites() == 2
    kept = set(Invite.objects.values_list("pk", flat=True))
    assert kept == {just_expired.pk, open_ended.pk, future.pk}
    assert not {expired_long_ago.pk, revoked_long_ago.pk} & kept


# --- the beat task ------------------------------------------------------------------------


def test_the_purge_task_run_twice_leaves_the_same_result():
    room = RoomFactory()
    _tombstone(room, days=31)
    RoomFactory(deleted_at=_ago(31))
    InviteFactory(room=room, expires_at=_ago(9))
    orphan = _stored_file("orphan.txt", room=room)
    Attachment.objects.filter(pk=orphan.pk).update(created_at=_ago(2))

    def state():
        return (
            sorted(Message.objects.values_list("pk", flat=True)),
            sorted(map(str, Room.objects.values_list("pk", flat=True))),
            sorted(Invite.objects.values_list("pk", flat=True)),
            sorted(map(str, Attachment.objects.values_list("pk", flat=True))),
        )

    first = purge_expired()
    assert first == {"messages": 1, "rooms": 1, "attachments": 1, "invites": 1}
    after_once = state()
    assert purge_expired() == {
        "messages": 0,
        "rooms": 0,
        "attachments": 0,
        "invites": 0,
    }
    assert state() == after_once


def test_every_maintenance_job_is_on_the_beat_schedule_from_settings(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "rooms.sync.tasks.compact_large_logs",
        "rooms.documents.tasks.snapshot_edited_documents",
        "presence.tasks.sweep_presence",
        "rooms.tasks.purge_expired",
        "rooms.notifications.tasks.email_due_notifications",
    } <= tasks
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["compact-large-logs"]["schedule"] == settings.COLLAB_COMPACT_SCHEDULE_SECONDS
    assert schedule["purge-expired"]["schedule"] == settings.COLLAB_PURGE_SCHEDULE_SECONDS
