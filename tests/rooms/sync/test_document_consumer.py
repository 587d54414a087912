"""The document socket through the real ASGI stack (origin guard, auth, router, consumer,
runtime, database), with pycrdt clients speaking y-websocket."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref

import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc

from rooms.accounts.services import api_token_create, api_token_digest
from rooms.documents import sync_session
from rooms.documents.selectors import document_grants
from rooms.documents.sync_session import UNCOMMITTED_PER_CONNECTION
from rooms.membership.models import Role
from rooms.sync.models import DocumentState, DocumentUpdate
from rooms.sync.protocol import encode_confirm
from rooms.sync.runtime import get_runtime
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def member_token(room, role: Role, username: str | None = None) -> str:
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(room=room, user=user, role=role)
    return api_token_create(user=user, name="test")[1]


@sync_to_async
def new_document(**room_fields):
    return DocumentFactory(room=RoomFactory(**room_fields))


@sync_to_async
def logged_updates(document) -> list[int]:
    return list(DocumentUpdate.objects.filter(document=document).values_list("seq", flat=True))


@sync_to_async
def compacted_seq(document) -> int:
    return DocumentState.objects.get(document=document).seq


async def logged_eventually(document, expected: list[int]) -> list[int]:
    """The logged sequence numbers once they equal ``expected`` (or after 3 s)."""
    for _ in range(60):
        seqs = await logged_updates(document)
        if seqs == expected:
            break
        await asyncio.sleep(0.05)
    return seqs


async def open_client(document, token) -> YClient:
    client, connected = await YClient.connect(document.pk, token)
    assert connected
    await client.sync()
    return client


async def test_two_clients_converge_and_the_sender_gets_nothing_back():
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR))
    b = await open_client(document, await member_token(document.room, Role.EDITOR))
    await a.insert(0, "hello")
    await b.receive_one()
    await b.insert(5, " world")
    await a.receive_one()
    assert str(a.text) == str(b.text) == "hello world"
    assert await a.ws.receive_nothing(timeout=0.2)
    assert await b.ws.receive_nothing(timeout=0.2)
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_an_update_is_committed_before_any_peer_receives_it():
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR))
    b = await open_client(document, await member_token(document.room, Role.OWNER))
    await a.insert(0, "durable")
    await b.receive_one()
    assert await logged_updates(document) == [1]
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_confirm_answers_once_every_earlier_update_of_the_connection_is_committed():
    document = await new_document()
    client = await open_client(document, await member_token(document.room, Role.EDITOR))
    for index, chars in enumerate(["a", "b", "c"]):
        await client.insert(index, chars)
    await client.ws.send_to(bytes_data=encode_confirm(300))
    # The answer is the same token, and by the time it arrives all three are in the log.
    assert await client.ws.receive_from(timeout=5) == encode_confirm(300)
    assert await logged_updates(document) == [1, 2, 3]
    await client.ws.disconnect()


def hold_commits(monkeypatch) -> tuple[threading.Event, list[int]]:
    """Make every group commit wait until the returned event is set; the list gets each
    transaction's number of updates as it starts."""
    from rooms.sync import log

    append, held, batches = log.updates_append, threading.Event(), []

    def held_append(batch):
        batches.append(len(batch))
        held.wait(timeout=10)
        return append(batch)

    monkeypatch.setattr(log, "updates_append", held_append)
    return held, batches


