"""Mentions typed in a live document, over a real document socket: the log's commit reaches
the mentions look, which notifies the person mentioned once, live on their socket."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from pycrdt import create_update_message

from rooms.accounts.services import api_token_create
from rooms.core import threads
from rooms.documents.content.tree import append_blocks
from rooms.membership.models import Role
from rooms.notifications.models import Notification
from rooms.sync.protocol import encode_confirm
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def setup():
    room = RoomFactory(is_public=False)
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    for user in (ann, bob):
        MembershipFactory(room=room, user=user, role=Role.EDITOR)
    document = DocumentFactory(room=room)
    return document, ann, bob, api_token_create(user=ann, name="test")[1]


@sync_to_async
def mentions_of(user) -> list[tuple[str, str | None]]:
    rows = Notification.objects.filter(user=user, kind="mention").select_related("actor")
    return [(str(row.document_id), row.actor.username if row.actor else None) for row in rows]


async def type_blocks(client: YClient, blocks: list[dict]) -> None:
    """Send ``blocks`` as one update and wait until the server has committed it."""
    await client.ws.send_to(bytes_data=create_update_message(append_blocks(client.doc, blocks)))
    await client.ws.send_to(bytes_data=encode_confirm(1))
    assert await client.ws.receive_from(timeout=5) == encode_confirm(1)


async def test_a_mention_typed_live_notifies_once(settings):
    settings.COLLAB_DOCUMENT_MENTION_DELAY_SECONDS = 0
    document, _, bob, token = await setup()
    client, connected = await YClient.connect(document.pk, token)
    assert connected
    await client.sync()
    mention = {"type": "mention", "attrs": {"id": str(bob.pk), "label": "bob"}}

    await type_blocks(client, [{"type": "paragraph", "content": [mention]}])
    await sync_to_async(threads.settle)()
    assert await mentions_of(bob) == [(str(document.pk), "ann")]

    await type_blocks(client, [{"type": "paragraph", "content": [{"type": "text", "text": "ok"}]}])
    await sync_to_async(threads.settle)()
    assert await mentions_of(bob) == [(str(document.pk), "ann")]
    await client.ws.disconnect()
