"""``GET /api/v1/rooms/{id}/presence``: who is here now and who was, for those who may read
the room, on both registries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync

from presence.registry import run_with_registry
from presence.registry_interface import PresenceRegistry
from rooms.membership.models import Role
from tests.conftest import client_for
from tests.factories import DocumentFactory, LastSeenFactory, MembershipFactory, RoomFactory
from tests.presence.conftest import REDIS_URL, delete_keys, unique_prefix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.presence.urls")]


@pytest.fixture(params=["memory", "redis"])
def backend(request, settings):
    """The registry the settings choose, with a key prefix of this test's own."""
    settings.REDIS_URL = REDIS_URL if request.param == "redis" else ""
    settings.COLLAB_PRESENCE_KEY_PREFIX = unique_prefix()
    yield request.param
    if request.param == "redis":
        async_to_sync(delete_keys)(settings.COLLAB_PRESENCE_KEY_PREFIX)


def connect(room, user, connection_id, *, status="online", viewing=None):
    async def join(registry: PresenceRegistry):
        return await registry.join(
            room_id=str(room.pk),
            user_id=user.pk,
            connection_id=connection_id,
            status=status,
            viewing=viewing,
            max_users=None,
        )

    run_with_registry(join)


def user_summary(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.profile.name,
        "color": user.profile.color,
    }


def test_a_member_sees_who_is_here_and_who_was(backend, room_with_everyone):
    room, users = room_with_everyone.room, room_with_everyone.users
    document = DocumentFactory(room=room)
    connect(room, users["owner"], "o1", viewing=str(document.pk))
    connect(room, users["owner"], "o2", status="away")
    connect(room, users["viewer"], "v1", status="away")
    seen_at = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    LastSeenFactory(room=room, user=users["editor"], seen_at=seen_at)
    LastSeenFactory(room=room, user=users["owner"], seen_at=seen_at)  # here now: not listed

    response = room_with_everyone.client("commenter").get(f"/api/v1/rooms/{room.pk}/presence")

    assert response.status_code == 200
    assert response.json() == {
        "members": [
            {
                "user": user_summary(users["owner"]),
                "status": "online",
                "viewing": str(document.pk),
                "connections": 2,
            },
            {
                "user": user_summary(users["viewer"]),
                "status": "away",
                "viewing": None,
                "connections": 1,
            },
        ],
        "last_seen": [{"user": user_summary(users["editor"]), "seen_at": "2025-03-01T12:00:00Z"}],
    }


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("owner", 200, None),
        ("viewer", 200, None),
        ("outsider", 404, "room_not_found"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_readers_of_a_private_room_see_its_presence(
    backend, room_with_everyone, who, status, code
):
    room = room_with_everyone.room
    response = room_with_everyone.client(who).get(f"/api/v1/rooms/{room.pk}/presence")
    assert response.status_code == status
    if code is not None:
        assert response.json()["code"] == code


def test_any_signed_in_user_sees_a_public_rooms_presence(backend, room_with_everyone):
    room = RoomFactory(is_public=True)
    stranger = room_with_everyone.users["outsider"]
    response = client_for(stranger).get(f"/api/v1/rooms/{room.pk}/presence/")
    assert (response.status_code, response.json()) == (200, {"members": [], "last_seen": []})


@pytest.mark.parametrize("room_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_room_is_404(backend, room_with_everyone, room_id):
    response = room_with_everyone.client("owner").get(f"/api/v1/rooms/{room_id}/presence")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such room.", "code": "room_not_found"}


def test_a_deleted_room_is_404(backend, room_with_everyone):
    room = room_with_everyone.room
    room.deleted_at = datetime.now(tz=UTC)
    room.save(update_fields=["deleted_at"])
    response = room_with_everyone.client("owner").get(f"/api/v1/rooms/{room.pk}/presence")
    assert response.status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(api):
    MembershipFactory(role=Role.OWNER)
    schema = api.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/rooms/{room_id}/presence"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/RoomPresence"}
    assert "/api/v1/rooms/{room_id}/presence/" not in schema["paths"]
