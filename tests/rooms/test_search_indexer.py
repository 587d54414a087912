"""The live search indexer: documents edited over the socket are indexed within the debounce
interval, a burst of edits costs one index write, and the last client leaving indexes what
is still waiting. Real consumer, runtime and database; pycrdt clients."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Map, create_update_message

from rooms.accounts.services import api_token_create
from rooms.documents.content import tree as content
from rooms.documents.models import DocumentKind
from rooms.membership.models import Role
from rooms.search.live_indexer import get_indexer
from rooms.search.models import DocumentText
from rooms.search.services import document_text_store, searchable_text
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient


@sync_to_async
def editor_of_new_document():
    document = DocumentFactory(room=RoomFactory())
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    return document, api_token_create(user=user, name="test")[1]


@sync_to_async
def indexed_text(document) -> str | None:
    return DocumentText.objects.filter(document=document).values_list("text", flat=True).first()


async def open_client(document, token) -> YClient:
    client, connected = await YClient.connect(document.pk, token)
    assert connected
    await client.sync()
    return client


async def type_paragraph(client: YClient, text: str) -> None:
    """Append a paragraph to the Tiptap fragment and send it, as the editor would."""
    update = content.append_blocks(client.doc, content.paragraphs_from_text(text))
    await client.ws.send_to(bytes_data=create_update_message(update))


async def indexed_eventually(document, expected: str, seconds: float) -> str | None:
    for _ in range(int(seconds / 0.05)):
        text = await indexed_text(document)
        if text == expected:
            break
        await asyncio.sleep(0.05)
    return text


@pytest.mark.django_db(transaction=True)
async def test_a_live_edit_is_indexed_within_the_debounce_interval(settings):
    settings.COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS = 0.3
    document, token = await editor_of_new_document()
    client = await open_client(document, token)

    await type_paragraph(client, "kept current")

    assert await indexed_eventually(document, "kept current", seconds=2) == "kept current"
    await client.ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_burst_of_edits_is_indexed_once_after_the_interval(settings):
    settings.COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS = 1.0
    document, token = await editor_of_new_document()
    client = await open_client(document, token)
    indexer = get_indexer()
    writes_before = indexer.writes

    for word in ["one", "two", "three", "four", "five"]:
        await type_paragraph(client, word)
    await asyncio.sleep(0.5)
    assert await indexed_text(document) is None  # still inside the interval

    expected = "one\n\ntwo\n\nthree\n\nfour\n\nfive"
    assert await indexed_eventually(document, expected, seconds=3) == expected
    await asyncio.sleep(0.3)
    assert indexer.writes - writes_before == 1
    await client.ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_last_client_leaving_indexes_the_waiting_change(settings):
    settings.COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS = 60
    document, token = await editor_of_new_document()
    client = await open_client(document, token)
    await type_paragraph(client, "written just before leaving")
    await asyncio.sleep(0.3)
    assert await indexed_text(document) is None

    await client.ws.disconnect()

    expected = "written just before leaving"
    assert await indexed_eventually(document, expected, seconds=3) == expected


def test_whiteboard_text_is_every_text_a_reader_sees_on_it():
    doc: Doc = Doc()
    shapes = doc.get("shapes", type=Map)
    shapes["1"] = Map({"type": "text", "text": "Title of the board"})
    shapes["2"] = Map({"type": "sticky", "text": "a sticky\nnote"})
    shapes["3"] = Map({"type": "rect", "text": "a label"})
    shapes["4"] = Map({"type": "sticky", "text": "  "})
    shapes["5"] = "not a shape"
    shapes["6"] = Map({"type": "frame", "text": "Sprint plan"})
    shapes["7"] = Map({"type": "arrow", "text": "then"})
    shapes["8"] = Map({"type": "image", "alt": "The logo", "text": "not shown"})
    shapes["9"] = Map({"type": "pen", "text": "not shown"})
    shapes["a"] = Map({"type": "cloud", "text": "not a known shape"})

    assert searchable_text(doc, DocumentKind.WHITEBOARD) == (
        "Title of the board\n\na sticky\nnote\n\na label\n\nSprint plan\n\nthen\n\nThe logo"
    )


def test_control_characters_become_spaces():
    doc: Doc = Doc()
    content.append_blocks(doc, content.paragraphs_from_text("nul\x00here and\x01there"))

    assert searchable_text(doc, DocumentKind.TEXT) == "nul here and there"


@pytest.mark.django_db
def test_an_older_text_never_replaces_a_newer_one():
    document = DocumentFactory()

    assert document_text_store(document_id=document.pk, text="at five", seq=5)
    assert not document_text_store(document_id=document.pk, text="at three", seq=3)
    assert document_text_store(document_id=document.pk, text="at six", seq=6)

    assert DocumentText.objects.get(document=document).text == "at six"


@pytest.mark.django_db
def test_a_deleted_document_is_not_indexed():
    document = DocumentFactory()
    document_id = document.pk
    document.delete()

    assert not document_text_store(document_id=document_id, text="gone", seq=1)
    assert not DocumentText.objects.exists()
