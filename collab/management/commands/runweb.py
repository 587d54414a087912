"""``manage.py runweb``: one Daphne web process, configured for Collab (``collab.webserver``).

It checks the web server's libraries first and refuses to start, naming what does not match,
if they are not the tested ones. On SIGTERM or SIGINT it closes every document socket with
1012 (clients reconnect, to another process if there is one), waits for pending commits, and
only then stops.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from collab.webserver.compat import IncompatibleWebServer


class Command(BaseCommand):
    help = "Run one Daphne web process with Collab's limits and graceful shutdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--proxy-headers", action="store_true", help="Trust X-Forwarded-For (behind a proxy)."
        )

    def handle(self, *args: Any, host: str, port: int, proxy_headers: bool, **options: Any) -> None:
        from collab.asgi import application
        from collab.webserver.process import run_web_process
        from rooms.sync.runtime import shutdown_runtime

        try:
            run_web_process(
                application=application,
                host=host,
                port=port,
                proxy_headers=proxy_headers,
                # The larger of the two sockets' limits: Daphne's cap covers every socket.
                max_frame_bytes=max(
                    settings.COLLAB_MAX_FRAME_BYTES, settings.COLLAB_MAX_ROOM_FRAME_BYTES
                ),
                on_stop=shutdown_runtime,
                ready=lambda: self.stdout.write(
                    f"Collab web process listening on http://{host}:{port}/"
                ),
            )
        except IncompatibleWebServer as error:
            raise CommandError(str(error)) from error
