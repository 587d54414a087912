"""The notifications page and the header's bell, server-rendered (the forms work without
JavaScript)."""

from __future__ import annotations

import pytest
from django.test import Client

from rooms.notifications.models import Notification
from rooms.notifications.services.notifications import notify
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _setup():
    room = RoomFactory(name="Design")
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    MembershipFactory(room=room, user=ann)
    MembershipFactory(room=room, user=bob)
    message = MessageFactory(room=room, author=bob, body="look @ann")
    mention = notify(user=ann, kind="mention", message=message, actor=bob)
    shared = notify(
        user=ann,
        kind="document_shared",
        document=DocumentFactory(room=room, title="Plan"),
        actor=bob,
    )
    assert mention is not None and shared is not None
    client = Client()
    client.force_login(ann)
    return client, room, mention, shared, bob


def test_the_page_lists_each_notification_with_its_link_and_the_bell_count():
    client, room, mention, shared, bob = _setup()
    html = client.get("/notifications/").content.decode()
    assert f'href="/rooms/{room.pk}/#message-{mention.message_id}"' in html
    assert f'href="/rooms/{room.pk}/documents/{shared.document_id}/"' in html
    assert f"<strong>{bob.profile.name}</strong> mentioned you in <strong>Design</strong>" in html
    assert "look @ann" in html
    assert 'aria-label="Notifications, 2 unread"' in html
    assert html.index(f'data-notification-id="{shared.pk}"') < html.index(
        f'data-notification-id="{mention.pk}"'
    )


def test_the_bell_shows_on_other_pages_and_hides_at_zero():
    client, *_ = _setup()
    assert 'aria-label="Notifications, 2 unread"' in client.get("/").content.decode()
    client.post("/notifications/", {"all": "1"})
    html = client.get("/").content.decode()
    assert 'aria-label="Notifications"' in html
    assert "data-notification-count hidden" in html


def test_mark_read_and_mark_all_read_forms():
    client, _, mention, shared, _ = _setup()
    response = client.post("/notifications/?filter=unread", {"read": str(mention.pk)})
    assert response.status_code == 302 and response.url == "/notifications/?filter=unread"
    assert Notification.objects.get(pk=mention.pk).read_at is not None
    html = client.get("/notifications/?filter=unread").content.decode()
    assert f'data-notification-id="{mention.pk}"' not in html
    client.post("/notifications/", {"all": "1"})
    assert Notification.objects.get(pk=shared.pk).read_at is not None
    assert "Nothing unread." in client.get("/notifications/?filter=unread").content.decode()


def test_marking_someone_elses_notification_from_the_page_changes_nothing():
    client, room, *_ = _setup()
    other = UserFactory()
    MembershipFactory(room=room, user=other)
    theirs = notify(user=other, kind="invite", room=room)
    assert theirs is not None
    assert client.post("/notifications/", {"read": str(theirs.pk)}).status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_page_needs_a_sign_in():
    response = Client().get("/notifications/")
    assert response.status_code == 302 and "/accounts/login" in response.url
