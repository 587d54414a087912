"""Daphne's server, offering Collab's sockets the shared send, and the process-wide switches
that make Daphne use Collab's protocol.

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


class CollabServer(Server):  # type: ignore[misc]
    def create_application(self, protocol: Any, scope: dict[str, Any]) -> Any:
        if isinstance(protocol, CollabWebSocketProtocol):
            scope["extensions"] = {**scope.get("extensions", {}), SEND_SHARED: protocol.send_shared}
        return super().create_application(protocol, scope)


def install() -> None:
    """Make every Daphne WebSocket connection of this process use Collab's protocol, and
    autobahn format its settings only for a debug log."""
    WebSocketFactory.protocol = CollabWebSocketProtocol
    autobahn.websocket.protocol.pformat = pformat_for_debug_log  # type: ignore[attr-defined,assignment]
