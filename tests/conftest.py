from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from rooms.models import Role, Room
from tests.factories import MembershipFactory, RoomFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Password strength is not under test here; hashing cost would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache_namespace(settings):
    """Login failure counters live in the cache: each test gets its own key prefix, so it
    starts with none and never flushes a Redis database that others share."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class RoomWithEveryone:
    """A private room with one member of each role, an outsider, and their API clients."""

    room: Room
    users: dict[str, Any]

    def client(self, who: str) -> APIClient:
        return client_for(self.users.get(who))


@pytest.fixture
def room_with_everyone(db) -> RoomWithEveryone:
    room = RoomFactory(is_public=False)
    users: dict[str, Any] = {}
    for role in Role:
        users[role.value] = UserFactory(username=f"the-{role.value}")
        MembershipFactory(room=room, user=users[role.value], role=role)
    users["outsider"] = UserFactory(username="the-outsider")
    users["anonymous"] = None
    return RoomWithEveryone(room=room, users=users)
