"""Authorship: the log records which person each Yjs client id of a document wrote for, over
real document sockets, and the record outlives compaction."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from rooms.accounts.services import api_token_create
from rooms.membership.models import Role
from rooms.sync.models import DocumentAuthor, DocumentState, DocumentUpdate
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.ysync_client import YClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def editor(room, username: str):
    user = UserFactory(username=username)
    MembershipFactory(room=room, user=user, role=Role.EDITOR)
    return user, api_token_create(user=user, name="test")[1]


@sync_to_async
def recorded(document) -> dict[int, str]:
    rows = DocumentAuthor.objects.filter(document=document).select_related("author")
    return {row.client_id: row.author.username for row in rows}


@sync_to_async
def logged_rows(document) -> int:
    return DocumentUpdate.objects.filter(document=document).count()


@sync_to_async
def compacted_seq(document) -> int:
    return DocumentState.objects.get(document=document).seq


async def test_two_authors_typing_are_recorded_per_client_id_and_survive_compaction():
    document = await sync_to_async(DocumentFactory)()
    _, ada_token = await editor(document.room, "ada")
    _, bob_token = await editor(document.room, "bob")
    ada, connected = await YClient.connect(document.pk, ada_token)
    assert connected
    await ada.sync()
    bob, connected = await YClient.connect(document.pk, bob_token)
    assert connected
    await bob.sync()

    await ada.insert(0, "hello")
    await bob.receive_one()
    await bob.insert(5, " world")
    await ada.receive_one()
    await ada.insert(11, "!")
    await bob.receive_one()
    # Each edit reached the peer after its commit: the map is written with the log rows.
    expected = {ada.doc.client_id: "ada", bob.doc.client_id: "bob"}
    assert await recorded(document) == expected
    await ada.ws.disconnect()
    await bob.ws.disconnect()  # the last one out: the document is compacted (tasks run eagerly)

    assert await logged_rows(document) == 0
    assert await compacted_seq(document) == 3
    assert await recorded(document) == expected