async def test_a_writer_hands_over_its_next_updates_while_one_commits(monkeypatch):
    """A connection does not wait for each update's commit before reading its next frame:
    what it sends meanwhile shares the next transaction, up to the pipeline's depth."""
    document = await new_document()
    writer = await open_client(document, await member_token(document.room, Role.EDITOR))
    reader = await open_client(document, await member_token(document.room, Role.VIEWER))
    held, batches = hold_commits(monkeypatch)
    await writer.insert(0, "a")
    for _ in range(500):  # the first commit has started (within 5 s, or the test fails)
        if batches:
            break
        await asyncio.sleep(0.01)
    assert batches
    for index, char in enumerate("bcdefghijklmnopqrst", start=1):
        await writer.insert(index, char)
    live = get_runtime().documents[document.pk]
    depth = UNCOMMITTED_PER_CONNECTION + 1  # the one being committed and those queued
    for _ in range(100):
        if live.pending_commits == depth:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    assert live.pending_commits == depth  # and no more: the rest wait unread
    assert await reader.ws.receive_nothing(timeout=0.1)  # nothing fanned out uncommitted
    held.set()
    await writer.ws.send_to(bytes_data=encode_confirm(9))
    assert await writer.ws.receive_from(timeout=5) == encode_confirm(9)
    assert batches[:2] == [1, UNCOMMITTED_PER_CONNECTION]
    assert sum(batches) == 20
    assert await logged_updates(document) == list(range(1, 21))
    for _ in range(20):
        await reader.receive_one()
    assert str(reader.text) == "abcdefghijklmnopqrst"
    await writer.ws.disconnect()
    await reader.ws.disconnect()


async def test_a_cursor_sent_after_an_edit_reaches_peers_after_that_edit(monkeypatch):
    document = await new_document()
    writer = await open_client(document, await member_token(document.room, Role.EDITOR))
    reader = await open_client(document, await member_token(document.room, Role.VIEWER))
    held, _ = hold_commits(monkeypatch)
    await writer.insert(0, "typed")
    await writer.send_awareness({"cursor": 5})
    assert await reader.ws.receive_nothing(timeout=0.3)
    held.set()
    await reader.receive_one()
    assert (str(reader.text), reader.awareness) == ("typed", {})
    await reader.receive_one()
    assert reader.awareness[writer.doc.client_id]["cursor"] == 5
    await writer.ws.disconnect()
    await reader.ws.disconnect()


async def test_confirm_after_a_refused_update_answers_with_nothing_stored():
    document = await new_document()
    viewer = await open_client(document, await member_token(document.room, Role.VIEWER))
    await viewer.insert(0, "sneaky")
    await viewer.ws.send_to(bytes_data=encode_confirm(1))
    await viewer.receive_one()
    assert viewer.auth_denied == ["read-only"]
    assert await viewer.ws.receive_from(timeout=5) == encode_confirm(1)
    assert await logged_updates(document) == []
    await viewer.ws.disconnect()


async def test_an_unloaded_document_is_freed():
    """pycrdt's change subscription holds the ``Doc`` from Yrs' side, out of the garbage
    collector's sight: the runtime must drop it, or every document ever opened stays."""
    document = await new_document()
    client = await open_client(document, await member_token(document.room, Role.EDITOR))
    await client.insert(0, "soon unloaded")
    assert await logged_eventually(document, [1]) == [1]
    doc = weakref.ref(get_runtime().documents[document.pk].doc)
    await client.ws.disconnect()
    for _ in range(100):
        if document.pk not in get_runtime().documents:
            break
        await asyncio.sleep(0.05)
    assert document.pk not in get_runtime().documents
    gc.collect()
    assert doc() is None


async def test_late_joiner_gets_everything_from_memory_and_after_reload_from_the_log():
    document = await new_document()
    token = await member_token(document.room, Role.EDITOR)
    a = await open_client(document, token)
    await a.insert(0, "abc")
    await a.insert(3, "def")
    # Both in the log before the late joiner comes (its socket is served independently).
    await a.ws.send_to(bytes_data=encode_confirm(1))
    assert await a.ws.receive_from(timeout=5) == encode_confirm(1)
    late = await open_client(document, await member_token(document.room, Role.VIEWER))
    assert str(late.text) == "abcdef"
    await a.ws.disconnect()
    await late.ws.disconnect()
    # The last client left: the document was unloaded and its log compacted into its state.
    assert await logged_updates(document) == []
    assert await compacted_seq(document) == 2
    reopened = await open_client(document, token)
    assert str(reopened.text) == "abcdef"
    await reopened.ws.disconnect()


