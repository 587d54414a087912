"""The Hocuspocus socket in process: a document's sync status comes once its update is stored,
and a change of access ends one document of a socket or the whole socket, as the docs say."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from pycrdt import Doc, Text, create_update_message, write_var_uint

from collab.asgi import application
from rooms.accounts.models import TokenScope
from rooms.accounts.services import api_token_create, api_token_revoke
from rooms.documents.models import ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from rooms.membership.models import Membership, Role
from rooms.sync import log
from rooms.sync.protocol import encode_sync_step1
from tests.factories import DocumentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = 0.1
RECHECK_BOUND = 5  # seconds within which a change of access must reach an open socket


@pytest.fixture(autouse=True)
def _fast_sweep(settings):
    settings.COLLAB_SYNC_SWEEP_SECONDS = SWEEP


def var_string(text: str) -> bytes:
    raw = text.encode()
    return write_var_uint(len(raw)) + raw


def split(frame: bytes) -> tuple[str, bytes]:
    """A server message's document name and the rest (type and body)."""
    length = frame[0]  # names here are 36 bytes: a one-byte varuint
    return frame[1 : 1 + length].decode(), frame[1 + length :]


class HocusClient:
    def __init__(self) -> None:
        self.ws = WebsocketCommunicator(application, "/ws/hocuspocus")

    async def open(self, name: str, token: str) -> bytes:
        """Authenticate for ``name``; the auth answer's type and body."""
        await self.ws.send_to(bytes_data=var_string(name) + bytes((2, 0)) + var_string(token))
        return await self.next_for(name, kind=2)

    async def next_for(self, name: str, kind: int) -> bytes:
        """The next message of type ``kind`` for ``name`` (others are skipped)."""
        while True:
            got, rest = split(await self.ws.receive_from(timeout=RECHECK_BOUND))
            if got == name and rest[0] == kind:
                return rest

    async def close_code(self) -> int | None:
        while True:
            output = await self.ws.receive_output(timeout=RECHECK_BOUND)
            if output["type"] == "websocket.close":
                return output.get("code")


@sync_to_async
def member_with_token(document, role=Role.EDITOR):
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=role)
    token, raw = api_token_create(user=user, name="t")
    return user, token, raw


@sync_to_async
def stored_text(document) -> str:
    return str(log.document_load(document.pk).to_doc().get("text", type=Text))


AUTHENTICATED_READ_WRITE = bytes((2, 2)) + var_string("read-write")


async def test_sync_status_comes_once_the_update_is_stored():
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await member_with_token(document)
    client = HocusClient()
    assert (await client.ws.connect())[0]
    name = str(document.pk)
    assert await client.open(name, raw) == AUTHENTICATED_READ_WRITE
    doc: Doc = Doc()
    doc["text"] = text = Text()
    text += "durable"
    await client.ws.send_to(bytes_data=var_string(name) + create_update_message(doc.get_update()))
    assert await client.next_for(name, kind=8) == bytes((8, 1))
    assert await stored_text(document) == "durable"
    await client.ws.disconnect()


async def test_losing_one_document_denies_it_and_keeps_the_others():
    kept = await sync_to_async(DocumentFactory)()
    lost = await sync_to_async(DocumentFactory)()
    user, _, raw = await member_with_token(kept)
    await sync_to_async(MembershipFactory)(room=lost.room, user=user, role=Role.EDITOR)
    client = HocusClient()
    assert (await client.ws.connect())[0]
    assert await client.open(str(kept.pk), raw) == AUTHENTICATED_READ_WRITE
    assert await client.open(str(lost.pk), raw) == AUTHENTICATED_READ_WRITE
    await sync_to_async(Membership.objects.filter(user=user, room=lost.room).delete)()
    assert await client.next_for(str(lost.pk), kind=2) == bytes((2, 1)) + var_string("forbidden")
    # The other document still answers on the same socket.
    await client.ws.send_to(bytes_data=var_string(str(kept.pk)) + encode_sync_step1(b"\x00"))
    assert (await client.next_for(str(kept.pk), kind=0))[:2] == bytes((0, 1))
    await client.ws.disconnect()


