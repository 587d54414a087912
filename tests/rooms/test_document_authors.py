"""``GET documents/{id}/authors``: who wrote with each Yjs client id, for whoever may read."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Text

from rooms.sync import log
from rooms.sync.models import DocumentAuthor, DocumentUpdate
from tests.factories import DocumentFactory, UserFactory

WHO = ["owner", "editor", "commenter", "viewer", "outsider", "anonymous"]


def typed(document, author, text: str) -> int:
    doc = Doc()
    doc.get("notes", type=Text).insert(0, text)
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=doc.get_update(), author_id=author.pk)]
    )
    return doc.client_id


def test_the_list_names_each_client_ids_author(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner, editor = room_with_everyone.users["owner"], room_with_everyone.users["editor"]
    first = typed(document, owner, "a")
    second = typed(document, editor, "b")
    third = typed(document, owner, "c")
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=Doc().get_update(), author_id=editor.pk)]
    )

    response = room_with_everyone.client("viewer").get(f"/api/v1/documents/{document.pk}/authors")

    assert response.status_code == 200
    authors = {row["client_id"]: row["user"] for row in response.json()["results"]}
    assert {key: person["username"] for key, person in authors.items()} == {
        first: owner.username,
        second: editor.username,
        third: owner.username,
    }
    assert authors[second] == {
        "id": editor.pk,
        "username": editor.username,
        "display_name": editor.profile.name,
        "color": editor.profile.color,
    }


def test_a_client_id_keeps_its_first_author(db):
    document = DocumentFactory()
    first, second = UserFactory(), UserFactory()
    doc = Doc()
    text = doc.get("notes", type=Text)
    text.insert(0, "a")
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=doc.get_update(), author_id=first.pk)]
    )
    before = doc.get_state()
    text.insert(1, "b")
    update = doc.get_update(before)
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=update, author_id=second.pk)]
    )

    assert list(DocumentAuthor.objects.values_list("client_id", "author")) == [
        (doc.client_id, first.pk)
    ]


def test_an_update_that_only_deletes_names_no_client(db):
    document = DocumentFactory()
    writer, deleter = UserFactory(), UserFactory()
    doc = Doc()
    doc.get("notes", type=Text).insert(0, "abc")
    append = log.updates_append
    append([log.PendingUpdate(document_id=document.pk, data=doc.get_update(), author_id=writer.pk)])
    other = Doc()
    other.apply_update(doc.get_update())
    before = other.get_state()
    del other.get("notes", type=Text)[0:2]
    deletion = other.get_update(before)
    append([log.PendingUpdate(document_id=document.pk, data=deletion, author_id=deleter.pk)])

    assert list(DocumentAuthor.objects.values_list("client_id", "author")) == [
        (doc.client_id, writer.pk)
    ]


def test_who_may_read_the_authors(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    path = f"/api/v1/documents/{document.pk}/authors"

    statuses = {who: room_with_everyone.client(who).get(path).status_code for who in WHO}

    assert statuses == dict(zip(WHO, [200, 200, 200, 200, 404, 401], strict=True))


@pytest.mark.parametrize("document_id", ["00000000-0000-0000-0000-000000000000", "nope"])
def test_unknown_document_is_404(room_with_everyone, document_id):
    response = room_with_everyone.client("owner").get(f"/api/v1/documents/{document_id}/authors")

    assert (response.status_code, response.json()["code"]) == (404, "document_not_found")


@pytest.mark.django_db(transaction=True)
def test_the_migration_attributes_the_updates_the_log_still_holds():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    document, author = DocumentFactory(), UserFactory()
    doc = Doc()
    doc.get("notes", type=Text).insert(0, "kept in the log")
    DocumentUpdate.objects.create(document=document, seq=1, data=doc.get_update(), author=author)
    executor = MigrationExecutor(connection)
    executor.migrate([("rooms", "0008_comments")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    try:
        executor.migrate([("rooms", "0009_document_authors")])

        assert list(DocumentAuthor.objects.values_list("document", "client_id", "author")) == [
            (document.pk, doc.client_id, author.pk)
        ]
    finally:
        # The migrations after 0009 too: the next tests of this process need their tables.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
