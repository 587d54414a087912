"""The room list shows each of the person's rooms with its unread count, as rendered."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rooms.membership.models import Role
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def badge(html: str, room) -> str:
    found = re.search(rf'<span class="unread-count" data-unread-room="{room.pk}"[^>]*>', html)
    assert found is not None
    return found.group(0)


def test_each_room_shows_the_messages_others_posted_since_the_last_read(client):
    me, other = UserFactory(), UserFactory()
    busy, quiet = RoomFactory(), RoomFactory()
    for room in (busy, quiet):
        MembershipFactory(room=room, user=me, role=Role.EDITOR)
        MembershipFactory(room=room, user=other, role=Role.EDITOR)
    MessageFactory(room=busy, author=other, body="one")
    MessageFactory(room=busy, author=other, body="two")
    MessageFactory(room=busy, author=me, body="mine do not count")
    client.force_login(me)

    html = client.get(reverse("room-list")).content.decode()

    assert 'aria-label="2 unread messages">2</span>' in html
    assert "hidden" not in badge(html, busy)
    assert "hidden" in badge(html, quiet)
