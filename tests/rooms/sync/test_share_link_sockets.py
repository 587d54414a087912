"""Document sockets opened through a share link (``?link=``), without an account: a view link
reads and its writes are refused, an edit link's writes are stored, and revoking or expiring
the link closes them with 4401; an unknown, revoked or expired link is refused at connect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone

from rooms.accounts.services import api_token_create
from rooms.documents.models import ShareLink, ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.rooms.sync.test_document_access_live import closed_with, still_open, stored_text
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_sweep(settings):
    settings.COLLAB_SYNC_SWEEP_SECONDS = 0.1


@sync_to_async
def document_with_owner():
    document = DocumentFactory()
    owner = UserFactory()
    MembershipFactory(room=document.room, user=owner, role=Role.OWNER)
    return document, owner, api_token_create(user=owner, name="t")[1]


@sync_to_async
def make_link(document, owner, role: ShareLinkRole) -> tuple[ShareLink, str]:
    return share_link_create(actor=owner, document_id=document.pk, role=role)


async def open_guest(document, secret: str) -> YClient:
    client, connected = await YClient.connect(document.pk, None, link=secret)
    assert connected
    await client.sync()
    return client


async def test_a_view_link_reads_live_edits_and_its_writes_are_refused_and_never_stored():
    document, owner, token = await document_with_owner()
    _, secret = await make_link(document, owner, ShareLinkRole.VIEWER)
    author, _ = await YClient.connect(document.pk, token)
    await author.sync()
    guest = await open_guest(document, secret)
    await author.insert(0, "live")
    await guest.receive_one()
    assert str(guest.text) == "live"
    await guest.insert(0, "guest ")
    assert await still_open(guest)  # refused (the auth message), not closed
    assert await stored_text(document) == "live"
    assert await author.ws.receive_nothing(timeout=0.2)
    await guest.ws.disconnect()
    await author.ws.disconnect()


async def test_an_edit_link_writes_are_stored_and_reach_members():
    document, owner, token = await document_with_owner()
    _, secret = await make_link(document, owner, ShareLinkRole.EDITOR)
    member, _ = await YClient.connect(document.pk, token)
    await member.sync()
    guest = await open_guest(document, secret)
    await guest.insert(0, "from a guest")
    await member.receive_one()
    assert str(member.text) == "from a guest"
    assert await still_open(guest)
    assert await stored_text(document) == "from a guest"
    await guest.ws.disconnect()
    await member.ws.disconnect()


async def test_a_comment_link_reads_but_does_not_write():
    document, owner, _ = await document_with_owner()
    _, secret = await make_link(document, owner, ShareLinkRole.COMMENTER)
    guest = await open_guest(document, secret)
    await guest.insert(0, "nope")
    assert await still_open(guest)
    assert await stored_text(document) == ""
    await guest.ws.disconnect()


async def test_revoking_the_link_closes_its_sockets_4401_and_no_others():
    document, owner, token = await document_with_owner()
    link, secret = await make_link(document, owner, ShareLinkRole.EDITOR)
    _, other_secret = await make_link(document, owner, ShareLinkRole.VIEWER)
    member, _ = await YClient.connect(document.pk, token)
    await member.sync()
    guest = await open_guest(document, secret)
    other_guest = await open_guest(document, other_secret)
    await sync_to_async(share_link_revoke)(actor=owner, document_id=document.pk, link_id=link.pk)
    assert await closed_with(guest) == 4401
    assert await still_open(other_guest)
    assert await still_open(member)
    await member.ws.disconnect()
    await other_guest.ws.disconnect()


async def test_an_expired_link_closes_its_sockets_4401_at_the_next_recheck(settings):
    settings.COLLAB_ACCESS_RECHECK_SECONDS = 0.1  # expiry changes with time alone
    document, owner, _ = await document_with_owner()
    link, secret = await make_link(document, owner, ShareLinkRole.VIEWER)
    guest = await open_guest(document, secret)
    await sync_to_async(ShareLink.objects.filter(pk=link.pk).update)(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert await closed_with(guest) == 4401


async def test_a_link_that_expires_while_open_closes_its_sockets_at_its_expiry(settings):
    settings.COLLAB_ACCESS_RECHECK_SECONDS = 3600  # only the expiry may bring the re-check
    document, owner, _ = await document_with_owner()
    _, secret = await sync_to_async(share_link_create)(
        actor=owner,
        document_id=document.pk,
        role=ShareLinkRole.VIEWER,
        expires_in=timedelta(seconds=2),
    )
    guest = await open_guest(document, secret)
    assert await closed_with(guest, timeout=5) == 4401


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
async def test_a_dead_link_is_refused_4401_at_connect(state):
    document, owner, _ = await document_with_owner()
    link, secret = await make_link(document, owner, ShareLinkRole.EDITOR)
    if state == "unknown":
        secret = secret[:-4] + "xxxx"
    elif state == "revoked":
        await sync_to_async(share_link_revoke)(
            actor=owner, document_id=document.pk, link_id=link.pk
        )
    else:
        await sync_to_async(ShareLink.objects.filter(pk=link.pk).update)(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    client, _ = await YClient.connect(document.pk, None, link=secret)
    assert await closed_with(client, timeout=2) == 4401
    assert await stored_text(document) == ""


async def test_a_link_opens_only_its_own_document():
    document, owner, _ = await document_with_owner()
    other = await sync_to_async(DocumentFactory)(room=document.room)
    _, secret = await make_link(document, owner, ShareLinkRole.EDITOR)
    client, _ = await YClient.connect(other.pk, None, link=secret)
    assert await closed_with(client, timeout=2) == 4404


async def test_a_signed_in_outsider_gets_the_links_role_not_the_room():
    """Signed in (a browser session) and not a member: the link alone decides, and revoking it
    closes the socket although the session still holds."""
    document, owner, _ = await document_with_owner()
    link, secret = await make_link(document, owner, ShareLinkRole.VIEWER)
    outsider = await sync_to_async(UserFactory)()
    browser = Client()
    await sync_to_async(browser.force_login)(outsider)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost"), (b"cookie", cookie)]
    client, connected = await YClient.connect(document.pk, None, headers=headers, link=secret)
    assert connected
    await client.sync()
    await client.insert(0, "outsider")
    assert await still_open(client)
    assert await stored_text(document) == ""
    await sync_to_async(share_link_revoke)(actor=owner, document_id=document.pk, link_id=link.pk)
    assert await closed_with(client) == 4401
