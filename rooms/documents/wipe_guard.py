"""Keeps a version of a live document's content before an edit removes most of it, so a wipe
is always one click from undone.

It hooks the sync runtime (``LIVE_HOOKS``): on ``committed`` a dictionary lookup and, for the
first update of a quiet spell, one timer. At most every ``COLLAB_WIPE_CHECK_SECONDS`` per
document the live state is encoded on the event loop (native code); measuring it, comparing
with the previous check and, on a wipe, finding the wiping update in the log and keeping the
content before it happen in a worker thread (``versions.version_wipe_check``). On unload a
pending check runs at once, before compaction merges the log it reads.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from pycrdt import Doc

from rooms.documents.services.versions import version_wipe_check

logger = logging.getLogger(__name__)


class GuardedDocument(Protocol):
    """What the guard needs of a live document (``runtime.LiveDocument``)."""

    id: uuid.UUID
    doc: Doc[Any]
    seq: int


@dataclass
class _Watch:
    since_seq: int  # the content was measured at this sequence number...
    since_size: int | None  # ...and held this much (None: not measured yet, read the log)
    timer: asyncio.TimerHandle | None = None
    running: asyncio.Task[None] | None = None
    dirty: bool = False  # committed again while a check ran


class WipeGuard:
    """The guard of one event loop's runtime."""

    def __init__(self) -> None:
        self._watches: dict[uuid.UUID, _Watch] = {}

    def document_committed(self, live: GuardedDocument) -> None:
        """Note a committed update; check within ``COLLAB_WIPE_CHECK_SECONDS``. Never raises."""
        watch = self._watches.get(live.id)
        if watch is None:
            # The first update seen since the document was loaded: compare with the log's
            # content just before it.
            watch = self._watches[live.id] = _Watch(since_seq=live.seq - 1, since_size=None)
        if watch.running is not None:
            watch.dirty = True
        elif watch.timer is None:
            delay = float(settings.COLLAB_WIPE_CHECK_SECONDS)
            watch.timer = asyncio.get_running_loop().call_later(delay, self._start, live)

    async def document_unloaded(self, live: GuardedDocument) -> None:
        """Run a pending check now (the live document, then its log, are about to go)."""
        watch = self._watches.get(live.id)
        if watch is None:
            return
        if watch.running is not None:
            await asyncio.shield(watch.running)
        if watch.timer is not None or watch.dirty:
            if watch.timer is not None:
                watch.timer.cancel()
            await self._check(live, watch)
        self._watches.pop(live.id, None)

    def _start(self, live: GuardedDocument) -> None:
        watch = self._watches.get(live.id)
        if watch is None:
            return
        watch.running = asyncio.get_running_loop().create_task(self._check(live, watch))

    async def _check(self, live: GuardedDocument, watch: _Watch) -> None:
        watch.timer = None
        watch.dirty = False
        state, seq = live.doc.get_update(), live.seq
        try:
            size = await database_sync_to_async(version_wipe_check, thread_sensitive=False)(
                document_id=live.id,
                state=state,
                seq=seq,
                since_seq=watch.since_seq,
                since_size=watch.since_size,
            )
        except Exception:
            logger.exception("could not check document %s for a wipe", live.id)
            size = None
        if size is not None:
            watch.since_seq, watch.since_size = seq, size
        watch.running = None
        if watch.dirty and live.id in self._watches:
            watch.dirty = False
            delay = float(settings.COLLAB_WIPE_CHECK_SECONDS)
            watch.timer = asyncio.get_running_loop().call_later(delay, self._start, live)


_guards: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, WipeGuard] = (
    weakref.WeakKeyDictionary()
)


def get_guard() -> WipeGuard:
    """The guard of the running event loop (one per runtime)."""
    loop = asyncio.get_running_loop()
    guard = _guards.get(loop)
    if guard is None:
        guard = _guards[loop] = WipeGuard()
    return guard


class WipeGuardHooks:
    """The runtime's hooks (``rooms.sync.runtime.LiveHooks``) of the guard."""

    def committed(self, live: GuardedDocument) -> None:
        get_guard().document_committed(live)

    async def unloaded(self, live: GuardedDocument) -> None:
        await get_guard().document_unloaded(live)


LIVE_HOOKS = WipeGuardHooks()
