"""``manage.py serve``: the whole product in one command.

Builds the browser app if it is missing or older than its sources (``npm ci``, ``npm run
build`` in ``frontend/``), migrates the database, collects static files, then runs Daphne, a
Celery worker and Celery beat side by side until interrupted. If one of them dies, the others
are stopped too, so a half-running product never goes unnoticed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from collab.frontend import FrontendBuildError, ensure_built


class Command(BaseCommand):
    help = "Run Collab: Daphne, a Celery worker and Celery beat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Run Daphne alone.")
        parser.add_argument(
            "--no-build", action="store_true", help="Serve the web app as built, even if stale."
        )

    def handle(
        self, *args: Any, host: str, port: int, no_worker: bool, no_build: bool, **options: Any
    ) -> None:
        if not no_build:
            try:
                if ensure_built(say=self.stdout.write):
                    self.stdout.write("The web app is built.")
            except FrontendBuildError as error:
                raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        python = sys.executable
        # In a process of its own: this one read STATICFILES_DIRS before the app was built.
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], check=True
        )
        commands = [[python, "manage.py", "runweb", "--host", host, "--port", str(port)]]
        if not no_worker:
            schedule = settings.DATA_DIR / "celerybeat-schedule"
            commands += [
                [python, "-m", "celery", "-A", "collab", "worker", "-l", "info", "-c", "2"],
                [python, "-m", "celery", "-A", "collab", "beat", "-l", "info", "-s", str(schedule)],
            ]
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603
        self.stdout.write(
            f"Collab is up at http://{host}:{port}/ (admin at /admin/, API docs at /api/docs)"
        )
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [child.args for child in children if child.returncode not in (0, -15, None)]
        if failed and not stopping:
            raise SystemExit(f"A process of Collab stopped unexpectedly: {failed}")
