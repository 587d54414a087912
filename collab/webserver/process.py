"""One Daphne web process, configured for Collab, from start-up checks to graceful stop.

Unlike plain ``daphne`` it checks the libraries first (``compat.check``), sets Daphne's
WebSocket size cap well above Collab's own frame limit (``websocket_payload_cap``), and stops
gracefully: on SIGTERM or SIGINT it awaits the caller's
``on_stop`` (Collab closes its sockets with 1012 and flushes commits) and only then stops.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from collab.webserver import compat

logger = logging.getLogger(__name__)

# Room above the largest accepted frame: Collab reads every frame up to its limit plus this and
# answers 4413; only past it does autobahn refuse to read on (1009).
FRAME_SLACK_BYTES = 1024 * 1024

# Connections the kernel queues for Daphne to accept (capped by net.core.somaxconn). Twisted's
# default is 50: in a handshake storm (hundreds of clients reconnecting at once) the kernel
# drops the SYNs past it, and those clients retry only after 1 s, then 3 s more.
LISTEN_BACKLOG = 2048

# Daphne's 5 s drops handshakes in a join storm (hundreds of sockets at once).
HANDSHAKE_TIMEOUT_SECONDS = 30


def websocket_payload_cap(max_frame_bytes: int) -> int:
    """The largest WebSocket message or frame Daphne reads (autobahn's
    ``maxMessagePayloadSize`` and ``maxFramePayloadSize``) when Collab's largest accepted frame
    is ``max_frame_bytes``. Up to it the application sees the frame (and answers 4413 past its
    own limit); past it autobahn closes with 1009, message too big."""
    return max_frame_bytes + FRAME_SLACK_BYTES


def run_web_process(
    *,
    application: Any,
    host: str,
    port: int,
    proxy_headers: bool,
    max_frame_bytes: int,
    on_stop: Callable[[asyncio.AbstractEventLoop], Awaitable[None]],
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Serve ``application`` on ``host:port`` until SIGTERM or SIGINT, then await
    ``on_stop(loop)`` and return. Raises ``compat.IncompatibleWebServer`` before serving
    anything if the installed libraries are not the tested ones."""
    compat.check()
    # Imported only once the versions are checked: an untested Daphne or Twisted should fail
    # with the check's explanation, not with an import error from their internals.
    from daphne.endpoints import build_endpoint_description_strings

    from collab.webserver.gc_tuning import tune_for_web_process
    from collab.webserver.reactor import reactor_loop
    from collab.webserver.server import CollabServer, install

    install()
    cap = websocket_payload_cap(max_frame_bytes)
    server = CollabServer(
        application=application,
        endpoints=[
            f"{endpoint}:backlog={LISTEN_BACKLOG}"
            for endpoint in build_endpoint_description_strings(host=host, port=port)
        ],
        signal_handlers=False,
        websocket_max_message_size=cap,
        websocket_max_frame_size=cap,
        websocket_handshake_timeout=HANDSHAKE_TIMEOUT_SECONDS,
        proxy_forwarded_address_header="X-Forwarded-For" if proxy_headers else None,
        proxy_forwarded_port_header="X-Forwarded-Port" if proxy_headers else None,
        proxy_forwarded_proto_header="X-Forwarded-Proto" if proxy_headers else None,
    )
    loop = reactor_loop()
    tune_for_web_process(loop)
    stopping: list[asyncio.Task[None]] = []

    async def stop_gracefully() -> None:
        logger.info("stopping: closing sockets with 1012 and flushing commits")
        try:
            await on_stop(loop)
        finally:
            server.stop()

    def on_signal() -> None:
        if not stopping:
            stopping.append(loop.create_task(stop_gracefully()))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal)
    ready()
    server.run()
