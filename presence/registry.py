"""Which presence registry: ``MemoryPresenceRegistry`` without ``REDIS_URL`` (one process),
else ``RedisPresenceRegistry`` (shared by every process and machine using the same Redis). The
interface they share is ``presence.registry_interface``."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from asgiref.sync import async_to_sync
from django.conf import settings

from presence.memory_registry import MemoryPresenceRegistry
from presence.redis_registry import RedisPresenceRegistry
from presence.registry_interface import PresenceRegistry

T = TypeVar("T")


@dataclass(frozen=True)
class _Config:
    redis_url: str
    prefix: str
    ttl: float
    sweep_interval: float


def _config() -> _Config:
    return _Config(
        redis_url=settings.REDIS_URL,
        prefix=settings.COLLAB_PRESENCE_KEY_PREFIX,
        ttl=float(settings.COLLAB_PRESENCE_TTL_SECONDS),
        sweep_interval=float(settings.COLLAB_PRESENCE_SWEEP_SECONDS),
    )


_memory: dict[_Config, PresenceRegistry] = {}
_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_Config, PresenceRegistry]] = (
    weakref.WeakKeyDictionary()
)


def _build(config: _Config) -> PresenceRegistry:
    if not config.redis_url:
        if config not in _memory:
            _memory[config] = MemoryPresenceRegistry(
                ttl=config.ttl, sweep_interval=config.sweep_interval
            )
        return _memory[config]
    return RedisPresenceRegistry.from_url(
        config.redis_url,
        prefix=config.prefix,
        ttl=config.ttl,
        sweep_interval=config.sweep_interval,
    )


def get_registry() -> PresenceRegistry:
    """The registry for async code on the running event loop, as the settings choose: the
    process's in-memory registry without ``REDIS_URL``, else a Redis registry whose client
    belongs to this loop (redis-py's asyncio connections cannot cross loops)."""
    config = _config()
    if not config.redis_url:
        return _build(config)
    loop = asyncio.get_running_loop()
    registries = _per_loop.setdefault(loop, {})
    if config not in registries:
        registries[config] = _build(config)
    return registries[config]


def run_with_registry(work: Callable[[PresenceRegistry], Awaitable[T]]) -> T:
    """From sync code (a view, a Celery task): run ``work`` with a registry of its own, closed
    afterwards (for Redis a short-lived client; in memory the process's registry)."""

    async def run() -> T:
        registry = _build(_config())
        try:
            return await work(registry)
        finally:
            await registry.aclose()

    return async_to_sync(run)()
