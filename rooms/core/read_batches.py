"""Reads that many sockets make at the same moment, answered by one query.

Every socket's database work queues on the one ``database_sync_to_async`` thread, one trip
each. In a handshake storm (everyone reconnecting after a deploy, a whole class opening the
same room) that is hundreds of trips for the same one-row query. A ``BatchedRead`` gathers
the keys asked for while its previous trip runs (or in the same turn of the event loop) and
reads them all in one: one trip for many sockets, and no slower than a trip of its own for a
socket that comes alone.

A read always starts after the call that asked for it: a caller that needs to see its own
change (a join that wants the room's members including itself) gets a read begun later.
``db_read`` makes the reader of sync code run on the database thread.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from channels.db import database_sync_to_async

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class _Waiting(Generic[K, V]):
    """One event loop's callers waiting for a key, and the task reading for them."""

    futures: dict[K, list[asyncio.Future[V | None]]] = field(default_factory=dict)
    reading: asyncio.Task[None] | None = None


def db_read(read_many: Callable[[set[K]], dict[K, V]]) -> Callable[[set[K]], Awaitable[dict[K, V]]]:
    """A ``BatchedRead`` reader of sync code, run on the database thread."""
    reader: Callable[[set[K]], Awaitable[dict[K, V]]] = database_sync_to_async(read_many)
    return reader


class BatchedRead(Generic[K, V]):
    """``await get(key)``: what ``read_many`` returns for ``key`` among the keys asked for
    together, or ``None`` if it returns nothing for it. An error of ``read_many`` is raised to
    every caller of that batch."""

    def __init__(self, read_many: Callable[[set[K]], Awaitable[dict[K, V]]]) -> None:
        self.read_many = read_many
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Waiting[K, V]] = (
            weakref.WeakKeyDictionary()
        )

    async def get(self, key: K) -> V | None:
        loop = asyncio.get_running_loop()
        waiting = self._loops.get(loop)
        if waiting is None:
            waiting = self._loops[loop] = _Waiting()
        future: asyncio.Future[V | None] = loop.create_future()
        waiting.futures.setdefault(key, []).append(future)
        if waiting.reading is None:
            waiting.reading = loop.create_task(self._read(waiting))
        return await future

    async def _read(self, waiting: _Waiting[K, V]) -> None:
        batch: dict[K, list[asyncio.Future[V | None]]] = {}
        try:
            while waiting.futures:
                await asyncio.sleep(0)  # the callers of this same turn come along
                batch, waiting.futures = waiting.futures, {}
                found: dict[K, V] | Exception
                try:
                    found = await self.read_many(set(batch))
                except Exception as error:
                    found = error
                _settle(batch, found)
        except BaseException:  # cancelled (the loop is stopping): nobody may wait forever
            for futures in (batch, waiting.futures):
                for future in (f for fs in futures.values() for f in fs):
                    future.cancel()
            raise
        finally:
            waiting.reading = None


def _settle(batch: dict[K, list[asyncio.Future[V | None]]], found: dict[K, V] | Exception) -> None:
    """Answer every caller of the batch with its key's value, or the read's error."""
    for key, futures in batch.items():
        for future in futures:
            if future.done():  # its caller was cancelled
                continue
            if isinstance(found, Exception):
                future.set_exception(found)
            else:
                future.set_result(found.get(key))
