"""Comparing versions: the structural diff (blocks, then words within a changed block; a
whiteboard's shapes) and ``GET documents/{id}/versions/{a}/diff?against=current|{b}``."""

from __future__ import annotations

import pytest
from pycrdt import Map

from rooms.documents.content import tree as content
from rooms.documents.models import DocumentKind, DocumentVersion
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.documents.services.versions import version_create
from rooms.documents.version_diff import shapes_diff, text_diff, word_diff
from tests.conftest import client_for
from tests.factories import DocumentFactory


def doc_of(*paragraphs: str, heading: str | None = None) -> dict:
    blocks = [{"type": "paragraph", "content": [{"type": "text", "text": p}]} for p in paragraphs]
    if heading is not None:
        blocks.insert(
            0,
            {
                "type": "heading",
                "attrs": {"level": 1},
                "content": [{"type": "text", "text": heading}],
            },
        )
    return {"type": "doc", "content": blocks}


@pytest.mark.unit
def test_a_changed_paragraph_is_diffed_word_by_word():
    assert word_diff("Ship the editor in March.", "Ship the whiteboard in April.") == [
        {"op": "equal", "text": "Ship the "},
        {"op": "delete", "text": "editor"},
        {"op": "insert", "text": "whiteboard"},
        {"op": "equal", "text": " in "},
        {"op": "delete", "text": "March"},
        {"op": "insert", "text": "April"},
        {"op": "equal", "text": "."},
    ]


@pytest.mark.unit
def test_blocks_are_equal_inserted_deleted_or_changed():
    old = doc_of("keep me", "drop me", "change me", heading="Plan")
    new = doc_of("keep me", "changed me", "brand new", heading="Plan")

    assert [(b["type"], b["change"], b["parts"]) for b in text_diff(old, new)] == [
        ("heading", "equal", [{"op": "equal", "text": "Plan"}]),
        ("paragraph", "equal", [{"op": "equal", "text": "keep me"}]),
        (
            "paragraph",
            "changed",
            [
                {"op": "delete", "text": "drop"},
                {"op": "insert", "text": "changed"},
                {"op": "equal", "text": " me"},
            ],
        ),
        (
            "paragraph",
            "changed",
            [
                {"op": "delete", "text": "change"},
                {"op": "insert", "text": "brand"},
                {"op": "equal", "text": " "},
                {"op": "delete", "text": "me"},
                {"op": "insert", "text": "new"},
            ],
        ),
    ]
    assert [b["change"] for b in text_diff(old, doc_of())] == ["deleted"] * 4
    assert [b["change"] for b in text_diff(doc_of(), new)] == ["inserted"] * 4


@pytest.mark.unit
def test_shapes_are_added_removed_or_changed():
    old = {"a": {"type": "rect", "x": 1}, "b": {"type": "pen"}, "c": {"type": "text"}}
    new = {"a": {"type": "rect", "x": 2}, "c": {"type": "text"}, "d": {"type": "sticky"}}

    assert shapes_diff(old, new) == [
        {"id": "a", "change": "changed", "kind": "rect"},
        {"id": "b", "change": "removed", "kind": "pen"},
        {"id": "d", "change": "added", "kind": "sticky"},
    ]


def write(document, user, text, mode=WriteMode.APPEND):
    return document_content_write(actor=user, document_id=document.pk, mode=mode, text=text)


def test_the_diff_against_the_current_document_marks_what_came_and_went_and_who_wrote_it(
    room_with_everyone,
):
    owner, editor = room_with_everyone.users["owner"], room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, owner, "Ship the editor in March.")
    version = version_create(actor=owner, document_id=document.pk, name="v1")
    write(document, editor, "Ship the editor in April.", mode=WriteMode.REPLACE)
    write(document, owner, "Then chat.")

    viewer = client_for(room_with_everyone.users["viewer"])
    response = viewer.get(f"/api/v1/documents/{document.pk}/versions/{version.pk}/diff")

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["from"], body["to"]) == (
        "text",
        {"version": str(version.pk), "seq": 1},
        {"version": None, "seq": 3},
    )
    assert [person["id"] for person in body["authors"]] == [editor.pk, owner.pk]
    assert [(b["change"], b["parts"]) for b in body["blocks"]] == [
        (
            "changed",
            [
                {"op": "equal", "text": "Ship the editor in "},
                {"op": "delete", "text": "March"},
                {"op": "insert", "text": "April"},
                {"op": "equal", "text": "."},
            ],
        ),
        ("inserted", [{"op": "insert", "text": "Then chat."}]),
    ]


def test_the_diff_between_two_versions_and_of_a_whiteboard(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "one")
    first = version_create(actor=editor, document_id=document.pk, name="one")
    write(document, editor, "two")
    second = version_create(actor=editor, document_id=document.pk, name="two")
    write(document, editor, "", mode=WriteMode.REPLACE)

    body = (
        client_for(editor)
        .get(f"/api/v1/documents/{document.pk}/versions/{first.pk}/diff?against={second.pk}")
        .json()
    )
    assert body["to"] == {"version": str(second.pk), "seq": 2}
    assert [b["change"] for b in body["blocks"]] == ["equal", "inserted"]

    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD)
    doc = content.load(None)
    doc.get(content.SHAPES, type=Map)["s1"] = Map({"type": "rect"})
    empty = DocumentVersion.objects.create(document=board, name="empty", seq=0, data=b"\x00\x00")
    drawn = DocumentVersion.objects.create(
        document=board, name="drawn", seq=0, data=doc.get_update()
    )
    body = (
        client_for(editor)
        .get(f"/api/v1/documents/{board.pk}/versions/{empty.pk}/diff?against={drawn.pk}")
        .json()
    )
    assert (body["kind"], body["shapes"]) == (
        "whiteboard",
        [{"id": "s1", "change": "added", "kind": "rect"}],
    )


@pytest.mark.parametrize("against", [None, "other", "00000000-0000-0000-0000-000000000000", "x"])
def test_an_unknown_version_or_one_of_another_document_is_404_on_either_side(
    room_with_everyone, against
):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    other_document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "mine")
    write(other_document, editor, "theirs")
    mine = version_create(actor=editor, document_id=document.pk, name="mine")
    theirs = version_create(actor=editor, document_id=other_document.pk, name="theirs")
    base = f"/api/v1/documents/{document.pk}/versions"

    if against is None:  # the version itself is another document's
        response = client_for(editor).get(f"{base}/{theirs.pk}/diff")
    else:
        other = str(theirs.pk) if against == "other" else against
        response = client_for(editor).get(f"{base}/{mine.pk}/diff?against={other}")

    assert (response.status_code, response.json()["code"]) == (404, "version_not_found")


def test_outsiders_cannot_see_a_diff(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "private")
    version = version_create(actor=editor, document_id=document.pk, name="v")

    response = client_for(room_with_everyone.users["outsider"]).get(
        f"/api/v1/documents/{document.pk}/versions/{version.pk}/diff"
    )

    assert response.status_code == 404