async def test_viewer_update_is_refused_never_stored_or_forwarded():
    document = await new_document()
    editor = await open_client(document, await member_token(document.room, Role.EDITOR))
    viewer = await open_client(document, await member_token(document.room, Role.VIEWER))
    await viewer.insert(0, "sneaky")
    await viewer.receive_one()
    assert viewer.auth_denied == ["read-only"]
    assert await editor.ws.receive_nothing(timeout=0.3)
    assert await logged_updates(document) == []
    await editor.ws.disconnect()
    await viewer.ws.disconnect()


async def test_commenter_cannot_edit_documents():
    document = await new_document()
    commenter = await open_client(document, await member_token(document.room, Role.COMMENTER))
    await commenter.insert(0, "x")
    await commenter.receive_one()
    assert commenter.auth_denied == ["read-only"]
    assert await logged_updates(document) == []
    await commenter.ws.disconnect()


async def test_locked_document_is_read_only_to_editors_but_not_to_owners():
    document = await new_document()
    await sync_to_async(type(document).objects.filter(pk=document.pk).update)(
        is_locked=True, locked_at=document.created_at
    )
    editor = await open_client(document, await member_token(document.room, Role.EDITOR))
    owner = await open_client(document, await member_token(document.room, Role.OWNER))
    await editor.insert(0, "no")
    await editor.receive_one()
    await owner.insert(0, "yes")
    await editor.receive_one()
    assert editor.auth_denied == ["read-only"]
    assert await owner.ws.receive_nothing(timeout=0.3)
    assert str(owner.text) == "yes"
    assert await logged_updates(document) == [1]
    await editor.ws.disconnect()
    await owner.ws.disconnect()


async def test_sockets_connecting_together_read_their_grants_together(monkeypatch):
    """A reconnect storm: one read serves many handshakes, and each socket still gets its own
    user's grant (an editor writes, a viewer is refused, an outsider is closed 4404)."""
    document = await new_document(is_public=False)
    editors = [await member_token(document.room, Role.EDITOR) for _ in range(10)]
    viewer = await member_token(document.room, Role.VIEWER)
    outsider = (
        await sync_to_async(api_token_create)(user=await sync_to_async(UserFactory)(), name="t")
    )[1]
    reads: list[int] = []

    def counted(*, users_documents):
        reads.append(len(users_documents))
        return document_grants(users_documents=users_documents)

    monkeypatch.setattr(sync_session, "document_grants", counted)
    opened = await asyncio.gather(
        *(YClient.connect(document.pk, token) for token in [*editors, viewer, outsider])
    )
    clients = [client for client, _ in opened]
    *writers, reader, stranger = clients

    assert await stranger.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}
    for client in [*writers, reader]:
        await client.sync()
    assert sum(reads) == 12 and len(reads) < 12, reads
    await reader.insert(0, "sneaky")
    await reader.receive_one()
    assert reader.auth_denied == ["read-only"]
    await writers[0].insert(0, "hello")
    for client in [*writers[1:], reader]:
        await client.receive_one()
    assert {str(client.text) for client in writers} == {"hello"}
    assert "hello" in str(reader.text)  # beside its own refused edit
    assert await logged_updates(document) == [1]
    for client in [*writers, reader]:
        await client.ws.disconnect()


async def test_no_token_is_closed_4401_before_any_document_byte():
    document = await new_document()
    client, connected = await YClient.connect(document.pk, None)
    assert connected
    assert await client.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}


async def test_revoked_or_unknown_token_is_closed_4401():
    document = await new_document()
    client, _ = await YClient.connect(document.pk, "collab_not-a-token")
    assert await client.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}


@pytest.mark.parametrize("document_id", ["00000000-0000-0000-0000-000000000000", "nope"])
async def test_unknown_document_is_closed_4404(document_id):
    document = await new_document()
    token = await member_token(document.room, Role.EDITOR)
    client, _ = await YClient.connect(document_id, token)
    assert await client.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}


async def test_outsider_of_a_private_room_is_closed_4404():
    document = await new_document(is_public=False)
    outsider = await sync_to_async(UserFactory)()
    token = (await sync_to_async(api_token_create)(user=outsider, name="t"))[1]
    client, _ = await YClient.connect(document.pk, token)
    assert await client.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}


