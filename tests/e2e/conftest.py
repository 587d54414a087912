"""A real Collab server (Daphne in its own process, on its own SQLite file) for end-to-end
tests, and a runner for the Node Yjs clients."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
NODE_CLIENTS = Path(__file__).parent / "node" / "yclients.cjs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    ws_url: str
    seed: dict[str, Any]
    process: subprocess.Popen[bytes]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(COLLAB_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="collab.settings")
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    data_dir = tmp_path_factory.mktemp("server-data")
    env = server_env(data_dir)
    run = dict(cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    seed = json.loads(subprocess.run([sys.executable, "-m", "tests.e2e.seed"], **run).stdout)
    port = free_port()
    log = open(data_dir / "daphne.log", "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "collab.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError((data_dir / "daphne.log").read_text()) from None
            time.sleep(0.1)
    yield Server(url=url, ws_url=f"ws://127.0.0.1:{port}/ws/docs", seed=seed, process=process)
    process.terminate()
    process.wait(timeout=10)
    log.close()


def run_node(scenario: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one scenario of the Node Yjs clients; returns what it printed."""
    result = subprocess.run(
        ["node", str(NODE_CLIENTS), scenario, json.dumps(args)],
        env={**os.environ, "COLLAB_FRONTEND": str(FRONTEND)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return dict(json.loads(result.stdout.decode().strip().splitlines()[-1]))
