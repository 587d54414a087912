"""Contract tests of the autobahn internals ``CollabWebSocketProtocol`` uses: each fails if the
installed autobahn stops behaving the way the protocol relies on."""

from __future__ import annotations

import zlib

import pytest
from autobahn.websocket.compress_deflate import PerMessageDeflate

from tests.collab.webserver.open_socket import open_protocol

CLOSE_1012 = b"\x88\x02\x03\xf4"  # FIN + close opcode, 2-byte payload: the code 1012


def test_server_close_sends_the_1012_frame_that_autobahns_send_close_refuses(connection):
    """``sendCloseFrame``: frames any code, and starts the closing handshake."""
    protocol, transport = connection
    refused, _ = open_protocol()
    with pytest.raises(Exception, match="invalid close code 1012"):
        refused.sendClose(code=1012)

    protocol.serverClose(code=1012)

    assert transport.value() == CLOSE_1012
    assert protocol.state == protocol.STATE_CLOSING


def test_an_uncompressed_connection_gets_the_frame_send_message_would_write(connection):
    """``prepareMessage`` and ``payloadHybi``: the prepared frame is the complete wire frame,
    and ``_perMessageCompress`` is None when the handshake negotiated no compression."""
    protocol, transport = connection
    framed, framed_transport = open_protocol()
    framed.sendMessage(b"\x00\x01update", isBinary=True)
    assert protocol._perMessageCompress is None

    assert protocol.send_shared(b"\x00\x01update") is True

    assert transport.value() == framed_transport.value() == b"\x82\x08\x00\x01update"


def test_a_compressed_connection_gets_the_frame_compressed_through_send_prepared_message(
    connection,
):
    """``_perMessageCompress`` holds the negotiated extension, and ``sendPreparedMessage``
    compresses the prepared message for that connection."""
    protocol, transport = connection
    protocol._perMessageCompress = PerMessageDeflate(
        is_server=True,
        server_no_context_takeover=False,
        client_no_context_takeover=False,
        server_max_window_bits=15,
        client_max_window_bits=15,
        mem_level=8,
    )
    frame = b"compressible " * 20

    assert protocol.send_shared(frame) is True

    written = transport.value()
    assert written[0] == 0xC2  # FIN, RSV1 (compressed), binary
    length = written[1]
    assert length < 126 and len(written) == 2 + length
    inflated = zlib.decompressobj(-15).decompress(written[2:] + b"\x00\x00\xff\xff")
    assert inflated == frame


def test_a_closing_or_muted_socket_is_sent_nothing(connection):
    """``state``/``STATE_OPEN`` and Daphne's ``muted``: the caller falls back to ASGI."""
    protocol, transport = connection
    muted, muted_transport = open_protocol()
    muted.muted = True
    protocol.serverClose(code=1012)
    before = transport.value()

    assert protocol.send_shared(b"late") is False
    assert muted.send_shared(b"late") is False

    assert transport.value() == before
    assert muted_transport.value() == b""
