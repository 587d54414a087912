"""The README's run command: ``manage.py serve`` brings up Daphne, a Celery worker and beat
on the embedded default, and stops them all on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import ROOT, free_port, server_env

pytestmark = pytest.mark.e2e


def test_serve_runs_web_worker_and_beat_and_stops_them_together(tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=server_env(tmp_path),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            body = b""
            while time.monotonic() < deadline:
                output = log_path.read_text(errors="replace")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                        body = response.read()
                except OSError:
                    pass
                if body and "ready." in output and "beat: Starting" in output:
                    break
                time.sleep(0.3)
            assert body == b'{"status": "ok"}', output
            assert "ready." in output and "beat: Starting" in output, output
            assert (tmp_path / "db.sqlite3").exists()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0, log_path.read_text(errors="replace")
