from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from django.db import connections
from rest_framework.test import APIClient

from collab.celery import app as celery_app
from rooms.core import threads
from rooms.membership.models import Role, Room
from tests.factories import MembershipFactory, RoomFactory, UserFactory

pytest_plugins = ["tests.system_packages"]

# The test layers (``-m``): every test gets one (browser tests are end-to-end too).


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer: ``browser`` (real Chromium), ``e2e`` (crosses a process:
    real Daphne, Celery, Node clients), ``socket`` (drives consumers in this process over the
    in-memory channel layer: a coroutine test) or ``unit`` (everything else)."""
    for item in items:
        path = item.path.as_posix()
        if "/tests/e2e/browser/" in path:
            layer = "browser"
        elif item.get_closest_marker("e2e") is not None:
            continue
        elif isinstance(item, pytest.Function) and inspect.iscoroutinefunction(item.obj):
            layer = "socket"
        else:
            layer = "unit"
        item.add_marker(layer)


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_process():
    """Tasks queued by the code under test (compaction when a document closes) run at once in
    the test process; the end-to-end tests run a real worker where that is the point."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True, scope="session")
def _close_worker_thread_connections(django_db_setup, django_db_blocker):
    """In production connections stay open between uses (CONN_MAX_AGE), also in the threads
    that serve sockets. Here those threads outlive each test's event loop, and PostgreSQL
    refuses to drop a test database someone is connected to: so the in-process tests close
    connections after each use (the end-to-end servers keep them, as in production), and the
    sync runtime's own threads (commits, sweeps, webhook notes), which keep theirs, close
    them at the end."""
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    with django_db_blocker.unblock():
        threads.close_connections()
        # The tests' own sync_to_async calls share asgiref's thread, whose last connection
        # also stays open.
        _on_asgiref_thread(connections.close_all)


def _on_asgiref_thread(function: Callable[[], None]) -> None:
    """Run ``function`` on asgiref's thread for thread-sensitive calls made outside any sync
    context (the tests' own ``sync_to_async`` calls, the in-process consumers' database calls),
    after what that thread was given before. Through its executor, not an event loop: one may
    be running here already (Playwright's, in the browser tests)."""
    SyncToAsync.single_thread_executor.submit(function).result(timeout=10)


@pytest.fixture(autouse=True)
def _threads_settled_before_the_database_is_emptied(_django_db_marker):
    """A transactional test's database is emptied (TRUNCATE) when it ends, and a transaction
    of another thread at that moment deadlocks with it on PostgreSQL. The test's event loop is
    closed first (pytest-asyncio sets its fixture up last): a server-side consumer still at
    work is cancelled there, but what it handed a thread goes on. So wait, set up after
    pytest-django's database fixture and so torn down before it, for asgiref's thread for
    thread-sensitive calls (where a socket that closed as the test ended compacts its
    document, the last one out) and for the sync runtime's threads (a group commit, a sweep's
    read, webhook notes gathered for half a second)."""
    yield
    _on_asgiref_thread(lambda: None)
    threads.settle()


@pytest.fixture(autouse=True)
def _channel_layer_per_test(settings):
    """A fresh in-memory channel layer for each test. pytest-asyncio gives every test its own
    event loop, and channels-redis' process-wide layer is bound to one loop's receivers (a
    test after another hangs at teardown). Redis itself is exercised where it belongs: by
    the end-to-end tests, whose Daphne processes each run one loop, as in production."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 10_000},
        }
    }


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
