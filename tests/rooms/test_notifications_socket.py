"""Live notifications on the room socket, through the real ASGI stack: a notification reaches
every open room socket of its user (whatever the room) with the new unread count, and no one
else's."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from rooms.chat.services.messages import message_send
from rooms.membership.models import Role
from rooms.notifications.services.notifications import notification_mark_all_read
from tests.factories import MembershipFactory, RoomFactory
from tests.rooms.test_room_consumer import RoomSocket, member

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def _room():
    return RoomFactory(is_public=False)


@sync_to_async
def _join(room, user, role: Role = Role.EDITOR):
    MembershipFactory(room=room, user=user, role=role)


async def _open(room, user, token) -> RoomSocket:
    socket = await RoomSocket.open(room, user, token)
    await socket.joined()
    return socket


async def test_a_mention_reaches_every_open_socket_of_the_user_and_no_one_else():
    chat, elsewhere = await _room(), await _room()
    ann, ann_token = await member(chat, username="ann")
    bob, bob_token = await member(chat, username="bob")
    cat, cat_token = await member(chat, username="cat")
    await _join(elsewhere, ann)
    in_chat = await _open(chat, ann, ann_token)
    in_other_room = await _open(elsewhere, ann, ann_token)
    bob_socket = await _open(chat, bob, bob_token)
    cat_socket = await _open(chat, cat, cat_token)

    message, _ = await sync_to_async(message_send)(actor=bob, room_id=chat.pk, body="look @ann")

    for socket in (in_chat, in_other_room):
        event = await socket.next_of("notification")
        assert event["notification"]["kind"] == "mention"
        assert event["notification"]["message_id"] == message.pk
        assert event["notification"]["actor"]["username"] == "bob"
        assert event["notification"]["url"] == f"/rooms/{chat.pk}/#message-{message.pk}"
        unread = await socket.next_of("notifications.unread")
        assert unread == {"type": "notifications.unread", "user_id": ann.pk, "count": 1}
    for socket in (bob_socket, cat_socket):
        # They see the message itself, nothing meant for ann.
        seen = []
        while not await socket.nothing(0.5):
            seen.append((await socket.event())["type"])
        assert "notification" not in seen and "notifications.unread" not in seen
    for socket in (in_chat, in_other_room, bob_socket, cat_socket):
        await socket.close()


async def test_marking_all_read_sends_the_new_count_live():
    chat = await _room()
    ann, ann_token = await member(chat, username="ann")
    bob, _ = await member(chat, username="bob")
    socket = await _open(chat, ann, ann_token)
    await sync_to_async(message_send)(actor=bob, room_id=chat.pk, body="@ann one")
    assert (await socket.next_of("notifications.unread"))["count"] == 1
    await sync_to_async(notification_mark_all_read)(user=ann)
    assert (await socket.next_of("notifications.unread"))["count"] == 0
    await socket.close()


async def test_a_closed_socket_no_longer_receives_and_the_other_still_does():
    first_room, second_room = await _room(), await _room()
    ann, ann_token = await member(first_room, username="ann")
    bob, _ = await member(first_room, username="bob")
    await _join(second_room, ann)
    await _join(second_room, bob)
    closing = await _open(first_room, ann, ann_token)
    staying = await _open(second_room, ann, ann_token)
    await closing.close()
    await sync_to_async(message_send)(actor=bob, room_id=first_room.pk, body="@ann hi")
    assert (await staying.next_of("notification"))["notification"]["kind"] == "mention"
    await staying.close()
