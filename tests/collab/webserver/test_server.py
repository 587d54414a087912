"""Contract tests of the Daphne internals ``collab.webserver.server`` uses: the scope given to
``Server.create_application`` is the one the application gets, and ``WebSocketFactory.protocol``
is the class Daphne builds for each WebSocket connection."""

from __future__ import annotations

from typing import Any

import autobahn.websocket.protocol
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
from twisted.internet.address import IPv4Address

from collab.webserver.debug_log import pformat_for_debug_log
from collab.webserver.protocol import CollabWebSocketProtocol
from collab.webserver.server import CollabServer, install
from rooms.core.asgi_extensions import SEND_SHARED


async def test_a_collab_socket_offers_its_shared_send_in_the_applications_scope():
    scopes: list[dict[str, Any]] = []

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scopes.append(scope)

    server = CollabServer(application=application, endpoints=["tcp:port=0"])
    protocol = CollabWebSocketProtocol()
    plain = WebSocketProtocol()
    server.connections = {protocol: {}, plain: {}}  # what Server.run and onConnect set up

    server.create_application(protocol, {"type": "websocket", "extensions": {"other": {}}})
    server.create_application(plain, {"type": "websocket"})
    for connection in (protocol, plain):
        await server.connections[connection]["application_instance"]

    assert scopes[0]["extensions"] == {"other": {}, SEND_SHARED: protocol.send_shared}
    assert "extensions" not in scopes[1]


def test_install_makes_daphnes_factory_build_collab_sockets(monkeypatch):
    # Restored after the test: install() changes the process.
    monkeypatch.setattr(WebSocketFactory, "protocol", WebSocketFactory.protocol)
    monkeypatch.setattr(autobahn.websocket.protocol, "pformat", autobahn.websocket.protocol.pformat)
    factory = WebSocketFactory(server_class=None)

    install()

    built = factory.buildProtocol(IPv4Address("TCP", "127.0.0.1", 50000))
    assert type(built) is CollabWebSocketProtocol
    assert built.factory is factory
    assert autobahn.websocket.protocol.pformat is pformat_for_debug_log
