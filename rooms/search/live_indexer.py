"""Keeps the search index of the documents open in this process current, off the edit path.

It hooks the sync runtime (``LIVE_HOOKS``): ``committed`` after each committed update of a
live document (a dictionary lookup and, for the first update of a quiet spell, one timer) and
``unloaded`` when the last client leaves. Per document, the text is indexed at most once every
``COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS``, after the first change of a spell, and once more on
unload if anything changed since: a burst of typing costs one index write, not one per
keystroke.

On the event loop only the live document's state is encoded (native code, no Python walk);
reading its text and writing the row happen in a worker thread. Failures are logged and
never reach the edit path; the row then stays stale until the next change or the next
search, which re-indexes stale rows itself (``rooms.search.services.room_index_refresh``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from pycrdt import Doc

from rooms.search.services import document_index_from_state

logger = logging.getLogger(__name__)


class IndexedDocument(Protocol):
    """What the indexer needs of a live document (``runtime.LiveDocument``)."""

    id: uuid.UUID
    doc: Doc[Any]
    seq: int


def _store(document_id: uuid.UUID, state: bytes, seq: int) -> bool:
    return document_index_from_state(document_id=document_id, state=state, seq=seq)


class SearchIndexer:
    """The debounced indexer of one event loop's runtime."""

    def __init__(self) -> None:
        self._due: dict[uuid.UUID, tuple[asyncio.TimerHandle, IndexedDocument]] = {}
        self._running: set[asyncio.Task[None]] = set()
        self.writes = 0  # rows written: how tests see the debounce

    def document_committed(self, live: IndexedDocument) -> None:
        """Note a committed change; index within the debounce interval. Never raises."""
        if live.id in self._due:
            return
        loop = asyncio.get_running_loop()
        delay = float(settings.COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS)
        self._due[live.id] = (loop.call_later(delay, self._start, live), live)

    async def document_unloaded(self, live: IndexedDocument) -> None:
        """Index now if a change is still waiting (the live document is about to go)."""
        due = self._due.pop(live.id, None)
        if due is None:
            return
        due[0].cancel()
        await self._index(live.id, live.doc.get_update(), live.seq)

    def _start(self, live: IndexedDocument) -> None:
        self._due.pop(live.id, None)
        task = asyncio.get_running_loop().create_task(
            self._index(live.id, live.doc.get_update(), live.seq)
        )
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _index(self, document_id: uuid.UUID, state: bytes, seq: int) -> None:
        try:
            stored = await database_sync_to_async(_store, thread_sensitive=False)(
                document_id, state, seq
            )
        except Exception:
            logger.exception("could not index document %s for search", document_id)
            return
        if stored:
            self.writes += 1


_indexers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SearchIndexer] = (
    weakref.WeakKeyDictionary()
)


def get_indexer() -> SearchIndexer:
    """The indexer of the running event loop (one per runtime)."""
    loop = asyncio.get_running_loop()
    indexer = _indexers.get(loop)
    if indexer is None:
        indexer = _indexers[loop] = SearchIndexer()
    return indexer


class SearchHooks:
    """The runtime's hooks (``rooms.sync.runtime.LiveHooks``) of the indexer."""

    def committed(self, live: IndexedDocument) -> None:
        get_indexer().document_committed(live)

    async def unloaded(self, live: IndexedDocument) -> None:
        await get_indexer().document_unloaded(live)


LIVE_HOOKS = SearchHooks()
