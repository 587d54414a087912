"""A share page's comment socket, ``/ws/share-comments/<document>?link=SECRET``: the comment
events of that one document, for whoever holds a comment or edit link to it, signed in or not.

The link alone decides, as for the document's own socket: unknown, revoked, expired, a view
link or another document's link is 4401 at once. The socket joins the room's group through the
process's hub and writes only the comment events of its document (never chat, presence or
other documents). It closes 4401 once the link dies: re-checked when access changes anywhere
(a revocation) and every ``COLLAB_ACCESS_RECHECK_SECONDS`` (an expiry). It takes no frames
(4400). Writing goes over REST (``rooms.comments.api``), never this socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings

from rooms.comments.events import THREAD_CHANGES
from rooms.comments.services.access import commenting_links
from rooms.core.metrics import ObservedWebsocketConsumer
from rooms.core.read_batches import BatchedRead, db_read
from rooms.documents.services.share_links import share_link_digest
from rooms.room_socket.hub import get_hub

logger = logging.getLogger(__name__)

CLOSE_MALFORMED = 4400
CLOSE_LINK_GONE = 4401
COMMENT_EVENTS = frozenset({*THREAD_CHANGES, "comment_thread.deleted"})

_link_checks: BatchedRead[str, tuple[str, str]] = BatchedRead(db_read(commenting_links))


def _query_link(scope: dict[str, Any]) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("link")
    return values[0] if values else None


class ShareCommentsConsumer(ObservedWebsocketConsumer):
    socket_kind = "share_comments"
    # No channel-layer channel per socket: the process's room hub has one for all of them.
    channel_layer_alias = "none"
    room_id: str | None = None
    heartbeat: asyncio.Task[None] | None = None
    gone = False

    async def connect(self) -> None:
        await self.accept()  # a close code only reaches the client on an accepted socket
        link = _query_link(self.scope)
        document_id = str(self.scope["url_route"]["kwargs"]["document_id"])
        self.digest = share_link_digest(link) if link else ""
        found = await _link_checks.get(self.digest) if link else None
        if found is None or found[0] != document_id:
            await self.close(code=CLOSE_LINK_GONE)
            return
        self.document_id, room_id = found
        self.room_id = room_id
        await get_hub().join(room_id, self)
        await self.send(text_data=json.dumps({"type": "ready", "document": document_id}))
        self.heartbeat = asyncio.get_running_loop().create_task(self._heartbeat())

    async def disconnect(self, code: int) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if self.room_id is not None:
            await get_hub().leave(self.room_id, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.close(code=CLOSE_MALFORMED)

    async def _heartbeat(self) -> None:
        while True:
            early = random.uniform(0.75, 1)  # noqa: S311 (not for secrets)
            await asyncio.sleep(settings.COLLAB_ACCESS_RECHECK_SECONDS * early)
            try:
                if await self._closed_unless_live():
                    return
            except Exception:
                logger.warning("share comment socket check failed", exc_info=True)

    async def _closed_unless_live(self) -> bool:
        if await _link_checks.get(self.digest) is not None:
            return False
        self.gone = True
        await self.close(code=CLOSE_LINK_GONE)
        return True

    async def recheck_access(self) -> None:
        if self.room_id is not None and not self.gone:
            await self._closed_unless_live()

    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        """A room event: written when it is a comment event of this socket's document."""
        if (
            not self.gone
            and event.get("type") in COMMENT_EVENTS
            and event.get("document") == self.document_id
        ):
            await self.send(text_data=frame.decode())
