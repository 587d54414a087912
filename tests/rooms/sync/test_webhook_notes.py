"""Live edits and webhooks' ``document.updated``: the commit path notes committed documents,
gathered for a moment, and a document whose room has a hook for it gets one event per debounce
window however many edits it takes."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from rooms.accounts.services import api_token_create
from rooms.membership.models import Role
from rooms.sync.protocol import encode_confirm
from rooms.webhooks import document_notes
from rooms.webhooks.models import WebhookDelivery
from rooms.webhooks.services.webhooks import webhook_create
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def editor_of_new_document(room=None):
    """A new document (in ``room``, or a room of its own), and an editor's token for it."""
    document = DocumentFactory(room=room or RoomFactory())
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    return document, api_token_create(user=user, name="test")[1]


async def edit(document, token, times: int) -> None:
    client, connected = await YClient.connect(document.pk, token)
    assert connected
    await client.sync()
    for index in range(times):
        await client.insert(index, "x")
    # Answered once every earlier update of the connection is committed.
    await client.ws.send_to(bytes_data=encode_confirm(1))
    assert await client.ws.receive_from(timeout=5) == encode_confirm(1)
    await client.ws.disconnect()


@sync_to_async
def document_updated_deliveries(document) -> list[dict]:
    return [
        delivery.payload["data"]
        for delivery in WebhookDelivery.objects.filter(event="document.updated")
        if delivery.payload["data"]["document"]["id"] == str(document.pk)
    ]


async def test_live_edits_of_a_listened_document_send_one_document_updated(settings):
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True
    settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 1
    settings.COLLAB_WEBHOOK_RETRY_DELAYS = [0]
    document, token = await editor_of_new_document()
    owner = await sync_to_async(UserFactory)()
    await sync_to_async(MembershipFactory)(room=document.room, user=owner, role=Role.OWNER)
    await sync_to_async(webhook_create)(
        actor=owner,
        room_id=document.room.pk,
        url="http://127.0.0.1:9/",
        events=["document.updated"],
    )

    await edit(document, token, times=5)

    for _ in range(100):
        deliveries = await document_updated_deliveries(document)
        if deliveries:
            break
        await asyncio.sleep(0.05)
    # Celery runs eagerly here: the one task queued emits at once, with the newest sequence
    # number it finds (the later edits are either in it or in the window's debounce).
    assert len(deliveries) == 1
    assert 1 <= deliveries[0]["seq"] <= 5
    await asyncio.sleep(settings.COLLAB_WEBHOOK_NOTE_GATHER_SECONDS * 2)
    assert len(await document_updated_deliveries(document)) == 1


async def test_documents_committed_together_are_noted_together(monkeypatch, settings):
    noted: list[set] = []
    monkeypatch.setattr(document_notes, "document_updated_note", noted.append)
    # Long enough that three documents edited one after another on a slow machine fall
    # within one gathering.
    settings.COLLAB_WEBHOOK_NOTE_GATHER_SECONDS = 3.0
    room = await sync_to_async(RoomFactory)()
    documents = [await editor_of_new_document(room) for _ in range(3)]

    for document, token in documents:  # each edit committed before the next document's
        await edit(document, token, times=3)

    for _ in range(200):
        if noted:
            break
        await asyncio.sleep(0.05)
    assert noted == [{document.pk for document, _ in documents}]
