"""The probes: ``/healthz`` (the process is up) and ``/readyz`` (its database and Redis answer),
against the real services, unreachable ones and one that hangs."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from tests.collab.process_env import django_process_env
from tests.e2e.conftest import (
    ROOT,
    free_port,
    postgres_available,
    postgres_database,
    redis_available,
    redis_database,
)

pytestmark = pytest.mark.django_db

# Runs Django with the environment it is given and prints /readyz's status and body: how a
# real process on an unreachable database behaves, whatever this test process is set up with.
READYZ_IN_A_PROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def readyz_in_a_process(tmp_path: Path, **env: str) -> tuple[int, dict]:
    environment = django_process_env(tmp_path, **env)
    done = subprocess.run(
        [sys.executable, "-c", READYZ_IN_A_PROCESS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]


def test_healthz_answers_without_a_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_on_the_configured_services_without_a_login(settings):
    response = Client().get("/readyz")
    assert response.status_code == 200
    expected_redis = "ok" if settings.REDIS_URL else "not configured"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": expected_redis},
    }


@pytest.mark.skipif(
    not (postgres_available() and redis_available()), reason="needs PostgreSQL and Redis"
)
def test_readyz_is_ok_on_real_postgresql_and_redis(tmp_path):
    with postgres_database() as database_url, redis_database() as redis_url:
        status, body = readyz_in_a_process(tmp_path, DATABASE_URL=database_url, REDIS_URL=redis_url)
    assert status == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_503_when_redis_is_unreachable(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["code"] == "not_ready"
    assert body["detail"] == "Not ready: redis unavailable."
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ConnectionError:")


def test_readyz_gives_up_on_a_redis_that_never_answers(settings):
    # A socket that accepts connections (the kernel's backlog does) and never replies.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.REDIS_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()
        response = Client().get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error: TimeoutError:")
    assert elapsed < 5


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    closed = free_port()
    status, body = readyz_in_a_process(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/collab"
    )
    assert status == 503
    assert body["code"] == "not_ready"
    assert body["detail"] == "Not ready: database unavailable."
    assert body["checks"]["redis"] == "not configured"
    assert body["checks"]["database"].startswith("error: OperationalError:")
    assert f"port {closed} failed" in body["checks"]["database"]
