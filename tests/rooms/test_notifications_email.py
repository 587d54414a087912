"""The batched notification email (Django's locmem backend: ``mail.outbox``): one email per
user for what waited unread past the delay, never twice, honouring the preferences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from rooms.membership.models import Role
from rooms.notifications.models import Notification
from rooms.notifications.services.email import notification_email_send, users_with_due_notifications
from rooms.notifications.services.notifications import notification_mark_read, notify
from rooms.notifications.tasks import email_due_notifications, email_pending_notifications
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

DELAY = 600


class FailingBackend(BaseEmailBackend):
    """A mail server that is away: every send raises, as SMTP would."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionError("the mail server is away")


@pytest.fixture(autouse=True)
def _delay(settings):
    settings.COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS = DELAY
    settings.COLLAB_PUBLIC_URL = "https://collab.example"


def _setup():
    room = RoomFactory(is_public=False, name="Design")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    for user in (ann, bob):
        MembershipFactory(room=room, user=user, role=Role.EDITOR)
    return room, ann, bob


def _mention(room, user, actor, body="look @ann", age: float = DELAY + 1):
    message = MessageFactory(room=room, author=actor, body=body)
    notification = notify(user=user, kind="mention", message=message, actor=actor)
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(seconds=age)
    )
    return notification


def test_one_email_batches_every_pending_notification_of_the_user():
    room, ann, bob = _setup()
    first = _mention(room, ann, bob, body="first @ann")
    second = _mention(room, ann, bob, body="second @ann", age=5)  # not due, rides along
    assert notification_email_send(user_id=ann.pk) == 2
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ann@example.com"]
    assert email.subject == "2 new notifications in Collab"
    assert "bob mentioned you in Design" in email.body
    assert f"https://collab.example/rooms/{room.pk}/#message-{first.message_id}" in email.body
    assert f"#message-{second.message_id}" in email.body
    assert Notification.objects.filter(user=ann, emailed_at__isnull=True).count() == 0


def test_a_second_run_sends_nothing_more():
    room, ann, bob = _setup()
    _mention(room, ann, bob)
    assert email_pending_notifications.delay(ann.pk).get() == 1
    assert email_pending_notifications.delay(ann.pk).get() == 0
    assert email_due_notifications() == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_the_delay():
    room, ann, bob = _setup()
    _mention(room, ann, bob, age=DELAY - 30)
    assert notification_email_send(user_id=ann.pk) == 0
    assert users_with_due_notifications() == []
    assert mail.outbox == []


def test_a_notification_read_in_time_is_not_emailed():
    room, ann, bob = _setup()
    notification = _mention(room, ann, bob)
    notification_mark_read(user=ann, notification_id=notification.pk)
    assert notification_email_send(user_id=ann.pk) == 0
    assert mail.outbox == []


def test_no_email_for_a_user_who_turned_emails_off():
    room, ann, bob = _setup()
    ann.profile.email_notifications = False
    ann.profile.save()
    notification = _mention(room, ann, bob)
    assert notification_email_send(user_id=ann.pk) == 0
    assert mail.outbox == []
    # Still pending in the app, should they turn emails on again.
    assert Notification.objects.get(pk=notification.pk).emailed_at is None


def test_no_email_for_a_user_without_an_address():
    room, ann, bob = _setup()
    ann.email = ""
    ann.save()
    _mention(room, ann, bob)
    assert notification_email_send(user_id=ann.pk) == 0
    assert mail.outbox == []


def test_a_room_muted_after_the_notification_is_left_out_of_the_email():
    room, ann, bob = _setup()
    _mention(room, ann, bob)
    other = RoomFactory(name="Ops")
    MembershipFactory(room=other, user=ann)
    MembershipFactory(room=other, user=bob)
    kept = _mention(other, ann, bob, body="ops @ann")
    room.memberships.filter(user=ann).update(muted=True)
    assert notification_email_send(user_id=ann.pk) == 1
    assert "in Ops" in mail.outbox[0].body and "in Design" not in mail.outbox[0].body
    assert Notification.objects.get(pk=kept.pk).emailed_at is not None


def test_the_sweep_emails_each_user_with_due_notifications_once():
    room, ann, bob = _setup()
    _mention(room, ann, bob)
    _mention(room, bob, ann, body="hey @bob")
    assert sorted(users_with_due_notifications()) == sorted([ann.pk, bob.pk])
    assert email_due_notifications() == 2
    assert sorted(email.to[0] for email in mail.outbox) == ["ann@example.com", "bob@example.com"]
    assert email_due_notifications() == 0


def test_a_failed_send_leaves_the_batch_pending_for_the_retry(settings):
    """The claim and the send share a transaction: a send that raises (or a worker killed
    before it returns) rolls the claim back, so the re-run sends the batch."""
    room, ann, bob = _setup()
    notification = _mention(room, ann, bob)
    settings.EMAIL_BACKEND = "tests.rooms.test_notifications_email.FailingBackend"
    with pytest.raises(ConnectionError):
        notification_email_send(user_id=ann.pk)
    assert Notification.objects.get(pk=notification.pk).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_email_send(user_id=ann.pk) == 1
    assert len(mail.outbox) == 1
