"""Daphne's WebSocket protocol, able to send the server close codes Collab's contract uses.

RFC 6455 registers 1011 (internal error), 1012 (service restart) and 1013 (try again later)
for servers, and y-websocket clients reconnect after them. autobahn's ``sendClose`` only lets
applications send 1000 and 3000-4999, so Daphne raises on them; this sends the close frame
directly for those codes. Import it only after ``daphne.server`` (which installs the reactor).
"""

from __future__ import annotations

from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol

SERVER_CLOSE_CODES = frozenset({1011, 1012, 1013, 1014})


class CollabWebSocketProtocol(WebSocketProtocol):  # type: ignore[misc]
    def serverClose(self, code: int | None = None) -> None:
        if code in SERVER_CLOSE_CODES:
            self.sendCloseFrame(code=code, isReply=False)
        else:
            super().serverClose(code=code)


def install() -> None:
    """Make every Daphne WebSocket connection of this process use the protocol above."""
    WebSocketFactory.protocol = CollabWebSocketProtocol