async def test_foreign_origin_is_refused_at_the_handshake_even_with_a_token():
    document = await new_document()
    token = await member_token(document.room, Role.OWNER)
    _, connected = await YClient.connect(
        document.pk, token, headers=[(b"origin", b"https://evil.example.com")]
    )
    assert connected is False


async def test_allowed_origin_with_a_token_connects():
    document = await new_document()
    token = await member_token(document.room, Role.OWNER)
    client, connected = await YClient.connect(
        document.pk,
        token,
        headers=[(b"host", b"localhost:8000"), (b"origin", b"http://localhost:8000")],
    )
    assert connected
    await client.sync()
    await client.ws.disconnect()


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        (b"localhost:8000", b"http://localhost:6666"),  # another port
        (b"localhost:8000", b"https://localhost:8000"),  # another scheme
        (b"localhost:8000", b"http://localhost.evil.example:8000"),  # a lookalike host
        (b"localhost", b"http://localhost:80.evil.example"),
        (b"evil.example", b"http://evil.example"),  # its own origin, but not an allowed host
        (None, b"http://localhost:8000"),  # no Host to be the same origin as
    ],
)
async def test_origin_other_than_the_sites_own_is_refused(host, origin):
    document = await new_document()
    token = await member_token(document.room, Role.OWNER)
    headers = [(b"origin", origin)] + ([(b"host", host)] if host is not None else [])
    _, connected = await YClient.connect(document.pk, token, headers=headers)
    assert connected is False


async def test_https_origin_behind_a_trusted_proxy_connects(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    document = await new_document()
    token = await member_token(document.room, Role.OWNER)
    headers = [(b"host", b"localhost"), (b"origin", b"https://localhost")]
    _, connected = await YClient.connect(document.pk, token, headers=headers)
    assert connected is False  # the proxy did not say the browser used https
    client, connected = await YClient.connect(
        document.pk, token, headers=[*headers, (b"x-forwarded-proto", b"https")]
    )
    assert connected
    await client.ws.disconnect()


@pytest.mark.parametrize(
    ("trusted", "origin", "allowed"),
    [
        ("http://localhost:8080", b"http://localhost:8080", True),
        ("http://localhost:8080", b"http://localhost:8081", False),
        ("https://*.example.com", b"https://docs.example.com", True),
        ("https://*.example.com", b"http://docs.example.com", False),
        ("https://*.example.com", b"https://example.com.evil.example", False),
    ],
)
async def test_csrf_trusted_origins_are_allowed_exactly(settings, trusted, origin, allowed):
    settings.CSRF_TRUSTED_ORIGINS = [trusted]
    document = await new_document()
    token = await member_token(document.room, Role.OWNER)
    # A proxy that passes Host without the port: the site's own origin cannot match.
    headers = [(b"host", b"localhost"), (b"origin", origin)]
    client, connected = await YClient.connect(document.pk, token, headers=headers)
    assert connected is allowed
    if connected:
        await client.ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"", 4400),
        (b"\x07", 4400),
        (b"\x00\x02\x04\xf3\xbc\x86\x79", 4400),  # the update that makes Yrs allocate 500 MB
        (b"\x00\x02" + b"\x80" * 20, 4400),
        (None, 4413),  # one byte past COLLAB_MAX_FRAME_BYTES
    ],
    ids=["empty", "unknown-type", "hostile-update", "endless-varint", "too-large"],
)
async def test_malformed_frame_closes_only_its_socket(settings, frame, code):
    if frame is None:
        frame = b"\x00" * (settings.COLLAB_MAX_FRAME_BYTES + 1)
    document = await new_document()
    other = await new_document()
    token = await member_token(document.room, Role.EDITOR)
    healthy = await open_client(other, await member_token(other.room, Role.EDITOR))
    bad = await open_client(document, token)
    await bad.ws.send_input({"type": "websocket.receive", "bytes": frame})
    assert await bad.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": code}
    await healthy.insert(0, "still fine")
    assert await logged_eventually(other, [1]) == [1]
    assert await logged_updates(document) == []
    await healthy.ws.disconnect()


async def test_text_frame_on_the_binary_socket_is_4400():
    document = await new_document()
    client = await open_client(document, await member_token(document.room, Role.EDITOR))
    await client.ws.send_to(text_data="hello")
    assert await client.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4400}


