"""The ``connection`` fixture: an open Collab WebSocket protocol and its in-memory transport."""

from __future__ import annotations

import pytest
from twisted.internet.testing import StringTransport

from collab.webserver.protocol import CollabWebSocketProtocol
from tests.collab.webserver.open_socket import open_protocol


@pytest.fixture
def connection() -> tuple[CollabWebSocketProtocol, StringTransport]:
    return open_protocol()
