"""The share page's comment socket (``/ws/share-comments/<document>?link=``), through the real
ASGI stack: a comment or edit link hears its document's comment events and nothing else of the
room; a view link, another document's link or a dead link is 4401; revoking the link closes
an open socket with 4401."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from collab.asgi import application
from rooms.chat.services.messages import message_send
from rooms.comments.models import AnchorKind
from rooms.comments.services.threads import Anchor, thread_create
from rooms.documents.models import DocumentKind, ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.rooms.chat_capture import assert_matches_schema
from tests.rooms.comment_anchors import text_anchor

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def setup(role: ShareLinkRole) -> dict[str, Any]:
    room = RoomFactory(is_public=False)
    owner = UserFactory(username="olga")
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    shared = DocumentFactory(room=room, kind=DocumentKind.TEXT)
    other = DocumentFactory(room=room, kind=DocumentKind.TEXT)
    link, secret = share_link_create(actor=owner, document_id=shared.pk, role=role)
    return {
        "room": room,
        "owner": owner,
        "shared": shared,
        "other": other,
        "link": link,
        "secret": secret,
        "anchors": {doc.pk: text_anchor(doc, owner) for doc in (shared, other)},
    }


@sync_to_async
def comment(world: dict[str, Any], document: Any, body: str) -> None:
    anchor = world["anchors"][document.pk]
    thread_create(
        actor=world["owner"],
        document_id=document.pk,
        anchor=Anchor(kind=AnchorKind.TEXT, start=anchor["start"], end=anchor["end"]),
        body=body,
    )


async def connect(document: Any, secret: str) -> WebsocketCommunicator:
    ws = WebsocketCommunicator(application, f"/ws/share-comments/{document.pk}?link={secret}")
    connected, _ = await ws.connect()
    assert connected
    return ws


async def closed_with(ws: WebsocketCommunicator) -> int:
    while True:
        output = await ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return int(output.get("code", 1000))


async def event(ws: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await ws.receive_from(timeout=5))


@pytest.mark.parametrize("role", [ShareLinkRole.COMMENTER, ShareLinkRole.EDITOR])
async def test_a_comment_link_hears_its_documents_comments_and_nothing_else(role):
    world = await setup(role)
    ws = await connect(world["shared"], world["secret"])
    assert await event(ws) == {"type": "ready", "document": str(world["shared"].pk)}

    await comment(world, world["other"], "Elsewhere")
    await sync_to_async(message_send)(actor=world["owner"], room_id=world["room"].pk, body="chat")
    await comment(world, world["shared"], "Here")

    # Events reach a socket in the order they were published: the first one heard is the
    # shared document's, so the other document's comment and the chat message never came.
    heard = await event(ws)
    assert_matches_schema(heard)
    assert heard["type"] == "comment_thread.created"
    assert heard["document"] == str(world["shared"].pk)
    assert heard["thread"]["comments"][0]["body"] == "Here"
    await ws.disconnect()


async def test_a_view_link_has_no_comment_socket():
    world = await setup(ShareLinkRole.VIEWER)
    ws = await connect(world["shared"], world["secret"])
    assert await closed_with(ws) == 4401


async def test_a_link_opens_the_socket_of_its_own_document_only():
    world = await setup(ShareLinkRole.COMMENTER)
    ws = await connect(world["other"], world["secret"])
    assert await closed_with(ws) == 4401


async def test_no_link_or_an_unknown_one_is_4401():
    world = await setup(ShareLinkRole.COMMENTER)
    assert await closed_with(await connect(world["shared"], "csl_unknown")) == 4401
    ws = WebsocketCommunicator(application, f"/ws/share-comments/{world['shared'].pk}")
    assert (await ws.connect())[0]
    assert await closed_with(ws) == 4401


async def test_revoking_the_link_closes_its_open_socket():
    world = await setup(ShareLinkRole.COMMENTER)
    ws = await connect(world["shared"], world["secret"])
    assert (await event(ws))["type"] == "ready"

    await sync_to_async(share_link_revoke)(
        actor=world["owner"], document_id=world["shared"].pk, link_id=world["link"].pk
    )

    assert await closed_with(ws) == 4401
