"""``manage.py runweb`` on SIGTERM: sockets are told 1012 (reconnect), pending commits are
flushed, and the process exits cleanly."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import FRONTEND, ROOT, free_port, prepare_database, server_env

pytestmark = pytest.mark.e2e

CLIENT = ROOT / "tests" / "e2e" / "node" / "sigterm_client.cjs"


def wait_for_health(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the web process did not come up")


def test_sigterm_tells_clients_1012_and_keeps_every_accepted_edit(tmp_path):
    env = server_env(tmp_path)
    seed = prepare_database(env)
    port = free_port()
    log_path = tmp_path / "web.log"
    log = open(log_path, "wb")
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runweb", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = None
    try:
        wait_for_health(f"http://127.0.0.1:{port}", web)
        document = seed["documents"]["converge"]
        client = subprocess.Popen(
            [
                "node",
                str(CLIENT),
                json.dumps(
                    {
                        "server": f"ws://127.0.0.1:{port}/ws/docs",
                        "document": document,
                        "token": seed["tokens"]["editor"],
                    }
                ),
            ],
            env={**os.environ, "COLLAB_FRONTEND": str(FRONTEND)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert client.stdout.readline().strip() == b"synced"
        web.send_signal(signal.SIGTERM)
        line = client.stdout.readline()
        assert line, log_path.read_text() + client.stderr.read().decode()
        assert json.loads(line) == {"code": 1012, "text": "written before SIGTERM"}
        assert web.wait(timeout=20) == 0, log_path.read_text()
    finally:
        log.close()
        for process in (client, web):
            if process is not None and process.poll() is None:
                process.kill()
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        (count,) = database.execute(
            "SELECT count(*) FROM rooms_documentupdate WHERE document_id = ?",
            (document.replace("-", ""),),
        ).fetchone()
    assert count == 1
