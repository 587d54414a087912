"""Room search over REST: documents (through their search text) and messages, on whichever
database the suite runs on (CI runs it on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from pycrdt import Doc, Map

from rooms.documents.models import DocumentKind
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.documents.services.versions import version_create, version_restore
from rooms.search.models import DocumentText
from rooms.search.services import room_index_refresh
from rooms.sync import log
from tests.conftest import client_for
from tests.factories import DocumentFactory, MessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def write(document, user, text):
    document_content_write(actor=user, document_id=document.pk, mode=WriteMode.APPEND, text=text)


def search(client, room, query, status=200):
    response = client.get(f"/api/v1/rooms/{room.pk}/search", {"q": query})
    assert response.status_code == status, response.content
    return response.json()


def marked(hit) -> list[str]:
    return [hit["snippet"][start:end] for start, end in hit["highlights"]]


def test_search_finds_document_text_with_the_matched_words_highlighted(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    plan = DocumentFactory(room=room, title="Plan")
    write(plan, owner, "We ship the quarterly roadmap on Friday.\n\nNothing else.")
    write(DocumentFactory(room=room, title="Other"), owner, "Lunch menu.")

    found = search(room_with_everyone.client("viewer"), room, "roadmap")

    assert [(hit["id"], hit["title"], hit["kind"]) for hit in found["documents"]] == [
        (str(plan.pk), "Plan", "text")
    ]
    hit = found["documents"][0]
    assert "quarterly roadmap on Friday" in hit["snippet"]
    assert marked(hit) == ["roadmap"]
    assert hit["match"] == "roadmap"
    assert found["messages"] == []
    assert found["query"] == "roadmap"


def test_search_finds_messages_and_says_which_thread_they_are_in(room_with_everyone):
    room = room_with_everyone.room
    root = MessageFactory(room=room, body="where is the budget sheet?")
    reply = MessageFactory(room=room, body="the budget is in the drive", parent=root)
    MessageFactory(room=room, body="unrelated")

    found = search(room_with_everyone.client("commenter"), room, "budget")

    assert [(m["id"], m["parent"]) for m in found["messages"]] == [
        (reply.pk, root.pk),
        (root.pk, None),
    ]
    assert found["documents"] == []


def test_every_word_must_match(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    both = DocumentFactory(room=room)
    write(both, owner, "apples and pears")
    write(DocumentFactory(room=room), owner, "apples only")

    found = search(room_with_everyone.client("editor"), room, "pears apples")

    assert [hit["id"] for hit in found["documents"]] == [str(both.pk)]
    assert sorted(marked(found["documents"][0])) == ["apples", "pears"]


def test_a_title_match_is_found_with_no_highlight(room_with_everyone):
    room = room_with_everyone.room
    notes = DocumentFactory(room=room, title="Standup notes")

    found = search(room_with_everyone.client("viewer"), room, "standup")

    assert [(hit["id"], hit["match"], hit["highlights"]) for hit in found["documents"]] == [
        (str(notes.pk), "", [])
    ]


def test_whiteboard_texts_labels_and_frame_titles_are_searchable(room_with_everyone):
    room = room_with_everyone.room
    board = DocumentFactory(room=room, kind=DocumentKind.WHITEBOARD, title="Board")
    doc: Doc = Doc()
    shapes = doc.get("shapes", type=Map)
    shapes["a"] = Map({"type": "sticky", "text": "remember the retrospective"})
    shapes["b"] = Map({"type": "text", "text": "architecture sketch"})
    shapes["c"] = Map({"type": "rect", "text": "rectangle label"})
    shapes["d"] = Map({"type": "frame", "text": "quarterly roadmap"})
    shapes["e"] = Map({"type": "pen", "text": "invisible"})
    log.updates_append(
        [log.PendingUpdate(document_id=board.pk, data=doc.get_update(), author_id=None)]
    )
    client = room_with_everyone.client("viewer")

    assert [hit["match"] for hit in search(client, room, "retrospective")["documents"]] == [
        "retrospective"
    ]
    assert [hit["id"] for hit in search(client, room, "architecture")["documents"]] == [
        str(board.pk)
    ]
    assert [hit["match"] for hit in search(client, room, "rectangle")["documents"]] == ["rectangle"]
    assert [hit["match"] for hit in search(client, room, "roadmap")["documents"]] == ["roadmap"]
    assert search(client, room, "invisible")["documents"] == []


def test_documents_indexed_before_search_existed_are_backfilled(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    document = DocumentFactory(room=room)
    write(document, owner, "legacy migration checklist")
    DocumentText.objects.all().delete()

    found = search(room_with_everyone.client("viewer"), room, "checklist")

    assert [hit["id"] for hit in found["documents"]] == [str(document.pk)]
    assert DocumentText.objects.get(document=document).text == "legacy migration checklist"


def test_a_stale_row_is_refreshed_and_a_fresh_one_left_alone(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    stale, fresh = DocumentFactory(room=room), DocumentFactory(room=room)
    write(stale, owner, "first words")
    write(fresh, owner, "fresh words")
    DocumentText.objects.filter(document=stale).update(seq=0, text="outdated")

    assert DocumentText.objects.get(document=fresh).text == "fresh words"  # written with the update

    assert room_index_refresh(room_id=room.pk) == 1
    assert DocumentText.objects.get(document=stale).text == "first words"


def test_other_rooms_are_not_searched(room_with_everyone):
    elsewhere = DocumentFactory(room=RoomFactory(is_public=True))
    DocumentText.objects.create(document=elsewhere, text="secret plans", seq=0)
    MessageFactory(room=elsewhere.room, body="secret plans")

    found = search(room_with_everyone.client("owner"), room_with_everyone.room, "secret")

    assert found["documents"] == found["messages"] == []


def test_anyone_signed_in_may_search_a_public_room(db):
    room = RoomFactory(is_public=True)
    MessageFactory(room=room, body="open agenda")

    found = search(client_for(UserFactory()), room, "agenda")

    assert [m["body"] for m in found["messages"]] == ["open agenda"]


@pytest.mark.parametrize(
    ("who", "status", "code"), [("outsider", 404, "room_not_found"), ("anonymous", 401, None)]
)
def test_outsiders_of_a_private_room_cannot_search_it(room_with_everyone, who, status, code):
    body = search(room_with_everyone.client(who), room_with_everyone.room, "x", status=status)
    if code:
        assert body["code"] == code


@pytest.mark.parametrize(
    ("params", "code"),
    [({"q": "   "}, "blank"), ({"q": "x" * 201}, "max_length"), ({}, "required")],
)
def test_a_query_that_is_blank_missing_or_too_long_is_400(room_with_everyone, params, code):
    response = room_with_everyone.client("viewer").get(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/search", params
    )
    assert response.status_code == 400
    assert response.json()["fields"]["q"][0]["code"] == code


def test_an_unknown_parameter_is_400(room_with_everyone):
    response = room_with_everyone.client("viewer").get(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/search", {"q": "a", "page": "2"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["page"][0]["code"] == "unknown_field"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_postgresql_matches_word_forms_and_ranks_better_matches_first(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    once = DocumentFactory(room=room)
    write(once, owner, "the deployment ran")
    often = DocumentFactory(room=room)
    write(often, owner, "deploy deploys deploying deployed")

    found = search(room_with_everyone.client("viewer"), room, "deploying")

    assert [hit["id"] for hit in found["documents"]] == [str(often.pk), str(once.pk)]
    assert marked(found["documents"][1]) == ["deployment"]
    assert marked(found["documents"][0]) == ["deploy", "deploys", "deploying", "deployed"]


def test_a_restored_version_is_what_search_finds(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    document = DocumentFactory(room=room)
    write(document, owner, "original pelican text")
    version = version_create(actor=owner, document_id=document.pk, name="before")
    document_content_write(
        actor=owner, document_id=document.pk, mode=WriteMode.REPLACE, text="rewritten flamingo"
    )
    assert DocumentText.objects.get(document=document).text == "rewritten flamingo"

    version_restore(actor=owner, document_id=document.pk, version_id=version.pk)

    assert DocumentText.objects.get(document=document).text == "original pelican text"
    client = room_with_everyone.client("viewer")
    assert [hit["id"] for hit in search(client, room, "pelican")["documents"]] == [str(document.pk)]
    assert search(client, room, "flamingo")["documents"] == []


def test_highlight_offsets_count_utf16_units_as_the_browser_does(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    write(DocumentFactory(room=room), owner, "🎉 party for the walrus")

    (hit,) = search(room_with_everyone.client("viewer"), room, "walrus")["documents"]

    utf16 = hit["snippet"].encode("utf-16-le")
    start, end = hit["highlights"][0]
    assert utf16[start * 2 : end * 2].decode("utf-16-le") == "walrus"