async def test_awareness_is_stamped_with_the_server_known_identity_and_removed_on_leave():
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR, "alice"))
    b = await open_client(document, await member_token(document.room, Role.VIEWER, "bob"))
    await a.send_awareness({"cursor": 3, "user": {"name": "Mallory", "color": "#000000"}})
    await b.receive_one()
    state = b.awareness[a.doc.client_id]
    assert state["cursor"] == 3
    assert state["user"]["name"] == "alice"
    assert state["user"]["color"] != "#000000"
    await a.ws.disconnect()
    await b.receive_one()
    assert b.awareness[a.doc.client_id] is None
    await b.ws.disconnect()


async def test_a_returning_client_is_told_its_removal_so_its_state_reaches_others_at_once():
    document = await new_document()
    token = await member_token(document.room, Role.EDITOR, "alice")
    a = await open_client(document, token)
    b = await open_client(document, await member_token(document.room, Role.VIEWER, "bob"))
    await a.send_awareness({"cursor": 3}, clock=1)
    await b.receive_one()
    await a.ws.disconnect()
    await b.receive_one()
    client_id = a.doc.client_id
    assert (b.awareness[client_id], b.awareness_clocks[client_id]) == (None, 2)

    back, _ = await YClient.connect(document.pk, token)
    back.doc = Doc(client_id=client_id)  # the same Yjs document, reconnecting
    await back.sync()
    await back.send_awareness({"cursor": 3}, clock=1)  # a Yjs client's state is unchanged
    await back.receive_one()
    # Its removal, which y-protocols answers with the state at a clock above it.
    assert (back.awareness[client_id], back.awareness_clocks[client_id]) == (None, 2)
    await back.send_awareness({"cursor": 3}, clock=3)
    await b.receive_one()
    assert (b.awareness[client_id]["cursor"], b.awareness_clocks[client_id]) == (3, 3)
    await back.ws.disconnect()
    await b.ws.disconnect()


async def test_a_renewal_of_an_unchanged_state_waits_and_travels_with_the_next_change():
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR, "alice"))
    b = await open_client(document, await member_token(document.room, Role.VIEWER, "bob"))
    c = await open_client(document, await member_token(document.room, Role.EDITOR, "carol"))
    await a.send_awareness({"cursor": 3}, clock=1)
    await b.receive_one()
    await a.send_awareness({"cursor": 3}, clock=2)  # the 15-second keep-alive
    await asyncio.sleep(0.3)  # longer than a change waits
    await c.send_awareness({"cursor": 7}, clock=1)
    await b.receive_one()  # one frame: carol's change, and alice's renewal with it
    assert b.awareness[c.doc.client_id]["cursor"] == 7
    assert b.awareness_clocks[a.doc.client_id] == 2
    for client in (a, b, c):
        await client.ws.disconnect()


async def test_a_renewal_alone_still_reaches_the_others(settings):
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR, "alice"))
    b = await open_client(document, await member_token(document.room, Role.VIEWER, "bob"))
    await a.send_awareness({"cursor": 3}, clock=1)
    await b.receive_one()
    await a.send_awareness({"cursor": 3}, clock=2)
    await b.receive_one(timeout=settings.COLLAB_AWARENESS_RENEWAL_FLUSH_SECONDS + 5)
    assert b.awareness_clocks[a.doc.client_id] == 2
    assert b.awareness[a.doc.client_id]["cursor"] == 3
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_newcomer_receives_the_awareness_of_everyone_present():
    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR, "alice"))
    await a.send_awareness({"cursor": 1})
    await asyncio.sleep(0.2)
    late, _ = await YClient.connect(document.pk, await member_token(document.room, Role.VIEWER))
    await late.receive_one()  # step 1
    await late.receive_one()  # the awareness snapshot
    assert late.awareness[a.doc.client_id]["user"]["name"] == "alice"
    await a.ws.disconnect()
    await late.ws.disconnect()


