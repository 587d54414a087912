"""API tokens' expiry, scope and rooms on sockets: a read-only token's document socket is
read-only (after re-checks too) and its room socket sends nothing that writes; a token
limited to rooms opens no socket elsewhere; an expired token opens none, and an open one
closes when it expires (the periodic re-check: nothing announces an expiry)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from pycrdt import Text

from collab.asgi import application
from rooms.accounts.models import ApiToken, TokenScope
from rooms.accounts.services import api_token_create
from rooms.sync import log
from rooms.sync.protocol import encode_confirm
from tests.accounts.test_token_sockets import close_code
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = 0.1
SETTLED = 3 * SWEEP  # by then the sweeps have re-checked what the setup changed


@pytest.fixture(autouse=True)
def _fast_sweep(settings):
    settings.COLLAB_SYNC_SWEEP_SECONDS = SWEEP


@sync_to_async
def editor_token(document, **limits):
    user = UserFactory()
    MembershipFactory(room=document.room, user=user)
    return api_token_create(user=user, name="t", **limits)


@sync_to_async
def stored_text(document) -> str:
    return str(log.document_load(document.pk).to_doc().get("text", type=Text))


async def test_a_read_only_tokens_document_socket_is_refused_every_write():
    document = await sync_to_async(DocumentFactory)()
    _, raw = await editor_token(document, scope=TokenScope.READ_ONLY)
    client, connected = await YClient.connect(document.pk, raw)
    assert connected
    await client.sync()
    # A change of access has the runtime re-check the socket: the editor's grant stays
    # read-only under this token.
    await sync_to_async(DocumentFactory)(room=document.room)
    await asyncio.sleep(SETTLED)

    await client.insert(0, "not allowed")
    await client.receive_one()

    assert client.auth_denied == ["read-only"]
    assert await stored_text(document) == ""
    await client.ws.disconnect()


async def test_a_read_write_token_of_the_same_editor_writes():
    document = await sync_to_async(DocumentFactory)()
    _, raw = await editor_token(document)
    client, connected = await YClient.connect(document.pk, raw)
    assert connected
    await client.sync()

    await client.insert(0, "allowed")
    await client.ws.send_to(bytes_data=encode_confirm(1))  # answered once committed
    await client.receive_one()

    assert client.auth_denied == []
    assert await stored_text(document) == "allowed"
    await client.ws.disconnect()


async def test_a_token_limited_to_other_rooms_opens_no_socket_on_this_one():
    document = await sync_to_async(DocumentFactory)()
    elsewhere = await sync_to_async(DocumentFactory)()
    _, raw = await editor_token(document, room_ids=[elsewhere.room_id])

    client, _ = await YClient.connect(document.pk, raw)
    room = WebsocketCommunicator(application, f"/ws/rooms/{document.room_id}?token={raw}")
    await room.connect()

    assert await close_code(client.ws) == 4404
    assert await close_code(room) == 4404


async def test_an_expired_token_opens_no_socket():
    document = await sync_to_async(DocumentFactory)()
    token, raw = await editor_token(document)
    await sync_to_async(ApiToken.objects.filter(pk=token.pk).update)(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    client, _ = await YClient.connect(document.pk, raw)

    assert await close_code(client.ws) == 4401


async def test_an_open_document_socket_closes_4401_when_its_token_expires(settings):
    settings.COLLAB_ACCESS_RECHECK_SECONDS = 3 * SWEEP
    document = await sync_to_async(DocumentFactory)()
    token, raw = await editor_token(document, expires_at=timezone.now() + timedelta(hours=1))
    client, connected = await YClient.connect(document.pk, raw)
    assert connected
    await client.sync()
    assert await client.ws.receive_nothing(timeout=SETTLED)  # the re-checks pass it

    # The clock reaches the expiry: moved to now, with nothing announced, as time would.
    await sync_to_async(ApiToken.objects.filter(pk=token.pk).update)(expires_at=timezone.now())

    assert await close_code(client.ws) == 4401


async def test_an_open_room_socket_closes_4401_when_its_token_expires(settings):
    settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS = 0.2
    document = await sync_to_async(DocumentFactory)()
    token, raw = await editor_token(document, expires_at=timezone.now() + timedelta(hours=1))
    room = WebsocketCommunicator(application, f"/ws/rooms/{document.room_id}?token={raw}")
    connected, _ = await room.connect()
    assert connected

    await sync_to_async(ApiToken.objects.filter(pk=token.pk).update)(expires_at=timezone.now())

    assert await close_code(room) == 4401


async def test_a_read_only_tokens_room_socket_posts_nothing():
    document = await sync_to_async(DocumentFactory)()
    _, raw = await editor_token(document, scope=TokenScope.READ_ONLY)
    room = WebsocketCommunicator(application, f"/ws/rooms/{document.room_id}?token={raw}")
    connected, _ = await room.connect()
    assert connected
    send = {"type": "message.send", "body": "hi", "client_id": "c1"}

    await room.send_to(text_data=json.dumps(send))
    while (event := json.loads(await room.receive_from(timeout=5)))["type"] != "error":
        pass

    assert (event["code"], event["client_id"]) == ("token_scope", "c1")
    assert await sync_to_async(document.room.messages.count)() == 0
    await room.disconnect()


async def test_a_token_limited_to_rooms_opens_no_socket_of_every_rooms_list():
    document = await sync_to_async(DocumentFactory)()
    _, raw = await editor_token(document, room_ids=[document.room_id])

    me = WebsocketCommunicator(application, f"/ws/me?token={raw}")
    await me.connect()

    assert await close_code(me) == 4403
