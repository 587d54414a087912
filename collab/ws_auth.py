"""Who is on the other end of a WebSocket, and whether the handshake may proceed at all.

- A handshake with an ``Origin`` is refused (HTTP 403) whatever its credentials unless that
  origin, scheme, host and port, is the site's own or a trusted one (cross-site WebSocket
  hijacking): Django's CSRF ``Origin`` rule, see ``origin_allowed``.
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
from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host
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


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_parts(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin, the port made explicit; None if unreadable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


def _is_secure(scope: Scope) -> bool:
    """Whether the browser reached the site over TLS: the server's own word, or behind a proxy
    the header ``SECURE_PROXY_SSL_HEADER`` names (as Django's ``request.is_secure()``)."""
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, secure_value = proxy_header
    value = _header(scope, name.removeprefix("HTTP_").replace("_", "-").lower().encode())
    return value is not None and value.split(",", 1)[0].strip() == secure_value


def site_origin(scope: Scope) -> str | None:
    """The origin a page of this site has when served on the handshake's ``Host``, or None
    without a ``Host`` that ``ALLOWED_HOSTS`` admits."""
    host = _header(scope, b"host")
    if host is None:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    return f"{'https' if _is_secure(scope) else 'http'}://{host}"


def origin_allowed(origin: str, scope: Scope) -> bool:
    """Django's CSRF ``Origin`` rule for a WebSocket handshake: the origin's scheme, host and
    port must equal the site's own (``site_origin``), or one of ``CSRF_TRUSTED_ORIGINS``
    (exactly, or under a ``https://*.example.com`` entry). A proxy that rewrites ``Host``
    (nginx's ``$host`` drops the port) needs the public origin in ``CSRF_TRUSTED_ORIGINS``."""
    parts = _origin_parts(origin)
    if parts is None:
        return False
    own = site_origin(scope)
    if own is not None and _origin_parts(own) == parts:
        return True
    scheme = parts[0]
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" in trusted:
            pattern = urlsplit(trusted)
            if pattern.scheme == scheme and is_same_domain(
                urlsplit(origin).netloc.lower(), pattern.netloc.lstrip("*").lower()
            ):
                return True
        elif _origin_parts(trusted) == parts:
            return True
    return False


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
            # The token itself too: consumers apply its scope and rooms (rooms.accounts.models).
            with_token = {**scope, "user": user, "token_digest": digest, "api_token": found}
            return await self.inner(with_token, receive, send)
        if _header(scope, b"origin") is None:
            return await self.inner({**scope, "user": AnonymousUser()}, receive, send)
        return await self.by_session(scope, receive, send)


class OriginGuard:
    """Refuses handshakes from browsers on other sites: HTTP 403 before the socket opens."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        origin = _header(scope, b"origin")
        if origin is not None and not origin_allowed(origin, scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner(scope, receive, send)


def websocket_stack(inner: Any) -> Any:
    """Origin check, then the token or, without one, the session."""
    return OriginGuard(TokenOrSessionAuth(inner))
