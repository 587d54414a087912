"""One connection's session with one live document: the runtime's ``Peer`` and the edit path
every document socket shares, whatever its dialect (``consumer.py``: y-websocket, one document
per socket; ``hocuspocus_consumer.py``: Hocuspocus, a session per document on the socket).

A session takes decoded y-websocket frames (``rooms.sync.protocol``) and answers in them; its
owner, the consumer, puts them on its wire and is told what its dialect must say besides: a
write refused to a read-only connection, updates stored, the session closed.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from rooms.core.metrics import UPDATES_RECEIVED
from rooms.core.read_batches import BatchedRead, db_read
from rooms.documents.selectors import DocumentGrant, document_grants, share_link_grants
from rooms.sync import protocol as p
from rooms.sync.log import DocumentGone
from rooms.sync.rate import TokenBucket
from rooms.sync.runtime import (
    CLOSE_NOT_FOUND,
    CLOSE_RECONNECT,
    EMPTY_UPDATE,
    DocumentFull,
    DocumentTooLarge,
    LiveDocument,
    MissingDependencies,
    ShuttingDown,
    UpdateRejected,
    get_runtime,
)

logger = logging.getLogger(__name__)

CLOSE_RATE_LIMITED = 1013  # "try again later": y-websocket clients reconnect
# Applied updates of one connection that may wait for their commit at once (see _pipeline).
UNCOMMITTED_PER_CONNECTION = 16

# The grants of sockets that connect together (a reconnect storm) in one read.
grants: BatchedRead[tuple[Any, uuid.UUID], DocumentGrant] = BatchedRead(
    db_read(lambda pairs: document_grants(users_documents=pairs))
)
# Those of sockets opened through share links, by the link's digest.
link_grants: BatchedRead[str, DocumentGrant] = BatchedRead(
    db_read(lambda digests: share_link_grants(digests=digests))
)


class SessionOwner(Protocol):
    """The consumer a session belongs to."""

    client: Any  # the socket's peer address, for logs

    async def deliver(self, session: SyncSession, frame: bytes) -> None:
        """Put a y-websocket frame for this session's document on the wire."""

    async def write_refused(self, session: SyncSession) -> None:
        """A read-only connection sent a change; it was dropped."""

    async def writes_stored(self, session: SyncSession, count: int) -> None:
        """``count`` updates the client sent are stored (or held nothing new)."""

    async def session_closed(self, session: SyncSession, code: int) -> None:
        """The session ended with ``code`` (the runtime's or the edit path's)."""


@dataclass
class Rates:
    """A socket's token buckets, shared by its sessions."""

    updates: TokenBucket
    awareness: TokenBucket

    @classmethod
    def from_settings(cls) -> Rates:
        return cls(
            TokenBucket(settings.COLLAB_MAX_UPDATES_PER_SECOND, burst=settings.COLLAB_UPDATE_BURST),
            TokenBucket(
                settings.COLLAB_MAX_AWARENESS_PER_SECOND, burst=settings.COLLAB_AWARENESS_BURST
            ),
        )


async def _settled(finishing: Awaitable[int]) -> bool:
    """Wait for an update's commit and fan-out; whether it was committed. If either failed
    the runtime has already closed the document's sockets (4404 for a deleted document, 1011
    after a failed commit, which the group committer logged); the clients reconnect and
    re-send what the log lacks."""
    try:
        await finishing
    except Exception:
        logger.debug("an update was not committed", exc_info=True)
        return False
    return True


