"""The Hocuspocus socket, ``/ws/hocuspocus``: what ``@hocuspocus/provider`` (Tiptap's and
BlockNote's usual provider) speaks, on the same engine as ``/ws/docs/{id}``.

One socket carries any number of documents, each named by its id. A document opens with the
provider's auth message: its token is a Collab API token, a share link's secret (``csl_...``:
the link alone decides, signed in or not, as ``?link=`` on the y-websocket socket), or empty
for a browser of this site, whose session cookie then counts. The answer is authenticated
with the scope (``readonly`` for a viewer) or permission denied with a reason; each open
document is a ``SyncSession`` of its own (the edit path, limits, pacing and commit-before-send
of the y-websocket socket). An update's sync status (stored) is sent once it is committed; a
read-only connection's changes get sync status refused and are dropped.

A malformed or oversized message closes the socket (4400, 4413), as do the codes clients
retry on (1011, 1012, 1013) and a lost sign-in (4401); losing access to one document (4403,
4404, or its share link revoked or expired) denies that document only and keeps the others
open.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from rooms.accounts.models import ApiToken
from rooms.accounts.services import (
    api_token_digest,
    api_token_record_use,
    api_token_use_due,
    api_tokens_by_digest,
)
from rooms.core.metrics import ObservedWebsocketConsumer
from rooms.core.read_batches import BatchedRead, db_read
from rooms.documents.services.share_links import LINK_PREFIX, share_link_digest
from rooms.documents.sync_session import Rates, SyncSession, grants, link_grants
from rooms.membership.selectors import as_uuid
from rooms.sync import hocuspocus_protocol as h
from rooms.sync import protocol as p
from rooms.sync.runtime import CLOSE_FORBIDDEN, CLOSE_NOT_AUTHENTICATED, CLOSE_NOT_FOUND

logger = logging.getLogger(__name__)

# What a document's permission denied says, by the close code the y-websocket socket uses.
DENIED_REASONS = {CLOSE_FORBIDDEN: "forbidden", CLOSE_NOT_FOUND: "not-found"}
NOT_AUTHENTICATED = "not-authenticated"
TOO_MANY_DOCUMENTS = "too-many-documents"

_tokens: BatchedRead[str, ApiToken] = BatchedRead(
    db_read(lambda digests: api_tokens_by_digest(digests=digests))
)


class HocuspocusConsumer(ObservedWebsocketConsumer):
    socket_kind = "hocuspocus"
    channel_layer_alias = "none"  # as the document socket: the runtime uses the layer
    sessions: dict[str, SyncSession]

    @property
    def client(self) -> Any:
        return self.scope.get("client")

    async def connect(self) -> None:
        self.sessions = {}
        self.rates = Rates.from_settings()
        await self.accept()

    async def disconnect(self, code: int) -> None:
        sessions, self.sessions = self.sessions, {}
        for session in sessions.values():
            await session.leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is None:
            await self._close_all(p.CLOSE_MALFORMED)
            return
        try:
            message = h.decode_message(
                bytes_data,
                max_frame_bytes=settings.COLLAB_MAX_FRAME_BYTES,
                max_awareness_state_bytes=settings.COLLAB_MAX_AWARENESS_STATE_BYTES,
            )
        except p.ProtocolError as error:
            logger.info("closing hocuspocus socket from %s: %s", self.client, error.reason)
            await self._close_all(error.code)
            return
        if isinstance(message, h.Pong):
            return
        body = message.body
        if isinstance(body, h.Authenticate):
            await self._open(message, body.token)
            return
        # A provider sends its first sync and awareness right after its token, whatever the
        # answer: what comes for a document that is not open is dropped.
        session = self.sessions.get(message.name)
        if session is None or session.live is None:
            return
        if isinstance(body, h.CloseDocument):
            del self.sessions[message.name]
            await session.leave()
        elif isinstance(body, h.Stateless):
            if body.broadcast:
                await self._broadcast_stateless(session, body.payload)
        else:
            await session.handle(body)

    async def _open(self, message: h.Message, token: str) -> None:
        name = message.name
        if name in self.sessions:
            return  # already open: a provider re-sends its token only after a reconnect
        if len(self.sessions) >= settings.COLLAB_HOCUSPOCUS_MAX_DOCUMENTS_PER_SOCKET:
            await self.send(bytes_data=h.encode_permission_denied(name, TOO_MANY_DOCUMENTS))
            return
        if token.startswith(LINK_PREFIX):
            await self._open_through_link(message, token)
            return
        user, token_digest, api_token = await self._user(token)
        if user is None:
            await self.send(bytes_data=h.encode_permission_denied(name, NOT_AUTHENTICATED))
            return
        document_id = as_uuid(message.document_name)
        grant = await grants.get((user, document_id)) if document_id is not None else None
        if grant is None or (
            api_token is not None and not api_token.allows_room(grant.document.room_id)
        ):
            await self.send(bytes_data=h.encode_permission_denied(name, "not-found"))
            return
        session = SyncSession(
            self,
            grant,
            user_id=user.pk,
            session_key=None if token_digest else self.scope["session"].session_key,
            token_digest=token_digest,
            rates=self.rates,
            name=name,
            read_only=api_token is not None and api_token.read_only,
        )
        await self._join(session)

    async def _open_through_link(self, message: h.Message, secret: str) -> None:
        name = message.name
        digest = share_link_digest(secret)
        grant = await link_grants.get(digest)
        if grant is None:  # unknown, revoked or expired
            await self.send(bytes_data=h.encode_permission_denied(name, NOT_AUTHENTICATED))
            return
        if str(grant.document.pk) != message.document_name:
            await self.send(bytes_data=h.encode_permission_denied(name, "not-found"))
            return
        user = self.scope.get("user")
        session = SyncSession(
            self,
            grant,
            user_id=user.pk if user is not None and user.is_authenticated else None,
            session_key=None,
            token_digest=None,
            link_digest=digest,
            rates=self.rates,
            name=name,
        )
        await self._join(session)

    async def _join(self, session: SyncSession) -> None:
        name = session.name
        if (refused := await session.join()) is not None:
            if refused == CLOSE_NOT_FOUND:
                await self.send(bytes_data=h.encode_permission_denied(name, "not-found"))
            else:
                await self._close_all(refused)
            return
        self.sessions[name] = session
        await self.send(bytes_data=h.encode_authenticated(name, read_only=not session.can_write))
        await session.greet()

    async def _user(self, token: str) -> tuple[Any, str | None, ApiToken | None]:
        """Who a document's token names (with the token's digest and the token), or the
        session's user for an empty token: a browser of this site (the handshake's ``Origin``
        was checked and the session read; a handshake without one has none), or the
        handshake's ``?token=``."""
        if token:
            digest = api_token_digest(token)
            found = await _tokens.get(digest)
            if found is None:
                return None, None, None
            if api_token_use_due(found):  # at most once a minute: no write per document
                await database_sync_to_async(api_token_record_use)(found)
            return found.user, digest, found
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None, None, None
        # A handshake's ?token= counts too.
        return user, self.scope.get("token_digest"), self.scope.get("api_token")

    async def _broadcast_stateless(self, sender: SyncSession, payload: str) -> None:
        """Relay a broadcast to every Hocuspocus session of the document in this process, the
        sender's too (as Hocuspocus does)."""
        live = sender.live
        if live is None or not await sender.paced_awareness():
            return
        for peer in list(live.peers):
            if isinstance(peer, SyncSession) and isinstance(peer.owner, HocuspocusConsumer):
                await peer.owner.send(bytes_data=h.encode_stateless(peer.name, payload))

    async def _close_all(self, code: int) -> None:
        sessions, self.sessions = self.sessions, {}
        await self.close(code=code)
        for session in sessions.values():
            await session.leave()

    # --- what the sessions need said in Hocuspocus (sync_session.SessionOwner) -------------

    async def deliver(self, session: SyncSession, frame: bytes) -> None:
        await self.send(bytes_data=h.name_prefix(session.name) + frame)

    async def write_refused(self, session: SyncSession) -> None:
        await self.send(bytes_data=h.encode_sync_status(session.name, stored=False))

    async def writes_stored(self, session: SyncSession, count: int) -> None:
        frame = h.encode_sync_status(session.name, stored=True)
        for _ in range(count):
            await self.send(bytes_data=frame)

    async def session_closed(self, session: SyncSession, code: int) -> None:
        if self.sessions.get(session.name) is not session:
            return
        reason = DENIED_REASONS.get(code)
        if code == CLOSE_NOT_AUTHENTICATED and session.link_digest is not None:
            reason = NOT_AUTHENTICATED  # its link was revoked or expired: only its document
        if reason is None:
            await self._close_all(code)
            return
        del self.sessions[session.name]
        await self.send(bytes_data=h.encode_permission_denied(session.name, reason))
