"""``manage.py runweb``: one Daphne web process, configured for Collab.

Unlike plain ``daphne``, it raises Daphne's WebSocket size caps above Collab's own frame
limit (so an oversize frame gets Collab's 4413, not a bare 1009), and shuts down gracefully:
on SIGTERM or SIGINT it closes every document socket with 1012 (clients reconnect, to another
process if there is one), waits for pending commits, and only then stops.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger(__name__)

# Room above the largest accepted frame, so Collab's limit is the one clients meet.
FRAME_SLACK_BYTES = 64 * 1024

# Connections the kernel queues for Daphne to accept (capped by net.core.somaxconn). Twisted's
# default is 50: in a handshake storm (hundreds of clients reconnecting at once) the kernel
# drops the SYNs past it, and those clients retry only after 1 s, then 3 s more.
LISTEN_BACKLOG = 2048


class Command(BaseCommand):
    help = "Run one Daphne web process with Collab's limits and graceful shutdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--proxy-headers", action="store_true", help="Trust X-Forwarded-For (behind a proxy)."
        )

    def handle(self, *args: Any, host: str, port: int, proxy_headers: bool, **options: Any) -> None:
        # Importing Daphne's server installs Twisted's asyncio reactor: do it here, not at import.
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server  # noqa: F401  (installs the reactor first)
        from twisted.internet import reactor

        from collab import daphne_protocol
        from collab.asgi import application
        from collab.gc_tuning import tune_for_web_process
        from rooms.sync.runtime import shutdown_runtime

        daphne_protocol.install()
        cap = settings.COLLAB_MAX_FRAME_BYTES + FRAME_SLACK_BYTES
        server = daphne_protocol.CollabServer(
            application=application,
            endpoints=[
                f"{endpoint}:backlog={LISTEN_BACKLOG}"
                for endpoint in build_endpoint_description_strings(host=host, port=port)
            ],
            signal_handlers=False,
            websocket_max_message_size=cap,
            websocket_max_frame_size=cap,
            # Daphne's 5 s drops handshakes in a join storm (hundreds of sockets at once).
            websocket_handshake_timeout=30,
            proxy_forwarded_address_header="X-Forwarded-For" if proxy_headers else None,
            proxy_forwarded_port_header="X-Forwarded-Port" if proxy_headers else None,
            proxy_forwarded_proto_header="X-Forwarded-Proto" if proxy_headers else None,
        )
        loop: asyncio.AbstractEventLoop = reactor._asyncioEventloop
        tune_for_web_process(loop)
        stopping: list[asyncio.Task[None]] = []

        async def stop_gracefully() -> None:
            logger.info("stopping: closing sockets with 1012 and flushing commits")
            try:
                await shutdown_runtime(loop)
            finally:
                server.stop()

        def on_signal() -> None:
            if not stopping:
                stopping.append(loop.create_task(stop_gracefully()))

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, on_signal)
        self.stdout.write(f"Collab web process listening on http://{host}:{port}/")
        server.run()
