"""Access decided at connect is re-checked on open sockets, and limits are enforced.

The sync runtime's sweep runs every ``SWEEP`` seconds here (``COLLAB_SYNC_SWEEP_SECONDS``), so
a re-check takes a fraction of a second; ``RECHECK_BOUND`` is only how long a test waits for
what should come at the next sweeps."""

from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from pycrdt import Text

from rooms.accounts.services import api_token_create, api_token_revoke
from rooms.documents.services.documents import document_set_archived
from rooms.membership.models import Membership, Role
from rooms.sync import log
from rooms.sync.protocol import encode_confirm
from rooms.sync.runtime import get_runtime
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)

RECHECK_BOUND = 5  # seconds within which a change of access must reach an open socket
SWEEP = 0.1
# Sweeps after a socket opens by which the changes of the test's own setup were re-checked.
SWEEPS_UNTIL_SETTLED = 3


@pytest.fixture(autouse=True)
def _fast_sweep(settings):
    settings.COLLAB_SYNC_SWEEP_SECONDS = SWEEP


class WatchedPolicy:
    """The runtime's access policy, with a hook around each reading (on the sweep thread)."""

    def __init__(self, policy, around):
        self.policy, self.around = policy, around

    def epoch(self):
        return self.policy.epoch()

    def read(self, *args):
        return self.around(self.policy.read, *args)


def watch_access(around) -> None:
    """Have this loop's runtime read access through ``around(read, *args)``."""
    live_runtime = get_runtime()
    live_runtime.access = WatchedPolicy(live_runtime.access, around)


@sync_to_async
def editor_with_token(document, role=Role.EDITOR):
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=role)
    token, raw = api_token_create(user=user, name="t")
    return user, token, raw


