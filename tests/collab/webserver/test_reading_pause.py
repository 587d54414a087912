"""A Collab socket stops reading while its application has frames waiting, and reads again
once the application has taken most of them; the server tells it what the application took."""

from __future__ import annotations

import asyncio
from typing import Any

from collab.webserver.protocol import UNREAD_BYTES_LIMIT, UNREAD_FRAMES_LIMIT
from collab.webserver.server import CollabServer
from tests.collab.webserver.open_socket import open_protocol


def receive(protocol, *payloads: bytes) -> None:
    """Frames from the client, as autobahn hands them over once each is read whole."""
    for payload in payloads:
        protocol.onMessage(payload, True)


def reading_socket():
    protocol, transport = open_protocol()
    protocol.application_queue = asyncio.Queue()  # what Daphne hands the protocol
    protocol.client_addr = None
    return protocol, transport


def take(protocol, count: int) -> list[dict[str, Any]]:
    taken = [protocol.application_queue.get_nowait() for _ in range(count)]
    for message in taken:
        protocol.frame_taken(message)
    return taken


def test_the_socket_is_not_read_while_its_application_has_many_frames_waiting():
    protocol, transport = reading_socket()
    receive(protocol, *(b"u%d" % i for i in range(UNREAD_FRAMES_LIMIT - 1)))
    assert transport.producerState == "producing"

    receive(protocol, b"one more")

    assert transport.producerState == "paused"
    assert protocol.application_queue.qsize() == UNREAD_FRAMES_LIMIT


def test_reading_resumes_once_the_application_took_half_of_what_waited():
    protocol, transport = reading_socket()
    receive(protocol, *(b"u%d" % i for i in range(UNREAD_FRAMES_LIMIT)))

    taken = take(protocol, UNREAD_FRAMES_LIMIT // 2 - 1)
    assert transport.producerState == "paused"
    taken += take(protocol, 1)

    assert transport.producerState == "producing"
    assert [message["bytes"] for message in taken[:2]] == [b"u0", b"u1"]


def test_a_few_large_frames_stop_reading_too():
    protocol, transport = reading_socket()
    receive(protocol, b"x" * (UNREAD_BYTES_LIMIT // 2))
    assert transport.producerState == "producing"

    receive(protocol, b"x" * (UNREAD_BYTES_LIMIT // 2))

    assert transport.producerState == "paused"
    take(protocol, 1)
    assert transport.producerState == "producing"


def test_closing_the_socket_reads_again_so_the_clients_answer_arrives():
    protocol, transport = reading_socket()
    receive(protocol, *[b"u"] * UNREAD_FRAMES_LIMIT)
    assert transport.producerState == "paused"

    protocol.serverClose(code=1013)

    assert transport.producerState == "producing"


async def test_the_server_tells_a_collab_socket_each_message_its_application_takes():
    received: list[dict[str, Any]] = []

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert set(scope["extensions"]) == {"collab.send_shared"}  # nothing of the server's
        for _ in range(UNREAD_FRAMES_LIMIT // 2):
            received.append(await receive())

    server = CollabServer(application=application, endpoints=["tcp:port=0"])
    protocol, transport = open_protocol()
    protocol.client_addr = None
    server.connections = {protocol: {}}  # what Server.run and onConnect set up
    protocol.application_queue = server.create_application(protocol, {"type": "websocket"})
    receive(protocol, *[b"u"] * UNREAD_FRAMES_LIMIT)
    assert transport.producerState == "paused"

    await server.connections[protocol]["application_instance"]

    assert len(received) == UNREAD_FRAMES_LIMIT // 2
    assert transport.producerState == "producing"
