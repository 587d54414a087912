"""``collab.webserver.debug_log``: autobahn formats each connection's settings only for its
debug log, and the contract it relies on: autobahn calls its module's ``pformat`` (so replacing
that name reaches the call) once for every connection it opens."""

from __future__ import annotations

from pprint import pformat
from typing import Any

import autobahn.websocket.protocol
import pytest
import txaio

from collab.webserver.debug_log import NOT_FORMATTED, pformat_for_debug_log
from tests.collab.webserver.open_socket import open_protocol

SETTINGS = [("openHandshakeTimeout", 5, "WebSocketServerFactory")] * 40


@pytest.fixture
def log_level():
    level = txaio.get_global_log_level()
    yield
    txaio.set_global_log_level(level)


def test_autobahn_formats_every_new_connections_settings_through_its_modules_pformat(
    monkeypatch,
):
    formatted: list[Any] = []
    monkeypatch.setattr(autobahn.websocket.protocol, "pformat", formatted.append)

    open_protocol()
    open_protocol()

    assert len(formatted) == 2
    assert ("applyMask", True, "WebSocketFactory") in formatted[0]


def test_settings_are_formatted_only_when_autobahns_debug_log_is_on(log_level):
    txaio.set_global_log_level("info")
    assert pformat_for_debug_log(SETTINGS) == NOT_FORMATTED

    txaio.set_global_log_level("debug")
    assert pformat_for_debug_log(SETTINGS) == pformat(SETTINGS)