async def closed_with(client: YClient, timeout: float = RECHECK_BOUND) -> int | None:
    """The close code the socket gets within ``timeout`` (frames before it are skipped)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            output = await client.ws.receive_output(timeout=left)
        except TimeoutError:
            return None
        if output["type"] == "websocket.close":
            return output.get("code")
    return None


async def still_open(client: YClient) -> bool:
    """Whether the socket answers a confirm frame (frames before the answer are skipped)."""
    await client.ws.send_to(bytes_data=encode_confirm(99))
    while True:
        output = await client.ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return False
        if output.get("bytes") == encode_confirm(99):
            return True


@sync_to_async
def stored_text(document) -> str:
    return str(log.document_load(document.pk).to_doc().get("text", type=Text))


async def open_client(document, raw, headers=None) -> YClient:
    client, connected = await YClient.connect(document.pk, raw, headers=headers)
    assert connected
    await client.sync()
    return client


async def test_removed_member_is_closed_4403_within_seconds():
    document = await sync_to_async(DocumentFactory)()
    user, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    await sync_to_async(Membership.objects.filter(user=user).delete)()
    assert await closed_with(client) == 4403


async def test_revoked_token_closes_its_socket_4401_within_seconds():
    document = await sync_to_async(DocumentFactory)()
    user, token, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    await sync_to_async(api_token_revoke)(user=user, token_id=token.pk)
    assert await closed_with(client) == 4401


async def test_logout_closes_a_browser_socket_4401_within_seconds():
    document = await sync_to_async(DocumentFactory)()
    user, _, _ = await editor_with_token(document)
    browser = Client()
    await sync_to_async(browser.force_login)(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    client = await open_client(
        document,
        None,
        headers=[(b"host", b"localhost"), (b"origin", b"http://localhost"), (b"cookie", cookie)],
    )
    await sync_to_async(browser.logout)()
    assert await closed_with(client) == 4401


async def test_session_cookie_without_origin_is_not_enough():
    document = await sync_to_async(DocumentFactory)()
    user, _, _ = await editor_with_token(document)
    browser = Client()
    await sync_to_async(browser.force_login)(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    client, _ = await YClient.connect(document.pk, None, headers=[(b"cookie", cookie)])
    assert await closed_with(client, timeout=2) == 4401


async def test_demoted_editor_can_no_longer_write_within_seconds():
    document = await sync_to_async(DocumentFactory)()
    user, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    membership = await sync_to_async(Membership.objects.get)(user=user)
    membership.role = Role.VIEWER
    await sync_to_async(membership.save)()
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    await client.insert(0, "too late")
    await client.receive_one()
    assert client.auth_denied == ["read-only"]
    await client.ws.disconnect()


async def test_update_flood_is_slowed_down_and_all_stored_not_closed(settings):
    settings.COLLAB_MAX_UPDATES_PER_SECOND = 50
    settings.COLLAB_UPDATE_BURST = 5
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    started = asyncio.get_running_loop().time()
    for index in range(30):
        await client.insert(index, "x")
    await client.ws.send_to(bytes_data=encode_confirm(7))
    assert await client.ws.receive_from(timeout=5) == encode_confirm(7)
    # 25 updates past the burst at 50 a second: they waited, none was refused.
    assert asyncio.get_running_loop().time() - started >= 0.45
    assert await stored_text(document) == "x" * 30
    assert await client.ws.receive_nothing(timeout=0.2)
    await client.ws.disconnect()


async def test_update_flood_kept_over_the_rate_is_closed_1013(settings):
    settings.COLLAB_MAX_UPDATES_PER_SECOND = 5
    settings.COLLAB_UPDATE_BURST = 5
    settings.COLLAB_MAX_THROTTLED_SECONDS = 0.5
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    for index in range(20):
        await client.insert(index, "x")
    assert await closed_with(client, timeout=3) == 1013


async def test_awareness_flood_is_slowed_down_not_closed(settings):
    settings.COLLAB_MAX_AWARENESS_PER_SECOND = 50
    settings.COLLAB_AWARENESS_BURST = 5
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    _, _, other = await editor_with_token(document)
    watcher = await open_client(document, other)
    for clock in range(1, 31):
        await client.send_awareness({"cursor": clock}, clock=clock)
    while watcher.awareness.get(client.doc.client_id, {}).get("cursor") != 30:
        await watcher.receive_one()
    assert await still_open(client)
    await client.ws.disconnect()
    await watcher.ws.disconnect()


async def test_awareness_flood_kept_over_the_rate_is_closed_1013(settings):
    settings.COLLAB_MAX_AWARENESS_PER_SECOND = 5
    settings.COLLAB_AWARENESS_BURST = 5
    settings.COLLAB_MAX_THROTTLED_SECONDS = 0.5
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    for clock in range(1, 20):
        await client.send_awareness({"cursor": clock}, clock=clock)
    assert await closed_with(client, timeout=3) == 1013


async def test_oversize_awareness_state_is_closed_4413(settings):
    settings.COLLAB_MAX_AWARENESS_STATE_BYTES = 100
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    await client.send_awareness({"cursor": "x" * 200})
    assert await closed_with(client, timeout=3) == 4413


async def test_one_connection_past_the_per_document_limit_is_closed_1013(settings):
    settings.COLLAB_MAX_CONNECTIONS_PER_DOCUMENT = 2
    document = await sync_to_async(DocumentFactory)()
    clients = [await open_client(document, (await editor_with_token(document))[2]) for _ in "ab"]
    extra, _ = await YClient.connect(document.pk, (await editor_with_token(document))[2])
    assert await closed_with(extra, timeout=3) == 1013
    for client in clients:
        await client.ws.disconnect()


async def test_update_past_the_document_size_limit_is_closed_4413_and_not_stored(settings):
    settings.COLLAB_MAX_DOCUMENT_BYTES = 200
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    await client.insert(0, "y" * 500)
    assert await closed_with(client, timeout=3) == 4413
    count = await sync_to_async(document.updates.count)()
    assert count == 0


async def test_a_socket_that_connects_during_a_sweeps_reading_is_not_closed(settings):
    """The sweep reads everyone's access on its own thread; a socket that finished connecting
    meanwhile is not in that reading and must not be judged by it (such sockets were closed
    4401 or 4403 in connection storms)."""
    document = await sync_to_async(DocumentFactory)()
    _, _, first_raw = await editor_with_token(document)
    _, _, late_raw = await editor_with_token(document)
    loop = asyncio.get_running_loop()
    reading_taken, late_connected = asyncio.Event(), threading.Event()

    def read_then_wait(read, *args):  # on the sweep thread
        reading = read(*args)  # before the late socket exists
        if not reading_taken.is_set():
            loop.call_soon_threadsafe(reading_taken.set)
            late_connected.wait(timeout=30)  # the late socket connects while "reading"
        return reading

    watch_access(read_then_wait)
    first = await open_client(document, first_raw)
    await asyncio.wait_for(reading_taken.wait(), timeout=RECHECK_BOUND)
    late = await open_client(document, late_raw)
    late_connected.set()
    # Past the sweep that read before it connected, and a full re-check after it, which asks
    # about it: the late socket still edits, and the first one still receives.
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    await late.insert(0, "still here")
    while str(first.text) != "still here":
        await first.receive_one()
    await late.ws.disconnect()
    await first.ws.disconnect()


async def test_access_is_re_read_only_when_it_changed(settings):
    """With nothing changed, sweeps do not re-read the access of open sockets (with 10,000
    sockets that read kept a process busy); a change through the app has it
    re-read at once."""
    settings.COLLAB_ACCESS_RECHECK_SECONDS = 3600
    document = await sync_to_async(DocumentFactory)()
    _, _, raw = await editor_with_token(document)
    reads = []

    def counted(read, *args):
        reads.append(args)
        return read(*args)

    watch_access(counted)
    client = await open_client(document, raw)
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    settled = len(reads)
    await asyncio.sleep(5 * SWEEP)
    assert len(reads) == settled, "access re-read with nothing changed"
    await sync_to_async(DocumentFactory)(room=document.room)  # a change of access
    async with asyncio.timeout(RECHECK_BOUND):
        while len(reads) == settled:
            await asyncio.sleep(SWEEP / 10)
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    # Read on its announcement; a sweep that read the new epoch just before may read too.
    assert settled + 1 <= len(reads) <= settled + 2
    await client.ws.disconnect()


async def test_a_change_behind_the_apps_back_is_applied_by_the_periodic_re_check(settings):
    """A queryset ``update()`` sends no signal and so does not move the access epoch; the full
    re-check every ``COLLAB_ACCESS_RECHECK_SECONDS`` still applies it."""
    settings.COLLAB_ACCESS_RECHECK_SECONDS = 3 * SWEEP
    document = await sync_to_async(DocumentFactory)()
    user, _, raw = await editor_with_token(document)
    client = await open_client(document, raw)
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    await sync_to_async(Membership.objects.filter(user=user).update)(role=Role.VIEWER)
    await asyncio.sleep(settings.COLLAB_ACCESS_RECHECK_SECONDS + SWEEPS_UNTIL_SETTLED * SWEEP)
    await client.insert(0, "too late")
    await client.receive_one()
    assert client.auth_denied == ["read-only"]
    await client.ws.disconnect()


async def test_an_archived_document_can_no_longer_be_written_even_by_an_owner():
    document = await sync_to_async(DocumentFactory)()
    user, _, raw = await editor_with_token(document, role=Role.OWNER)
    client = await open_client(document, raw)
    await sync_to_async(document_set_archived)(actor=user, document_id=document.pk, archived=True)
    await asyncio.sleep(SWEEPS_UNTIL_SETTLED * SWEEP)
    await client.insert(0, "too late")
    await client.receive_one()
    assert client.auth_denied == ["read-only"]
    await client.ws.disconnect()
