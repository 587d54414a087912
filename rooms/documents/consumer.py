"""The document socket, ``/ws/docs/{document_id}``: the y-websocket protocol.

The consumer authenticates, decodes each frame with the hardened decoder and hands it to its
session with the document (``sync_session``: the edit path, shared with the Hocuspocus
socket), which goes to the process's sync runtime.

``?link=SECRET`` opens the document through a share link instead of the user's own access,
with or without an account: the link alone decides what the socket may do, and it closes
with 4401 when the link is unknown, revoked or expired (``services/share_links.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings

from rooms.accounts.models import ApiToken
from rooms.core.asgi_extensions import SEND_SHARED
from rooms.core.metrics import ObservedWebsocketConsumer
from rooms.documents.services.share_links import share_link_digest
from rooms.documents.sync_session import Rates, SyncSession, grants, link_grants
from rooms.membership.selectors import as_uuid
from rooms.sync import protocol as p
from rooms.sync.runtime import CLOSE_NOT_AUTHENTICATED, CLOSE_NOT_FOUND

logger = logging.getLogger(__name__)


def _query_link(scope: dict[str, Any]) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("link")
    return values[0] if values else None


class DocumentConsumer(ObservedWebsocketConsumer):
    socket_kind = "document"
    # No channel-layer channel per socket: the runtime uses the layer once per process (a
    # channel per socket costs a Redis poll per connection, even for idle sockets).
    channel_layer_alias = "none"
    session: SyncSession | None = None
    send_shared: Callable[..., bool] | None = None  # rooms.core.asgi_extensions.SEND_SHARED

    @property
    def client(self) -> Any:
        return self.scope.get("client")

    async def connect(self) -> None:
        # Accept first: a close code only reaches the client on an accepted socket.
        await self.accept()
        link = _query_link(self.scope)
        if link is not None:
            await self._connect_through_link(link)
            return
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        document_id = as_uuid(self.scope["url_route"]["kwargs"]["document_id"])
        grant = await grants.get((user, document_id)) if document_id is not None else None
        token: ApiToken | None = self.scope.get("api_token")
        if grant is None or (token is not None and not token.allows_room(grant.document.room_id)):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.send_shared = self.scope.get("extensions", {}).get(SEND_SHARED)
        token_digest = self.scope.get("token_digest")
        session = SyncSession(
            self,
            grant,
            user_id=user.pk,
            session_key=None if token_digest else self.scope["session"].session_key,
            token_digest=token_digest,
            rates=Rates.from_settings(),
            read_only=token is not None and token.read_only,
        )
        await self._join(session)

    async def _connect_through_link(self, link: str) -> None:
        digest = share_link_digest(link)
        grant = await link_grants.get(digest)
        if grant is None:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if str(grant.document.pk) != self.scope["url_route"]["kwargs"]["document_id"]:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.send_shared = self.scope.get("extensions", {}).get(SEND_SHARED)
        user = self.scope.get("user")
        session = SyncSession(
            self,
            grant,
            user_id=user.pk if user is not None and user.is_authenticated else None,
            session_key=None,
            token_digest=None,
            link_digest=digest,
            rates=Rates.from_settings(),
        )
        await self._join(session)

    async def _join(self, session: SyncSession) -> None:
        if (refused := await session.join()) is not None:
            await self.close(code=refused)
            return
        self.session = session
        await session.greet()

    async def disconnect(self, code: int) -> None:
        session, self.session = self.session, None
        if session is not None:
            await session.leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        session = self.session
        if session is None or session.live is None:
            return
        if bytes_data is None:
            await session.close_with(p.CLOSE_MALFORMED)
            return
        try:
            frame = p.decode_frame(
                bytes_data,
                max_frame_bytes=settings.COLLAB_MAX_FRAME_BYTES,
                max_awareness_state_bytes=settings.COLLAB_MAX_AWARENESS_STATE_BYTES,
            )
        except p.ProtocolError as error:
            logger.info("closing document socket from %s: %s", self.client, error.reason)
            await session.close_with(error.code)
            return
        await session.handle(frame)

    # --- what the session needs said in y-websocket (sync_session.SessionOwner) ------------

    async def deliver(self, session: SyncSession, frame: bytes) -> None:
        # The runtime sends the same frame to many sockets: framed once, if the server can.
        if self.send_shared is None or not self.send_shared(frame):
            await self.send(bytes_data=frame)

    async def write_refused(self, session: SyncSession) -> None:
        await self.send(bytes_data=p.encode_auth_denied("read-only"))

    async def writes_stored(self, session: SyncSession, count: int) -> None:
        """y-websocket has no word for it: a client that wants to know sends a confirm."""

    async def session_closed(self, session: SyncSession, code: int) -> None:
        await self.close(code=code)
