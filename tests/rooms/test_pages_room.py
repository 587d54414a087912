"""The room page: the server-rendered shell and the context the browser app mounts with."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from rooms.documents.models import DocumentKind
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = re.compile(r'<script id="room-context" type="application/json">(.*?)</script>', re.S)


def page_context(response) -> dict:
    match = CONTEXT.search(response.content.decode())
    assert match, "the page has no app context"
    return json.loads(match.group(1))


def member_client(client, room, role: Role):
    user = UserFactory(username=f"the-{role.value}")
    MembershipFactory(room=room, user=user, role=role)
    client.force_login(user)
    return client, user


def test_document_page_gives_the_app_the_room_the_document_and_the_person(client):
    room = RoomFactory(name="Team")
    text = DocumentFactory(room=room, title="Plan")
    board = DocumentFactory(room=room, title="Sketches", kind=DocumentKind.WHITEBOARD)
    client, user = member_client(client, room, Role.EDITOR)

    response = client.get(reverse("room-document", args=[room.pk, text.pk]))

    assert response.status_code == 200
    context = page_context(response)
    assert context["room"] == {
        "id": str(room.pk),
        "name": "Team",
        "isArchived": False,
        "url": reverse("room-detail", args=[room.pk]),
    }
    assert [d["title"] for d in context["documents"]] == ["Plan"]
    assert [d["title"] for d in context["whiteboards"]] == ["Sketches"]
    assert context["current"]["id"] == str(text.pk)
    assert context["current"]["canWrite"] is True
    assert context["user"] == {
        "id": user.pk,
        "name": user.profile.name,
        "color": user.profile.color,
        "role": "editor",
    }
    assert context["permissions"] == {
        "createDocuments": True,
        "keepVersions": True,
        "manageRoom": False,
        "postMessages": True,
    }
    assert context["urls"]["versions"] == f"/api/v1/documents/{text.pk}/versions"
    assert context["urls"]["access"] == reverse("room-document-access", args=[room.pk, text.pk])
    assert context["urls"]["serviceWorker"] == "/sw.js"
    assert context["urls"]["docsSocket"] == "ws://testserver/ws/docs"
    assert context["urls"]["documents"] == f"/api/v1/rooms/{room.pk}/documents"
    assert context["urls"]["roomSocket"] == f"ws://testserver/ws/rooms/{room.pk}"
    assert context["urls"]["messages"] == f"/api/v1/rooms/{room.pk}/messages"
    assert context["csrfToken"]
    page = response.content.decode()
    assert 'aria-current="page"' in page
    assert 'data-region="chat"' in page and 'data-region="presence"' in page
    assert str(board.pk) in page


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMMENTER])
def test_viewers_and_commenters_get_a_read_only_document(client, role):
    room = RoomFactory()
    document = DocumentFactory(room=room)
    client, _ = member_client(client, room, role)

    context = page_context(client.get(reverse("room-document", args=[room.pk, document.pk])))

    assert context["current"]["canWrite"] is False
    assert context["permissions"]["createDocuments"] is False
    # Commenters post in the chat; viewers only read it.
    assert context["permissions"]["postMessages"] is (role == Role.COMMENTER)


def test_a_locked_document_is_read_only_to_editors_but_not_to_owners(client):
    room = RoomFactory()
    document = DocumentFactory(room=room, is_locked=True, locked_at=timezone.now())
    url = reverse("room-document", args=[room.pk, document.pk])
    editor_client, _ = member_client(client, room, Role.EDITOR)
    assert page_context(editor_client.get(url))["current"]["canWrite"] is False

    owner = UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    client.force_login(owner)
    assert page_context(client.get(url))["current"]["canWrite"] is True


def test_a_document_of_another_room_is_not_found_under_this_room(client):
    room = RoomFactory()
    elsewhere = DocumentFactory()
    MembershipFactory(room=elsewhere.room, user=UserFactory(username="x"), role=Role.OWNER)
    client, _ = member_client(client, room, Role.OWNER)

    assert client.get(reverse("room-document", args=[room.pk, elsewhere.pk])).status_code == 404
    assert client.get(reverse("room-document", args=[room.pk, uuid.uuid4()])).status_code == 404


def test_a_private_rooms_document_is_not_found_for_an_outsider(client):
    document = DocumentFactory(room=RoomFactory(is_public=False))
    client.force_login(UserFactory())

    response = client.get(reverse("room-document", args=[document.room_id, document.pk]))

    assert response.status_code == 404


def test_the_room_page_without_a_document_has_no_open_document(client):
    room = RoomFactory()
    DocumentFactory(room=room, title="Plan")
    client, _ = member_client(client, room, Role.VIEWER)

    response = client.get(reverse("room-detail", args=[room.pk]))

    assert page_context(response)["current"] is None
    assert "Open a document or a whiteboard from the list." in response.content.decode()
