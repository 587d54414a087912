"""API tokens' expiry, scope (read-only or read-write) and rooms, over REST; their list shows
them with the last use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rooms.accounts.models import ApiToken, TokenScope
from rooms.accounts.services import api_token_create
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def member():
    """A user who belongs to two rooms, each with a document."""
    user = UserFactory()
    rooms = [RoomFactory(), RoomFactory()]
    for room in rooms:
        MembershipFactory(room=room, user=user)
    documents = [DocumentFactory(room=room) for room in rooms]
    return user, rooms, documents


def code_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def test_an_expired_token_is_401_saying_it_expired(member):
    user, _, _ = member
    tomorrow = timezone.now() + timedelta(days=1)
    token, raw = api_token_create(user=user, name="t", expires_at=tomorrow)
    assert bearer(raw).get("/api/v1/users/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = bearer(raw).get("/api/v1/users/me")

    assert code_of(response) == (401, "token_expired")
    assert "expired" in response.json()["detail"]


def test_a_token_cannot_be_made_already_expired(member):
    user, _, _ = member
    client = bearer(api_token_create(user=user, name="maker")[1])

    response = client.post(
        "/api/v1/tokens", {"name": "old", "expires_at": "2020-01-01T00:00:00Z"}, format="json"
    )

    assert code_of(response) == (400, "expiry_in_past")
    assert response.json()["fields"]["expires_at"][0]["code"] == "expiry_in_past"


def test_a_read_only_token_reads_and_every_write_is_403_token_scope(member):
    user, rooms, documents = member
    _, raw = api_token_create(user=user, name="reader", scope=TokenScope.READ_ONLY)
    client = bearer(raw)

    assert client.get(f"/api/v1/rooms/{rooms[0].pk}/messages").status_code == 200
    assert client.get(f"/api/v1/documents/{documents[0].pk}/content").status_code == 200
    writes = [
        client.post(f"/api/v1/rooms/{rooms[0].pk}/messages", {"body": "hi"}, format="json"),
        client.post("/api/v1/rooms", {"name": "New"}, format="json"),
        client.patch(f"/api/v1/documents/{documents[0].pk}", {"title": "x"}, format="json"),
        client.delete(f"/api/v1/documents/{documents[0].pk}"),
        client.post("/api/v1/tokens", {"name": "a writer"}, format="json"),
    ]
    assert [code_of(response) for response in writes] == [(403, "token_scope")] * len(writes)
    assert documents[0].room.messages.count() == 0


def test_a_token_limited_to_a_room_reaches_it_and_nothing_else(member):
    user, rooms, documents = member
    _, raw = api_token_create(user=user, name="bot", room_ids=[rooms[0].pk])
    client = bearer(raw)

    assert client.get(f"/api/v1/rooms/{rooms[0].pk}").status_code == 200
    assert client.get(f"/api/v1/documents/{documents[0].pk}/content").status_code == 200
    posted = client.post(f"/api/v1/rooms/{rooms[0].pk}/messages", {"body": "hi"}, format="json")
    assert posted.status_code == 201
    assert client.get("/api/v1/users/me").status_code == 200
    assert code_of(client.get(f"/api/v1/rooms/{rooms[1].pk}")) == (404, "room_not_found")
    assert code_of(client.get(f"/api/v1/documents/{documents[1].pk}/content")) == (
        404,
        "document_not_found",
    )
    assert code_of(client.get("/api/v1/rooms")) == (403, "token_rooms")
    assert code_of(client.get("/api/v1/notifications")) == (403, "token_rooms")
    # It cannot make itself a token without the limit either.
    made = client.post("/api/v1/tokens", {"name": "escape"}, format="json")
    assert code_of(made) == (403, "token_rooms")


def test_the_token_list_shows_expiry_scope_rooms_and_last_use(member):
    user, rooms, _ = member
    expires = timezone.now() + timedelta(days=30)
    client = bearer(api_token_create(user=user, name="manager")[1])
    made = client.post(
        "/api/v1/tokens",
        {
            "name": "ci",
            "expires_at": expires.isoformat(),
            "scope": "read_only",
            "rooms": [str(rooms[1].pk)],
        },
        format="json",
    )
    assert made.status_code == 201
    bearer(made.json()["token"]).get(f"/api/v1/rooms/{rooms[1].pk}")

    listed = {token["name"]: token for token in client.get("/api/v1/tokens").json()["results"]}

    ci = listed["ci"]
    assert (ci["scope"], ci["rooms"]) == ("read_only", [str(rooms[1].pk)])
    assert ci["expires_at"].startswith(expires.strftime("%Y-%m-%dT%H:%M:%S"))
    assert ci["last_used_at"] is not None
    assert (listed["manager"]["scope"], listed["manager"]["rooms"]) == ("read_write", None)
    assert listed["manager"]["expires_at"] is None


def test_the_last_use_is_written_at_most_once_a_minute(member):
    user, _, _ = member
    token, raw = api_token_create(user=user, name="busy")
    client = bearer(raw)
    client.get("/api/v1/users/me")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    client.get("/api/v1/users/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    a_minute_ago = timezone.now() - timedelta(minutes=1, seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_minute_ago)
    client.get("/api/v1/users/me")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > a_minute_ago


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"scope": "admin"}, "scope", "invalid_choice"),
        ({"rooms": []}, "rooms", "min_length"),
        ({"rooms": ["not-a-uuid"]}, "rooms.0", "invalid"),
    ],
)
def test_a_bad_token_request_is_400_naming_the_field(member, body, field, code):
    user, _, _ = member
    client = bearer(api_token_create(user=user, name="maker")[1])

    response = client.post("/api/v1/tokens", {"name": "x", **body}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code
