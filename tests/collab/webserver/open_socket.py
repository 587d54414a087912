"""A Collab WebSocket protocol as Daphne's factory builds it, after its handshake, writing to
Twisted's in-memory transport (the framing, not the socket, is what these tests read)."""

from __future__ import annotations

from daphne.ws_protocol import WebSocketFactory
from twisted.internet.testing import StringTransport

from collab.webserver.protocol import CollabWebSocketProtocol


def open_protocol() -> tuple[CollabWebSocketProtocol, StringTransport]:
    factory = WebSocketFactory(server_class=None)
    # No timer for the close handshake: the reactor does not run in these tests.
    factory.setProtocolOptions(closeHandshakeTimeout=0)
    protocol = CollabWebSocketProtocol()
    protocol.factory = factory
    transport = StringTransport()
    protocol.makeConnection(transport)
    protocol.state = protocol.STATE_OPEN  # what a completed handshake leaves
    return protocol, transport
