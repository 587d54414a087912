"""Daphne's server, offering Collab's sockets the shared send and telling each socket when its
application takes a frame (so that it stops reading while frames wait: see ``protocol``), and
the process-wide switches that make Daphne use Collab's protocol.

``create_application`` is where Daphne builds a connection's ASGI scope; the scope's
``extensions`` are the ASGI way to hand a consumer something the server offers.
"""

from __future__ import annotations

from typing import Any

import autobahn.websocket.protocol
from daphne.server import Server
from daphne.ws_protocol import WebSocketFactory

from collab.webserver.debug_log import pformat_for_debug_log
from collab.webserver.protocol import CollabWebSocketProtocol
from rooms.core.asgi_extensions import SEND_SHARED

# Hands the application wrapper (``_telling_taken``) its connection's protocol; it is taken out
# of the scope before the application sees it.
_PROTOCOL = "collab.webserver.protocol"


class CollabServer(Server):  # type: ignore[misc]
    def __init__(self, application: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(_telling_taken(application), *args, **kwargs)

    def create_application(self, protocol: Any, scope: dict[str, Any]) -> Any:
        if isinstance(protocol, CollabWebSocketProtocol):
            scope["extensions"] = {
                **scope.get("extensions", {}),
                SEND_SHARED: protocol.send_shared,
                _PROTOCOL: protocol,
            }
        return super().create_application(protocol, scope)


def _telling_taken(application: Any) -> Any:
    """The ASGI application, with each Collab socket's ``receive`` telling the socket's
    protocol which message its application took."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> Any:
        protocol = scope.get("extensions", {}).pop(_PROTOCOL, None)
        if protocol is None:
            return await application(scope, receive, send)

        async def receive_telling() -> Any:
            message = await receive()
            protocol.frame_taken(message)
            return message

        return await application(scope, receive_telling, send)

    return wrapped


def install() -> None:
    """Make every Daphne WebSocket connection of this process use Collab's protocol, and
    autobahn format its settings only for a debug log."""
    WebSocketFactory.protocol = CollabWebSocketProtocol
    autobahn.websocket.protocol.pformat = pformat_for_debug_log  # type: ignore[attr-defined,assignment]