class SyncSession:
    """One connection to one document (``runtime.Peer``)."""

    live: LiveDocument | None = None

    def __init__(
        self,
        owner: SessionOwner,
        grant: DocumentGrant,
        *,
        user_id: int | None,
        session_key: str | None,
        token_digest: str | None,
        rates: Rates,
        name: str = "",
        link_digest: str | None = None,
        read_only: bool = False,
    ) -> None:
        self.owner = owner
        self.read_only = read_only  # opened with a read-only API token: whatever the grant
        self.name = name  # the document's name on a socket that carries several
        self.document_id = grant.document.pk
        self.user_id: int | None = user_id
        self.session_key = session_key
        self.token_digest = token_digest
        self.link_digest = link_digest
        self.access_expires_at = grant.expires_at
        self.granted_write = grant.can_write
        self.identity = grant.identity
        self.rates = rates
        self.uncommitted: deque[asyncio.Future[None]] = deque()
        self.owed_acks = 0  # updates held back for what they depend on (see _handle_update)

    @property
    def can_write(self) -> bool:
        return self.granted_write and not self.read_only

    @can_write.setter
    def can_write(self, granted: bool) -> None:
        """The runtime's re-check sets what the grant allows now; the token's scope stays."""
        self.granted_write = granted

    async def join(self) -> int | None:
        """Join the live document; None once joined, else the close code that says why not
        (4404 gone, 1013 full, 1012 shutting down)."""
        try:
            self.live = await get_runtime().join(self.document_id, self)
        except DocumentGone:
            return CLOSE_NOT_FOUND
        except DocumentFull:
            return CLOSE_RATE_LIMITED
        except ShuttingDown:
            return CLOSE_RECONNECT
        return None

    async def greet(self) -> None:
        """The server's sync step 1 and the document's awareness, for a session just joined."""
        live = self.live
        if live is None:
            return
        await self.owner.deliver(self, p.encode_sync_step1(live.doc.get_state()))
        if (snapshot := get_runtime().awareness_snapshot(live)) is not None:
            await self.owner.deliver(self, snapshot)

    async def leave(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            await get_runtime().leave(live, self)

    async def handle(self, frame: p.Frame) -> None:
        """Act on one decoded client frame: the edit path of docs/architecture.md."""
        live = self.live
        if live is None:
            return
        runtime = get_runtime()
        await runtime.access_settled()
        if self.live is not live:  # the re-check closed this connection
            return
        if isinstance(frame, p.SyncStep1):
            await live.wait_committed()  # never serve an edit that is not yet durable
            await self.send_frame(live.sync_step2(frame.state_vector))
        elif isinstance(frame, p.SyncUpdate):
            await self._handle_update(live, frame)
        elif isinstance(frame, p.AwarenessUpdate):
            if not await self._paced(live, self.rates.awareness):
                return
            # A cursor may point into this connection's latest edits: peers get those first.
            await self._settle_uncommitted()
            if self.live is not live:  # closed meanwhile by a failed commit
                return
            await runtime.accept_awareness(live, self, frame.entries, self.identity)
        elif isinstance(frame, p.QueryAwareness):
            if (snapshot := runtime.awareness_snapshot(live)) is not None:
                await self.owner.deliver(self, snapshot)
        elif isinstance(frame, p.Confirm):
            # Everything this connection sent before is then committed or refused.
            await self._settle_uncommitted()
            if self.live is live:  # not closed meanwhile by a failed commit
                await self.owner.deliver(self, p.encode_confirm(frame.token))

    async def _handle_update(self, live: LiveDocument, frame: p.SyncUpdate) -> None:
        UPDATES_RECEIVED.inc()
        if not await self._paced(live, self.rates.updates):
            return
        if not self.can_write:
            if frame.update != EMPTY_UPDATE:
                await self.owner.write_refused(self)
            else:
                await self.owner.writes_stored(self, 1)
            return
        acks = 1
        if frame.is_step2:  # it carries what an update held back for its dependencies lacked
            acks, self.owed_acks = acks + self.owed_acks, 0
        try:
            finishing = await get_runtime().accept_update(live, self, frame.update, frame.shape)
        except MissingDependencies:
            self.owed_acks += acks
            await self.owner.deliver(self, p.encode_sync_step1(live.doc.get_state()))
        except UpdateRejected as error:
            logger.info("closing document socket from %s: %s", self.owner.client, error)
            await self.close_with(p.CLOSE_MALFORMED)
        except DocumentTooLarge:
            await self.close_with(p.CLOSE_TOO_LARGE)
        else:
            if finishing is None:
                await self.owner.writes_stored(self, acks)
            else:
                await self._pipeline(finishing, acks)

    async def paced_awareness(self) -> bool:
        """Hold the connection to its awareness rate for a frame the session does not handle
        (a relayed stateless message); False if it was closed."""
        live = self.live
        return live is not None and await self._paced(live, self.rates.awareness)

    async def _paced(self, live: LiveDocument, rate: TokenBucket) -> bool:
        """Hold the connection to ``rate``: wait until the frame's token is there. Channels
        hands a consumer its messages one at a time, so the socket's next frames wait too, and
        the web server stops reading the socket once a few are waiting (TCP then slows the
        client down). Returns False, having closed it with 1013, if the connection has been
        over its rate continuously for ``COLLAB_MAX_THROTTLED_SECONDS``, or if it was closed
        while waiting."""
        delay = rate.delay()
        if not delay:
            return True
        if rate.over_for() + delay > settings.COLLAB_MAX_THROTTLED_SECONDS:
            logger.info(
                "closing document socket from %s: over its rate for %.0f s",
                self.owner.client,
                rate.over_for(),
            )
            await self.close_with(CLOSE_RATE_LIMITED)
            return False
        await asyncio.sleep(delay)
        return self.live is live

    async def _pipeline(self, finishing: Awaitable[int], acks: int) -> None:
        """Let an applied update commit and fan out while the next frames are read, keeping at
        most ``UNCOMMITTED_PER_CONNECTION`` of them waiting: a fast writer (a paste, an import)
        fills group commits instead of waiting for each one."""
        self.uncommitted.append(asyncio.ensure_future(self._stored(finishing, acks)))
        while self.uncommitted and (
            self.uncommitted[0].done() or len(self.uncommitted) > UNCOMMITTED_PER_CONNECTION
        ):
            await self.uncommitted.popleft()

    async def _stored(self, finishing: Awaitable[int], acks: int) -> None:
        if await _settled(finishing) and self.live is not None:
            await self.owner.writes_stored(self, acks)

    async def _settle_uncommitted(self) -> None:
        while self.uncommitted:
            await self.uncommitted.popleft()

    # --- the runtime's view of this connection (runtime.Peer) ------------------------------

    async def send_frame(self, frame: bytes) -> None:
        await self.owner.deliver(self, frame)

    async def close_with(self, code: int) -> None:
        live, self.live = self.live, None
        await self.owner.session_closed(self, code)
        if live is not None:
            await get_runtime().leave(live, self)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> bool:
        return self is other
