"""Who is on the other end of a WebSocket, and whether the handshake may proceed at all.

- A handshake whose ``Origin`` is not one of ``ALLOWED_HOSTS`` is refused whatever its
  credentials (cross-site WebSocket hijacking).
- A handshake without ``Origin`` does not come from a browser (Node, Python): it must bring
  ``?token=``; a session cookie alone is not enough there, since nothing vouches for where
  the cookie was sent from.
- ``?token=`` authenticates with a personal API token; otherwise the session cookie does.
  A token socket skips the session machinery (and its trip to the database thread), and the
  tokens of a handshake storm are read together (``rooms.core.read_batches``).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any
from urllib.parse import parse_qs, urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.http import is_same_domain

from rooms.accounts.models import ApiToken
from rooms.accounts.services import (
    api_token_digest,
    api_token_use_due,
    api_tokens_by_digest,
    api_tokens_record_use,
)
from rooms.core.read_batches import BatchedRead, db_read

logger = logging.getLogger(__name__)

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def origin_allowed(origin: str) -> bool:
    host = urlparse(origin).hostname
    if not host:
        return False
    return any(is_same_domain(host, pattern) for pattern in settings.ALLOWED_HOSTS)


def query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


# Seconds a token socket's use waits to be written with the others that came meanwhile.
TOKEN_USE_FLUSH_SECONDS = 1.0


class _TokenUses:
    """The token uses of one event loop waiting to be written. A reconnect storm of token
    sockets would otherwise be one committed write per socket; this is one UPDATE per
    ``TOKEN_USE_FLUSH_SECONDS``, on a thread of its own, off every handshake's path (every
    socket's database work queues on the one ``database_sync_to_async`` thread)."""

    def __init__(self) -> None:
        self.pending: set[int] = set()
        self.flushing: asyncio.Task[None] | None = None

    def add(self, token: ApiToken) -> None:
        self.pending.add(token.pk)
        if self.flushing is None:
            self.flushing = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        try:
            await asyncio.sleep(TOKEN_USE_FLUSH_SECONDS)
            ids, self.pending = self.pending, set()
            write = database_sync_to_async(api_tokens_record_use, thread_sensitive=False)
            await write(token_ids=ids)
        except Exception:
            logger.warning("recording API token uses failed", exc_info=True)
        finally:
            self.flushing = None
            if self.pending:  # arrived while writing
                self.flushing = asyncio.get_running_loop().create_task(self._flush_soon())


_token_uses: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _TokenUses] = (
    weakref.WeakKeyDictionary()
)


def _record_use_soon(token: ApiToken) -> None:
    loop = asyncio.get_running_loop()
    uses = _token_uses.get(loop)
    if uses is None:
        uses = _token_uses[loop] = _TokenUses()
    uses.add(token)


_tokens: BatchedRead[str, ApiToken] = BatchedRead(
    db_read(lambda digests: api_tokens_by_digest(digests=digests))
)


class TokenOrSessionAuth:
    """Puts the user in ``scope["user"]`` from ``?token=`` or, for browsers, the session (and
    ``scope["session"]``, through Channels' ``AuthMiddlewareStack``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.by_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        token = query_token(scope)
        if token is not None:
            digest = api_token_digest(token)
            found = await _tokens.get(digest)
            if found is not None and api_token_use_due(found):
                _record_use_soon(found)
            user = found.user if found is not None else AnonymousUser()
            return await self.inner({**scope, "user": user, "token_digest": digest}, receive, send)
        if _header(scope, b"origin") is None:
            return await self.inner({**scope, "user": AnonymousUser()}, receive, send)
        return await self.by_session(scope, receive, send)


class OriginGuard:
    """Refuses handshakes from browsers on other sites."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        origin = _header(scope, b"origin")
        if origin is not None and not origin_allowed(origin):
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner(scope, receive, send)


def websocket_stack(inner: Any) -> Any:
    """Origin check, then the token or, without one, the session."""
    return OriginGuard(TokenOrSessionAuth(inner))