async def test_revoked_token_closes_the_socket_4401():
    document = await sync_to_async(DocumentFactory)()
    user, token, raw = await member_with_token(document)
    client = HocusClient()
    assert (await client.ws.connect())[0]
    assert await client.open(str(document.pk), raw) == AUTHENTICATED_READ_WRITE
    await sync_to_async(api_token_revoke)(user=user, token_id=token.pk)
    assert await asyncio.wait_for(client.close_code(), RECHECK_BOUND) == 4401


async def test_a_read_only_token_opens_a_document_read_only_and_other_rooms_not_at_all():
    document = await sync_to_async(DocumentFactory)()
    elsewhere = await sync_to_async(DocumentFactory)()
    user, _, _ = await member_with_token(document)
    await sync_to_async(MembershipFactory)(room=elsewhere.room, user=user, role=Role.EDITOR)
    _, raw = await sync_to_async(api_token_create)(
        user=user, name="reader", scope=TokenScope.READ_ONLY, room_ids=[document.room_id]
    )
    client = HocusClient()
    assert (await client.ws.connect())[0]

    opened = await client.open(str(document.pk), raw)
    refused = await client.open(str(elsewhere.pk), raw)

    assert opened == bytes((2, 2)) + var_string("readonly")
    assert refused == bytes((2, 1)) + var_string("not-found")
    await client.ws.disconnect()


@sync_to_async
def share_link(document, role):
    """A link to ``document`` made by an owner of its room: the link and its secret."""
    owner = UserFactory()
    MembershipFactory(room=document.room, user=owner, role=Role.OWNER)
    link, secret = share_link_create(actor=owner, document_id=document.pk, role=role)
    return owner, link, secret


async def test_a_share_links_secret_opens_its_document_for_a_guest_with_the_links_role():
    document = await sync_to_async(DocumentFactory)()
    _, _, view = await share_link(document, ShareLinkRole.VIEWER)
    _, _, edit = await share_link(document, ShareLinkRole.EDITOR)
    client = HocusClient()  # no session, no API token: a guest
    assert (await client.ws.connect())[0]
    name = str(document.pk)

    assert await client.open(name, view) == bytes((2, 2)) + var_string("readonly")
    await client.ws.send_to(bytes_data=var_string(name) + bytes((7,)))  # close it
    assert await client.open(name, edit) == AUTHENTICATED_READ_WRITE
    doc: Doc = Doc()
    doc["text"] = text = Text()
    text += "through a link"
    await client.ws.send_to(bytes_data=var_string(name) + create_update_message(doc.get_update()))

    assert await client.next_for(name, kind=8) == bytes((8, 1))
    assert await stored_text(document) == "through a link"
    await client.ws.disconnect()


async def test_an_unknown_secret_or_another_documents_link_opens_nothing():
    document = await sync_to_async(DocumentFactory)()
    other = await sync_to_async(DocumentFactory)()
    _, _, secret = await share_link(other, ShareLinkRole.EDITOR)
    client = HocusClient()
    assert (await client.ws.connect())[0]

    unknown = await client.open(str(document.pk), "csl_not-a-link")
    elsewhere = await client.open(str(document.pk), secret)

    assert unknown == bytes((2, 1)) + var_string("not-authenticated")
    assert elsewhere == bytes((2, 1)) + var_string("not-found")
    await client.ws.disconnect()


async def test_revoking_a_link_denies_its_document_and_keeps_the_sockets_others():
    revoked = await sync_to_async(DocumentFactory)()
    kept = await sync_to_async(DocumentFactory)()
    owner, link, secret = await share_link(revoked, ShareLinkRole.EDITOR)
    _, _, other_secret = await share_link(kept, ShareLinkRole.VIEWER)
    client = HocusClient()
    assert (await client.ws.connect())[0]
    assert await client.open(str(revoked.pk), secret) == AUTHENTICATED_READ_WRITE
    assert await client.open(str(kept.pk), other_secret) == bytes((2, 2)) + var_string("readonly")

    await sync_to_async(share_link_revoke)(actor=owner, document_id=revoked.pk, link_id=link.pk)

    denied = await client.next_for(str(revoked.pk), kind=2)
    assert denied == bytes((2, 1)) + var_string("not-authenticated")
    await client.ws.send_to(bytes_data=var_string(str(kept.pk)) + encode_sync_step1(b"\x00"))
    assert (await client.next_for(str(kept.pk), kind=0))[:2] == bytes((0, 1))
    await client.ws.disconnect()