async def test_update_building_on_edits_the_server_lacks_is_answered_with_step1_not_applied():
    from pycrdt import Doc, Text, create_update_message

    document = await new_document()
    writer = await open_client(document, await member_token(document.room, Role.EDITOR))
    reader = await open_client(document, await member_token(document.room, Role.VIEWER))
    # The writer's tab saw "abc" from elsewhere (as over BroadcastChannel) and typed "d".
    elsewhere = Doc()
    elsewhere.get("text", type=Text).insert(0, "abc")
    writer.doc.apply_update(elsewhere.get_update())
    before = writer.doc.get_state()
    writer.text.insert(3, "d")
    await writer.ws.send_to(bytes_data=create_update_message(writer.doc.get_update(before)))
    await writer.receive_one()  # the server's step 1; the client answers with step 2
    await reader.receive_one()
    assert str(reader.text) == "abcd"
    assert await logged_eventually(document, [1]) == [1]
    await writer.ws.disconnect()
    await reader.ws.disconnect()


@pytest.mark.parametrize(
    "updates",
    [
        # Makes Yrs panic (PanicException, a BaseException) on a fresh document.
        [
            "02040100070101740028000100016a037500740278797c60053a680001810102020303000001c701"
            "00010606c60101010604626f6c64047472756500"
        ],
        # The first is held pending by Yrs; the second overlaps it: a segfault if both land.
        ["01010105000100", "01020100000484010302616200"],
    ],
    ids=["yrs-panic", "pending-overlap-segfault"],
)
async def test_updates_that_break_yrs_never_take_the_server_down(updates):
    from pycrdt import create_update_message

    document = await new_document()
    token = await member_token(document.room, Role.EDITOR)
    attacker = await open_client(document, token)
    for update in updates:
        await attacker.ws.send_input(
            {"type": "websocket.receive", "bytes": create_update_message(bytes.fromhex(update))}
        )
    await asyncio.sleep(0.3)
    survivor = await open_client(document, await member_token(document.room, Role.EDITOR))
    await survivor.insert(0, "alive")
    assert str(survivor.text) == "alive"
    await survivor.ws.disconnect()
    await attacker.ws.disconnect()


async def test_failed_commit_forwards_nothing_and_clients_reconnect_to_resend(monkeypatch):
    from django.db import OperationalError

    from rooms.sync import log

    document = await new_document()
    a = await open_client(document, await member_token(document.room, Role.EDITOR))
    b = await open_client(document, await member_token(document.room, Role.EDITOR))

    def database_down(batch):
        raise OperationalError("the database went away")

    monkeypatch.setattr(log, "updates_append", database_down)
    await a.insert(0, "unconfirmed")
    assert await b.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 1011}
    assert await a.ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 1011}
    assert await logged_updates(document) == []
    monkeypatch.undo()
    # Like y-websocket, the author reconnects with its document and the sync re-sends the edit.
    again, _ = await YClient.connect(document.pk, await member_token(document.room, Role.EDITOR))
    again.doc = a.doc
    await again.sync()
    assert await logged_eventually(document, [1]) == [1]
    reader = await open_client(document, await member_token(document.room, Role.VIEWER))
    assert str(reader.text) == "unconfirmed"
    await again.ws.disconnect()
    await reader.ws.disconnect()


async def test_a_peer_whose_socket_is_closing_does_not_stop_the_fan_out():
    document = await new_document()
    author = await open_client(document, await member_token(document.room, Role.EDITOR))
    closing_token = await member_token(document.room, Role.EDITOR)
    await open_client(document, closing_token)
    reader = await open_client(document, await member_token(document.room, Role.VIEWER))
    live = get_runtime().documents[document.pk]
    digest = api_token_digest(closing_token)
    (closing_peer,) = [peer for peer in live.peers if peer.token_digest == digest]

    async def socket_gone(frame):
        raise ConnectionError("the close frame already arrived")

    closing_peer.send_frame = socket_gone
    await author.insert(0, "still delivered")
    await reader.receive_one()
    assert str(reader.text) == "still delivered"
    assert await author.ws.receive_nothing(timeout=0.3)  # the author's socket stays open
    await author.ws.disconnect()
    await reader.ws.disconnect()
