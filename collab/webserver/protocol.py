"""Daphne's WebSocket protocol, adjusted for Collab: server close codes, and one framing per
fanned-out message.

RFC 6455 registers 1011 (internal error), 1012 (service restart) and 1013 (try again later)
for servers, and y-websocket clients reconnect after them. autobahn's ``sendClose`` only lets
applications send 1000 and 3000-4999, so Daphne raises on them; this sends the close frame
through autobahn's internal ``sendCloseFrame`` for those codes.

An edit goes to every other client of its document: the same bytes to a hundred sockets.
Through ASGI each send crosses the middleware's send wrappers and Daphne's reply dispatch, and
autobahn frames it anew. ``send_shared`` writes a frame framed once per process (autobahn's
prepared messages) straight to the socket; ``collab.webserver.server`` offers it to consumers.
Both paths write to the socket in call order. Import this only after ``daphne.server`` (which
installs the reactor).

Daphne queues every frame it reads for the application, without bound, and reads a socket as
fast as the client writes. A consumer that holds its connection to a rate takes its frames
slowly, so once a few are waiting the socket is not read until the consumer has taken most of
them: the rest wait in the kernel's buffers and the client's, and TCP slows the client down.
``collab.webserver.server`` tells the protocol when its application takes a frame.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from autobahn.websocket.protocol import PreparedMessage
from daphne.ws_protocol import WebSocketProtocol

SERVER_CLOSE_CODES = frozenset({1011, 1012, 1013, 1014})

# Frames (or bytes of frames) read from a socket and not yet taken by its application past
# which the socket is not read; reading resumes once they are down to half.
UNREAD_FRAMES_LIMIT = 32
UNREAD_BYTES_LIMIT = 1 << 20

# The last frame prepared: a fan-out sends one frame to every socket in a row.
_prepared: tuple[bytes, bool, PreparedMessage] | None = None


class CollabWebSocketProtocol(WebSocketProtocol):  # type: ignore[misc]
    # A frame over Daphne's size cap gets a close frame with 1009 (message too big) instead of
    # a dropped connection (1006), which clients cannot tell from a network failure and retry.
    # autobahn copies these options from the protocol class when they are set there.
    failByDrop = False
    # The client is then usually still sending the rest of its frame, and answers the close only
    # once that is sent; dropping it sooner (autobahn's 1 s) resets a connection with unread
    # data, and the reset can discard the 1009 before the client has read it.
    closeHandshakeTimeout = 30
    reading_paused = False
    _unread: deque[int] | None = None  # the sizes of the frames queued for the application
    _unread_bytes = 0

    def onMessage(self, payload: bytes, isBinary: bool) -> None:
        super().onMessage(payload, isBinary)
        if self.muted:
            return
        if self._unread is None:
            self._unread = deque()
        self._unread.append(len(payload))
        self._unread_bytes += len(payload)
        # Once closing, the application takes nothing more: reading must go on until the
        # client's answer to the close frame arrives behind whatever it had sent.
        if (
            self.state == self.STATE_OPEN
            and not self.reading_paused
            and (
                len(self._unread) >= UNREAD_FRAMES_LIMIT or self._unread_bytes >= UNREAD_BYTES_LIMIT
            )
        ):
            self.reading_paused = True
            self.transport.pauseProducing()

    def frame_taken(self, message: dict[str, Any]) -> None:
        """The application took ``message`` from its queue: read the socket again once most
        of what was waiting is taken."""
        if message.get("type") != "websocket.receive" or not self._unread:
            return
        self._unread_bytes -= self._unread.popleft()
        if (
            self.reading_paused
            and len(self._unread) <= UNREAD_FRAMES_LIMIT // 2
            and self._unread_bytes <= UNREAD_BYTES_LIMIT // 2
        ):
            self._resume_reading()

    def _resume_reading(self) -> None:
        if self.reading_paused:
            self.reading_paused = False
            self.transport.resumeProducing()

    def serverClose(self, code: int | None = None) -> None:
        self._resume_reading()  # the client's answer to the close frame must be read
        if code in SERVER_CLOSE_CODES:
            self.sendCloseFrame(code=code, isReply=False)
        else:
            super().serverClose(code=code)

    def send_shared(self, frame: bytes, binary: bool = True) -> bool:
        """Write a frame (binary, or UTF-8 text) that many sockets are being sent; returns
        False, having sent nothing, unless the socket is open (the caller then sends through
        ASGI as usual)."""
        global _prepared
        if self.state != self.STATE_OPEN or self.muted:
            return False
        if _prepared is None or _prepared[0] is not frame or _prepared[1] != binary:
            _prepared = (frame, binary, self.factory.prepareMessage(frame, isBinary=binary))
        prepared = _prepared[2]
        if self._perMessageCompress is None:
            write_now(self.transport, prepared.payloadHybi)
        else:
            self.sendPreparedMessage(prepared)
        return True


def write_now(transport: Any, data: bytes) -> None:
    """Write to a TCP transport at once when nothing is queued before it.

    Twisted queues every write and sends it when the event loop next finds the socket
    writable: two epoll registrations and a loop turn per socket per frame, most of the cost
    of a fan-out. A socket with an empty queue almost always takes the whole frame now.
    Whatever it does not take (or any other transport) goes the usual way, in order.
    """
    sock = getattr(transport, "socket", None)
    if (
        sock is None
        or transport.dataBuffer
        or transport._tempDataBuffer
        or not transport.connected
        or transport.disconnecting
    ):
        transport.write(data)
        return
    try:
        sent = sock.send(data)
    except OSError:
        sent = 0  # full or failing: Twisted's own write path retries or reports the loss
    if sent < len(data):
        transport.write(data[sent:])
