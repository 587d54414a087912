"""Contract tests of the Twisted TCP transport internals ``write_now`` reads (``socket``,
``dataBuffer``, ``_tempDataBuffer``, ``connected``, ``disconnecting``), on a real transport over
a real loopback TCP connection; the reactor never runs, so only ``write_now`` or Twisted's own
``doWrite`` (called by hand) moves bytes."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from twisted.internet import reactor, tcp
from twisted.internet.error import ConnectionDone
from twisted.internet.protocol import Protocol
from twisted.python.failure import Failure

from collab.webserver.protocol import write_now

SMALL_BUFFER = 64 * 1024


@pytest.fixture
def tcp_pair() -> Iterator[tuple[tcp.Server, socket.socket]]:
    """A Twisted server-side transport and the plain socket at the other end."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        peer = socket.create_connection(listener.getsockname())
        accepted, client = listener.accept()
    for sock in (accepted, peer):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SMALL_BUFFER)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_BUFFER)
    peer.setblocking(False)
    transport = tcp.Server(accepted, Protocol(), client, None, 0, reactor)
    yield transport, peer
    transport.stopReading()
    transport.stopWriting()
    accepted.close()
    peer.close()


def received(peer: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = peer.recv(1 << 20)
        except BlockingIOError:
            return b"".join(chunks)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def test_an_idle_transport_is_written_straight_to_its_socket(tcp_pair):
    transport, peer = tcp_pair

    write_now(transport, b"frame")

    assert received(peer) == b"frame"
    assert transport.dataBuffer == b""
    assert transport._tempDataBuffer == []


def test_a_frame_behind_queued_writes_waits_for_twisted_in_order(tcp_pair):
    transport, peer = tcp_pair
    transport.write(b"first ")
    assert transport._tempDataBuffer == [b"first "]

    write_now(transport, b"second")

    assert received(peer) == b""
    transport.doWrite()
    assert received(peer) == b"first second"


def test_what_a_full_socket_does_not_take_follows_through_twisted_in_order(tcp_pair):
    transport, peer = tcp_pair
    big = bytes(range(256)) * 4096  # 1 MiB, many times the socket buffers

    write_now(transport, big)
    assert transport._tempDataBuffer  # the rest, queued
    transport.doWrite()  # Twisted moves the queue to dataBuffer and sends what fits
    assert transport.dataBuffer and not transport._tempDataBuffer
    write_now(transport, b"tail")

    got = b""
    while len(got) < len(big) + 4:
        got += received(peer)
        transport.doWrite()
    assert got == big + b"tail"


def test_a_closing_or_closed_transport_is_left_to_twisted(tcp_pair):
    transport, peer = tcp_pair
    transport.loseConnection()
    assert transport.disconnecting

    write_now(transport, b"late")
    assert received(peer) == b""

    transport.connectionLost(Failure(ConnectionDone()))
    assert not transport.connected
    write_now(transport, b"later")
    assert transport._tempDataBuffer == [b"late"]
