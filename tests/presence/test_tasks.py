"""The Celery beat task that sweeps a Redis registry from a worker."""

from __future__ import annotations

import time

import pytest
from asgiref.sync import async_to_sync

from presence.models import LastSeen
from presence.redis_registry import RedisPresenceRegistry
from presence.tasks import sweep_presence
from tests.factories import MembershipFactory
from tests.presence.conftest import REDIS_URL, TTL, delete_keys, unique_prefix

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_settings(settings):
    settings.REDIS_URL = REDIS_URL
    settings.COLLAB_PRESENCE_KEY_PREFIX = unique_prefix()
    settings.COLLAB_PRESENCE_TTL_SECONDS = int(TTL)
    yield settings
    async_to_sync(delete_keys)(settings.COLLAB_PRESENCE_KEY_PREFIX)


def join_long_ago(settings, membership, seconds_ago: float) -> float:
    """A connection joined by a process whose clock said ``seconds_ago``, never renewed."""
    joined_at = time.time() - seconds_ago

    async def join() -> None:
        registry = RedisPresenceRegistry.from_url(
            REDIS_URL,
            prefix=settings.COLLAB_PRESENCE_KEY_PREFIX,
            ttl=TTL,
            sweep_interval=10,
            clock=lambda: joined_at,
        )
        await registry.join(
            room_id=str(membership.room_id),
            user_id=membership.user_id,
            connection_id="crashed",
            status="online",
            viewing=None,
            max_users=None,
        )
        await registry.aclose()

    async_to_sync(join)()
    return joined_at


def test_the_task_sweeps_what_a_crashed_process_left(redis_settings):
    gone = MembershipFactory()
    joined_at = join_long_ago(redis_settings, gone, seconds_ago=TTL + 5)
    staying = MembershipFactory(room=gone.room)
    join_long_ago(redis_settings, staying, seconds_ago=1)

    assert sweep_presence() == 1

    seen = LastSeen.objects.get(room=gone.room, user=gone.user)
    assert abs(seen.seen_at.timestamp() - joined_at) < 0.001
    assert not LastSeen.objects.filter(user=staying.user).exists()
    assert sweep_presence() == 0


def test_without_redis_the_task_has_nothing_to_sweep(settings):
    settings.REDIS_URL = ""
    assert sweep_presence() == 0


def test_beat_runs_the_sweep_every_sweep_interval(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-presence"]
    assert entry["task"] == sweep_presence.name
    assert entry["schedule"] == float(settings.COLLAB_PRESENCE_SWEEP_SECONDS)
