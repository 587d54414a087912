"""Presence fixtures: both registries, a clock the test advances, and the room's events.

Every registry test runs twice, on the in-memory registry and on the real Redis at
127.0.0.1:6379 (``REDIS_URL`` when set), whatever database the run uses. Each Redis test
gets its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

import pytest
import redis.asyncio as aioredis
from channels.layers import get_channel_layer
from jsonschema import FormatChecker, validate

from presence.memory_registry import MemoryPresenceRegistry
from presence.redis_registry import RedisPresenceRegistry
from rooms.core.live_events import room_group
from rooms.room_socket.schemas import SCHEMAS

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
TTL = 30.0
SWEEP_INTERVAL = 10.0
START = 1_700_000_000.0


class FakeClock:
    """Wall-clock seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def unique_prefix() -> str:
    return f"test-presence-{uuid.uuid4().hex}:"


async def delete_keys(prefix: str) -> None:
    client = aioredis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


class Registries:
    """Builds registries of one kind; Redis ones share this test's prefix (one Redis seen by
    several processes), and are closed and their keys deleted at the end."""

    def __init__(self, kind: str, clock: FakeClock) -> None:
        self.kind = kind
        self.clock = clock
        self.prefix = unique_prefix()
        self.opened: list[Any] = []

    def new(self, *, ttl: float = TTL, sweep_interval: float = SWEEP_INTERVAL, clock: Any = None):
        clock = clock or self.clock
        if self.kind == "memory":
            registry: Any = MemoryPresenceRegistry(
                ttl=ttl, sweep_interval=sweep_interval, clock=clock
            )
        else:
            registry = RedisPresenceRegistry.from_url(
                REDIS_URL, prefix=self.prefix, ttl=ttl, sweep_interval=sweep_interval, clock=clock
            )
        self.opened.append(registry)
        return registry

    async def close(self) -> None:
        for registry in self.opened:
            await registry.aclose()
        if self.kind == "redis":
            await delete_keys(self.prefix)


@pytest.fixture(params=["memory", "redis"])
async def registries(request, clock):
    made = Registries(request.param, clock)
    yield made
    await made.close()


@pytest.fixture
async def redis_registries(clock):
    """Redis registries only: what several processes sharing one Redis see."""
    made = Registries("redis", clock)
    yield made
    await made.close()


@pytest.fixture
def registry(registries):
    return registries.new()


def assert_valid(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` matches the schema of its type in ``rooms.events.SCHEMAS``."""
    validate(event, SCHEMAS[event["type"]], format_checker=FormatChecker())
    return event


class RoomEvents:
    """What the room's channel-layer group receives, as a socket of the room would."""

    def __init__(self, room_id: Any) -> None:
        self.group = room_group(room_id)
        self.layer = get_channel_layer()
        self.channel = ""
        self.pending: list[dict[str, Any]] = []  # the rest of a message of several events

    async def start(self) -> RoomEvents:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        return self

    async def _receive(self, timeout: float) -> list[dict[str, Any]]:
        """The events of the next layer message: one, or several published together
        (``rooms.events.bundle_message``)."""
        message = await asyncio.wait_for(self.layer.receive(self.channel), timeout=timeout)
        events = message["events"] if "events" in message else [message["event"]]
        return [assert_valid(event) for event in events]

    async def next(self) -> dict[str, Any]:
        """The next event, checked against its schema. Services publish before they return,
        so an event is already queued when this is called."""
        if not self.pending:
            self.pending = await self._receive(timeout=2)
        return self.pending.pop(0)

    async def all(self) -> list[dict[str, Any]]:
        """Every event queued now."""
        events, self.pending = self.pending, []
        while True:
            try:
                events += await self._receive(timeout=0.05)
            except TimeoutError:
                return events


@pytest.fixture
def room_events():
    async def listen(room_id: Any) -> RoomEvents:
        return await RoomEvents(room_id).start()

    return listen
