"""Every list of the API is paged one way: ``?cursor=`` and ``?page_size=`` (at most
``MAX_PAGE_SIZE``), answered with ``{"results", "next", "previous"}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from rooms.accounts.services import api_token_create
from rooms.core.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from rooms.documents.models import ShareLinkRole
from rooms.documents.services.share_links import share_link_create
from rooms.sync.models import DocumentAuthor
from tests.conftest import client_for
from tests.factories import (
    CommentFactory,
    CommentThreadFactory,
    DocumentFactory,
    DocumentVersionFactory,
    IncomingWebhookFactory,
    InviteFactory,
    MessageEditFactory,
    MessageFactory,
    NotificationFactory,
    RoomFactory,
    WebhookDeliveryFactory,
    WebhookFactory,
)

# Each list of the API, as its schema names it; the scene below holds two or more of each.
LISTS = [
    "rooms",
    "tokens",
    "notifications",
    "rooms/{room_id}/members",
    "rooms/{room_id}/invites",
    "rooms/{room_id}/documents",
    "rooms/{room_id}/messages",
    "rooms/{room_id}/messages/search?q=Message",
    "messages/search?q=Message",
    "rooms/{room_id}/messages/{message_id}/replies",
    "rooms/{room_id}/messages/{message_id}/edits",
    "rooms/{room_id}/webhooks",
    "rooms/{room_id}/webhooks/{webhook_id}/deliveries",
    "rooms/{room_id}/incoming-webhooks",
    "documents/{document_id}/versions",
    "documents/{document_id}/comments",
    "documents/{document_id}/authors",
    "documents/{document_id}/share-links",
]


@dataclass
class Scene:
    client: Any
    ids: dict[str, Any]

    def url(self, path: str) -> str:
        return "/api/v1/" + path.format(**self.ids)


@pytest.fixture
def scene(room_with_everyone) -> Scene:
    """The room's owner sees two or more of everything."""
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    RoomFactory(is_public=True)
    for name in ("first", "second"):
        api_token_create(user=owner, name=name)
    document = DocumentFactory(room=room, created_by=owner)
    DocumentFactory(room=room, created_by=owner)
    root = MessageFactory(room=room, author=owner)
    for _ in range(2):
        MessageFactory(room=room, author=owner, parent=root)
        MessageEditFactory(message=root)
        InviteFactory(room=room, created_by=owner)
        DocumentVersionFactory(document=document)
        CommentFactory(thread=CommentThreadFactory(document=document, author=owner), author=owner)
        NotificationFactory(user=owner, room=room)
        IncomingWebhookFactory(room=room, created_by=owner)
        share_link_create(actor=owner, document_id=document.pk, role=ShareLinkRole.VIEWER)
    for client_id in (7, 8):
        DocumentAuthor.objects.create(document=document, client_id=client_id, author=owner)
    hook = WebhookFactory(room=room, created_by=owner)
    WebhookFactory(room=room, created_by=owner)
    WebhookDeliveryFactory.create_batch(2, webhook=hook)
    ids = {"room_id": room.pk, "document_id": document.pk, "message_id": root.pk}
    return Scene(client=client_for(owner), ids={**ids, "webhook_id": hook.pk})


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def identity(item: dict[str, Any]) -> str:
    return json.dumps(item.get("id", item), sort_keys=True)  # members and authors have no id


@pytest.mark.parametrize("path", LISTS)
def test_every_list_walks_page_by_page_to_the_same_items(scene: Scene, path: str):
    url = scene.url(path)
    whole = scene.client.get(url)
    assert whole.status_code == 200
    body = whole.json()
    assert {"results", "next", "previous"} <= set(body)
    assert (body["next"], body["previous"]) == (None, None)
    everything = [identity(item) for item in body["results"]]
    assert len(everything) >= 2

    walked: list[str] = []
    link: str | None = with_query(url, "page_size=1")
    pages = 0
    while link is not None:
        page = scene.client.get(link).json()
        assert len(page["results"]) == 1
        assert (page["previous"] is None) == (pages == 0)
        walked += [identity(item) for item in page["results"]]
        link = page["next"]
        pages += 1
    assert walked == everything


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("size", "code"),
    [(MAX_PAGE_SIZE + 1, "max_value"), (0, "min_value"), ("many", "invalid")],
)
def test_every_list_refuses_a_page_size_outside_its_limit(scene: Scene, path: str, size, code):
    response = scene.client.get(with_query(scene.url(path), f"page_size={size}"))

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["fields"]["page_size"][0]["code"]) == ("invalid", code)


def test_the_largest_page_size_is_accepted_and_the_default_is_fifty(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    MessageFactory.create_batch(PAGE_SIZE + 1, room=room, author=owner)
    client = client_for(owner)
    url = f"/api/v1/rooms/{room.pk}/messages"

    default = client.get(url).json()
    largest = client.get(f"{url}?page_size={MAX_PAGE_SIZE}").json()

    assert (len(default["results"]), default["next"] is None) == (PAGE_SIZE, False)
    assert (len(largest["results"]), largest["next"]) == (PAGE_SIZE + 1, None)


def test_limit_is_still_read_as_the_page_size(room_with_everyone):
    room, owner = room_with_everyone.room, room_with_everyone.users["owner"]
    MessageFactory.create_batch(3, room=room, author=owner)

    page = client_for(owner).get(f"/api/v1/rooms/{room.pk}/messages?limit=2").json()

    assert len(page["results"]) == 2


def test_a_cursor_the_server_did_not_make_is_404(scene: Scene):
    # "bz14" is base64 for "o=x": an offset that is no number.
    response = scene.client.get(scene.url("rooms/{room_id}/members?cursor=bz14"))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_no_operation_of_the_schema_answers_with_a_bare_list(client: Client):
    """A new list endpoint that forgets to page shows up here."""
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    bare = []
    paged = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            ok = operation.get("responses", {}).get("200", {})
            body = ok.get("content", {}).get("application/json", {}).get("schema", {})
            if body.get("type") == "array":
                bare.append(f"{method} {path}")
            ref = body.get("$ref", "")
            if ref.endswith("Page") and method == "get":
                paged.add(path.removeprefix("/api/v1/"))
    assert bare == []
    assert paged == {path.split("?")[0] for path in LISTS}
