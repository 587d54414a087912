"""A token socket after the account's password changes: the token no longer opens one, and an
open one is closed (the room socket re-checks its credentials every heartbeat); a session
socket once its account is deactivated."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from collab.asgi import application
from rooms.accounts.services import api_token_create
from tests.factories import MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def member_with_token():
    user = UserFactory()
    room = RoomFactory()
    MembershipFactory(room=room, user=user)
    return user, room, api_token_create(user=user, name="script")[1]


@sync_to_async
def change_password(user) -> None:
    user.set_password("another-long-passphrase")
    user.save()


async def close_code(communicator: WebsocketCommunicator) -> int:
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return int(output.get("code", 1000))


async def test_a_token_opens_no_socket_after_a_password_change():
    user, room, token = await member_with_token()
    await change_password(user)

    communicator = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}?token={token}")
    await communicator.connect()

    assert await close_code(communicator) == 4401


async def test_an_open_token_socket_closes_4401_after_a_password_change(settings):
    settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS = 0.2
    user, room, token = await member_with_token()
    communicator = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}?token={token}")
    connected, _ = await communicator.connect()
    assert connected

    await change_password(user)

    assert await close_code(communicator) == 4401
    await communicator.disconnect()  # the consumer leaves its room in the test, not at teardown


@sync_to_async
def member_with_session():
    user = UserFactory()
    room = RoomFactory()
    MembershipFactory(room=room, user=user)
    client = Client()
    client.force_login(user)
    return user, room, client.session.session_key


@sync_to_async
def deactivate(user) -> None:
    user.is_active = False
    user.save()


async def test_an_open_session_socket_closes_4401_once_the_account_is_deactivated(settings):
    settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS = 0.2
    user, room, session_key = await member_with_session()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/rooms/{room.pk}",
        headers=[
            (b"host", b"localhost"),
            (b"origin", b"http://localhost"),
            (b"cookie", f"sessionid={session_key}".encode()),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected

    await deactivate(user)

    assert await close_code(communicator) == 4401
    await communicator.disconnect()  # the consumer leaves its room in the test, not at teardown
