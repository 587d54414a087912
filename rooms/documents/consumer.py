"""The document socket, ``/ws/docs/{document_id}``: the y-websocket protocol.

The consumer authenticates, decodes each frame with the hardened decoder, checks the
connection may write, and hands the frame to the process's sync runtime.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

from rooms.core.asgi_extensions import SEND_SHARED
from rooms.core.metrics import UPDATES_RECEIVED, ObservedWebsocketConsumer
from rooms.core.read_batches import BatchedRead, db_read
from rooms.documents.selectors import DocumentGrant, document_grants
from rooms.membership.selectors import as_uuid
from rooms.sync import protocol as p
from rooms.sync.log import DocumentGone
from rooms.sync.rate import TokenBucket
from rooms.sync.runtime import (
    CLOSE_NOT_AUTHENTICATED,
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
_grants: BatchedRead[tuple[Any, uuid.UUID], DocumentGrant] = BatchedRead(
    db_read(lambda pairs: document_grants(users_documents=pairs))
)


async def _settled(finishing: Awaitable[int]) -> None:
    """Wait for an update's commit and fan-out. If either failed the runtime has already
    closed the document's sockets (4404 for a deleted document, 1011 after a failed commit,
    which the group committer logged); the clients reconnect and re-send what the log lacks."""
    try:
        await finishing
    except Exception:
        logger.debug("an update was not committed", exc_info=True)


class DocumentConsumer(ObservedWebsocketConsumer):
    socket_kind = "document"
    # No channel-layer channel per socket: the runtime uses the layer once per process (a
    # channel per socket costs a Redis poll per connection, even for idle sockets).
    channel_layer_alias = "none"
    live: LiveDocument | None = None
    user_id: int | None = None
    session_key: str | None = None
    token_digest: str | None = None
    can_write = False
    uncommitted: deque[asyncio.Future[None]]
    send_shared: Callable[..., bool] | None = None  # rooms.core.asgi_extensions.SEND_SHARED

    async def connect(self) -> None:
        self.uncommitted = deque()
        # Accept first: a close code only reaches the client on an accepted socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        document_id = as_uuid(self.scope["url_route"]["kwargs"]["document_id"])
        grant = await _grants.get((user, document_id)) if document_id is not None else None
        if grant is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.user_id = user.pk
        self.send_shared = self.scope.get("extensions", {}).get(SEND_SHARED)
        self.token_digest = self.scope.get("token_digest")
        if self.token_digest is None:
            self.session_key = self.scope["session"].session_key
        self.can_write = grant.can_write
        self.identity = grant.identity
        self.update_rate = TokenBucket(
            settings.COLLAB_MAX_UPDATES_PER_SECOND, burst=settings.COLLAB_UPDATE_BURST
        )
        self.awareness_rate = TokenBucket(
            settings.COLLAB_MAX_AWARENESS_PER_SECOND, burst=settings.COLLAB_AWARENESS_BURST
        )
        runtime = get_runtime()
        try:
            live = await runtime.join(grant.document.pk, self)
        except DocumentGone:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except DocumentFull:
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        except ShuttingDown:
            await self.close(code=CLOSE_RECONNECT)
            return
        self.live = live
        await self.send(bytes_data=p.encode_sync_step1(live.doc.get_state()))
        if (snapshot := runtime.awareness_snapshot(live)) is not None:
            await self.send(bytes_data=snapshot)

    async def disconnect(self, code: int) -> None:
        live, self.live = self.live, None
        if live is not None:
            await get_runtime().leave(live, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        live = self.live
        if live is None:
            return
        if bytes_data is None:
            await self.close_with(p.CLOSE_MALFORMED)
            return
        try:
            frame = p.decode_frame(
                bytes_data,
                max_frame_bytes=settings.COLLAB_MAX_FRAME_BYTES,
                max_awareness_state_bytes=settings.COLLAB_MAX_AWARENESS_STATE_BYTES,
            )
        except p.ProtocolError as error:
            logger.info(
                "closing document socket from %s: %s", self.scope.get("client"), error.reason
            )
            await self.close_with(error.code)
            return
        await self._handle(live, frame)

    async def _handle(self, live: LiveDocument, frame: p.Frame) -> None:
        runtime = get_runtime()
        await runtime.access_settled()
        if self.live is not live:  # the re-check closed this connection
            return
        if isinstance(frame, p.SyncStep1):
            await live.wait_committed()  # never serve an edit that is not yet durable
            await self.send_frame(live.sync_step2(frame.state_vector))
        elif isinstance(frame, p.SyncUpdate):
            UPDATES_RECEIVED.inc()
            if not await self._paced(live, self.update_rate):
                return
            if not self.can_write:
                if frame.update != EMPTY_UPDATE:
                    await self.send(bytes_data=p.encode_auth_denied("read-only"))
                return
            try:
                finishing = await runtime.accept_update(live, self, frame.update, frame.shape)
            except MissingDependencies:
                await self.send(bytes_data=p.encode_sync_step1(live.doc.get_state()))
            except UpdateRejected as error:
                logger.info("closing document socket from %s: %s", self.scope.get("client"), error)
                await self.close_with(p.CLOSE_MALFORMED)
            except DocumentTooLarge:
                await self.close_with(p.CLOSE_TOO_LARGE)
            else:
                if finishing is not None:
                    await self._pipeline(finishing)
        elif isinstance(frame, p.AwarenessUpdate):
            if not await self._paced(live, self.awareness_rate):
                return
            # A cursor may point into this connection's latest edits: peers get those first.
            await self._settle_uncommitted()
            if self.live is not live:  # closed meanwhile by a failed commit
                return
            await runtime.accept_awareness(live, self, frame.entries, self.identity)
        elif isinstance(frame, p.QueryAwareness):
            if (snapshot := runtime.awareness_snapshot(live)) is not None:
                await self.send(bytes_data=snapshot)
        elif isinstance(frame, p.Confirm):
            # Everything this connection sent before is then committed or refused.
            await self._settle_uncommitted()
            if self.live is live:  # not closed meanwhile by a failed commit
                await self.send(bytes_data=p.encode_confirm(frame.token))

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
                self.scope.get("client"),
                rate.over_for(),
            )
            await self.close_with(CLOSE_RATE_LIMITED)
            return False
        await asyncio.sleep(delay)
        return self.live is live

    async def _pipeline(self, finishing: Awaitable[int]) -> None:
        """Let an applied update commit and fan out while the next frames are read, keeping at
        most ``UNCOMMITTED_PER_CONNECTION`` of them waiting: a fast writer (a paste, an import)
        fills group commits instead of waiting for each one."""
        self.uncommitted.append(asyncio.ensure_future(_settled(finishing)))
        while self.uncommitted and (
            self.uncommitted[0].done() or len(self.uncommitted) > UNCOMMITTED_PER_CONNECTION
        ):
            await self.uncommitted.popleft()

    async def _settle_uncommitted(self) -> None:
        while self.uncommitted:
            await self.uncommitted.popleft()

    # --- the runtime's view of this connection (runtime.Peer) ------------------------------

    async def send_frame(self, frame: bytes) -> None:
        # The runtime sends the same frame to many sockets: framed once, if the server can.
        if self.send_shared is None or not self.send_shared(frame):
            await self.send(bytes_data=frame)

    async def close_with(self, code: int) -> None:
        live, self.live = self.live, None
        await self.close(code=code)
        if live is not None:
            await get_runtime().leave(live, self)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> bool:
        return self is other
