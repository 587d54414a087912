"""Property: whatever concurrent edits, disconnects and reconnects happen, every replica and
the document reloaded from the database end identical."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text, create_update_message

from rooms.accounts.services import api_token_create
from rooms.membership.models import Role
from rooms.sync import log
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 3

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("insert"),
            st.integers(0, CLIENTS - 1),
            st.floats(0, 1),
            st.text(alphabet="abcxyz ", min_size=1, max_size=4),
        ),
        st.tuples(
            st.just("delete"), st.integers(0, CLIENTS - 1), st.floats(0, 1), st.integers(1, 3)
        ),
        st.tuples(st.just("disconnect"), st.integers(0, CLIENTS - 1)),
        st.tuples(st.just("reconnect"), st.integers(0, CLIENTS - 1)),
        st.tuples(st.just("pump"), st.integers(0, CLIENTS - 1)),
    ),
    max_size=25,
)


class Replica:
    """A client's document that outlives its connections, like a browser tab going offline."""

    def __init__(self, document_id, token: str) -> None:
        self.document_id = document_id
        self.token = token
        self.doc: Doc = Doc()
        self.client: YClient | None = None

    @property
    def text(self) -> Text:
        return self.doc.get("text", type=Text)

    async def connect(self) -> None:
        client, connected = await YClient.connect(self.document_id, self.token)
        assert connected
        client.doc = self.doc
        await client.sync()
        self.client = client

    async def disconnect(self) -> None:
        if self.client is not None:
            await self.client.ws.disconnect()
            self.client = None

    async def edit(self, change) -> None:
        before = self.doc.get_state()
        change(self.text)
        if self.client is not None:
            update = self.doc.get_update(before)
            await self.client.ws.send_to(bytes_data=create_update_message(update))

    async def pump(self) -> None:
        while self.client is not None and not await self.client.ws.receive_nothing(timeout=0.05):
            await self.client.receive_one()


@sync_to_async
def fresh_document_with_editors():
    document = DocumentFactory()
    tokens = []
    for _ in range(CLIENTS):
        user = UserFactory()
        MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
        tokens.append(api_token_create(user=user, name="p")[1])
    return document.pk, tokens


def reloaded_text(document_id) -> str:
    stored = log.document_load(document_id)
    doc: Doc = Doc()
    if stored.state:
        doc.apply_update(stored.state)
    for _, update in stored.updates:
        doc.apply_update(update)
    return str(doc.get("text", type=Text))


async def run(ops) -> None:
    document_id, tokens = await fresh_document_with_editors()
    replicas = [Replica(document_id, token) for token in tokens]
    for replica in replicas:
        await replica.connect()
    for op in ops:
        replica = replicas[op[1]]
        if op[0] == "insert":
            at = int(op[2] * len(replica.text))
            await replica.edit(lambda text, at=at, chars=op[3]: text.insert(at, chars))
        elif op[0] == "delete" and len(replica.text):
            at = min(int(op[2] * len(replica.text)), len(replica.text) - 1)
            end = min(at + op[3], len(replica.text))
            await replica.edit(lambda text, at=at, end=end: text.__delitem__(slice(at, end)))
        elif op[0] == "disconnect":
            await replica.disconnect()
        elif op[0] == "reconnect" and replica.client is None:
            await replica.connect()
        elif op[0] == "pump":
            await replica.pump()
    for replica in replicas:
        if replica.client is None:
            await replica.connect()
    for _ in range(40):  # commits may still be in flight: pump until quiet and equal
        for replica in replicas:
            await replica.pump()
        texts = [str(replica.text) for replica in replicas]
        if texts == [texts[0]] * CLIENTS:
            break
        await asyncio.sleep(0.05)
    assert texts == [texts[0]] * CLIENTS
    assert await sync_to_async(reloaded_text)(document_id) == texts[0]
    for replica in replicas:
        await replica.disconnect()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_replicas_and_the_database_converge_whatever_the_interleaving(ops):
    asyncio.run(run(ops))
