"""Archiving a document: its owners and creator archive and restore it; archived, it is
read-only for everyone (even owners) and says so in the API's error shape, and a live socket
of the room hears of each change."""

from __future__ import annotations

import pytest

from rooms.documents.models import Document
from tests.factories import DocumentFactory
from tests.rooms.chat_capture import RoomEvents

pytestmark = pytest.mark.django_db


def test_the_owner_archives_and_restores_and_the_room_hears_of_each(
    room_with_everyone, django_capture_on_commit_callbacks
):
    room = room_with_everyone.room
    document = DocumentFactory(room=room, created_by=room_with_everyone.users["editor"])
    events = RoomEvents(room.pk)
    owner = room_with_everyone.client("owner")

    with django_capture_on_commit_callbacks(execute=True):
        archived = owner.post(f"/api/v1/documents/{document.pk}/archive")
    assert archived.status_code == 200
    assert archived.json()["is_archived"] is True
    assert archived.json()["archived_at"] is not None
    [event] = events.published()
    assert event["type"] == "document.updated"
    assert event["document"] == archived.json()

    with django_capture_on_commit_callbacks(execute=True):
        restored = owner.post(f"/api/v1/documents/{document.pk}/restore")
    assert (restored.json()["is_archived"], restored.json()["archived_at"]) == (False, None)
    assert [e["document"]["is_archived"] for e in events.published()] == [False]


def test_archiving_twice_changes_nothing_and_announces_nothing(
    room_with_everyone, django_capture_on_commit_callbacks
):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    owner.post(f"/api/v1/documents/{document.pk}/archive")
    first = Document.objects.get(pk=document.pk).archived_at
    events = RoomEvents(room_with_everyone.room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = owner.post(f"/api/v1/documents/{document.pk}/archive")
    assert again.status_code == 200
    assert Document.objects.get(pk=document.pk).archived_at == first
    assert events.published() == []


def test_the_creator_may_archive_other_editors_and_viewers_may_not(room_with_everyone):
    room = room_with_everyone.room
    document = DocumentFactory(room=room, created_by=room_with_everyone.users["editor"])
    for role in ("viewer", "commenter"):
        refused = room_with_everyone.client(role).post(f"/api/v1/documents/{document.pk}/archive")
        assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    other = DocumentFactory(room=room, created_by=room_with_everyone.users["owner"])
    by_editor = room_with_everyone.client("editor").post(f"/api/v1/documents/{other.pk}/archive")
    assert by_editor.status_code == 403
    assert Document.objects.get(pk=other.pk).archived_at is None
    by_creator = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/archive"
    )
    assert by_creator.json()["is_archived"] is True


def test_an_unknown_or_unseen_document_is_404(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    outsider = room_with_everyone.client("outsider").post(
        f"/api/v1/documents/{document.pk}/archive"
    )
    unknown = room_with_everyone.client("owner").post(
        "/api/v1/documents/00000000-0000-0000-0000-000000000000/restore"
    )
    for response in (outsider, unknown):
        assert response.status_code == 404
        assert response.json() == {"detail": "No such document.", "code": "document_not_found"}


def test_an_archived_document_is_read_only_for_everyone_until_restored(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    owner.post(f"/api/v1/documents/{document.pk}/archive")

    for role in ("owner", "editor"):
        client = room_with_everyone.client(role)
        renamed = client.patch(f"/api/v1/documents/{document.pk}", {"title": "x"}, format="json")
        written = client.post(
            f"/api/v1/documents/{document.pk}/content",
            {"mode": "append", "text": "more"},
            format="json",
        )
        for response in (renamed, written):
            assert response.status_code == 403
            assert response.json() == {
                "detail": "The document is archived: restore it to change it.",
                "code": "document_archived",
            }
    # Still readable.
    read = room_with_everyone.client("viewer").get(f"/api/v1/documents/{document.pk}/content")
    assert read.status_code == 200

    owner.post(f"/api/v1/documents/{document.pk}/restore")
    renamed = owner.patch(f"/api/v1/documents/{document.pk}", {"title": "Back"}, format="json")
    assert renamed.json()["title"] == "Back"
