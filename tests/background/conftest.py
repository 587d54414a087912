"""Real background processes for the tests of Celery work: a real Daphne, real
``celery -A collab worker`` and ``celery -A collab beat`` processes, a real Redis broker, and
one throwaway database they and the test process all share. Nothing runs eagerly here.

``background_stack`` (module scope) yields a ``BackgroundStack``:

- ``server_url``, ``ws_url``: the Daphne serving the app (started once, kept running);
- ``seed``: the ids and API tokens of ``tests/e2e/seed.py`` (``seed["tokens"]["owner"]``,
  ``seed["room"]``, ``seed["documents"][...]``, ``seed["password"]``);
- ``env``: the environment for any subprocess of the stack (``DATABASE_URL`` when on
  PostgreSQL, ``REDIS_URL``, ``CELERY_BROKER_URL``, ``COLLAB_DATA_DIR``,
  ``COLLAB_WEBHOOKS_ALLOW_PRIVATE=1``);
- ``start_worker(**extra_env) -> subprocess.Popen``: a worker (solo pool, so one task at a
  time in the worker's own process, which ``kill_worker`` really kills), logging to
  ``data_dir / "worker-N.log"``; returns once the worker says it is ready. ``extra_env``
  overrides settings for that worker only (``COLLAB_WEBHOOK_RETRY_DELAYS="1,1"``). One worker
  at a time: starting another stops the running one first;
- ``kill_worker()`` (SIGKILL, nothing runs on the way out), ``stop_worker()`` (warm shutdown);
- ``start_beat(**extra_env)``, ``stop_beat()``: the scheduler, same conventions;
- ``worker_log()``: what the current (or last) worker wrote, for assertion messages;
- ``query(sql, params=()) -> list[tuple]``: reads the shared database from the test process.
  Write placeholders as ``%s`` on both databases; ``uuid.UUID`` parameters are converted to
  what each database stores (SQLite keeps UUIDs as 32 hex digits, so compare UUID columns
  read back with ``uuid.UUID(value)``);
- ``api(method, path, token, json=None) -> dict``: a REST call to ``/api/v1/{path}`` that
  fails the test on any status but 2xx; ``api_status(...) -> (status, body)`` for the others;
- ``wait_for(predicate, timeout, message)``: polls until ``predicate()`` is truthy.

The database is PostgreSQL (``postgres_database()``) when it is reachable, else (or with
``COLLAB_BACKGROUND_SQLITE=1`` in the test's environment) a migrated SQLite file in WAL mode.
Redis is required, as the real broker these tests are about: the stack skips without it.

``Receiver`` (and the ``receiver`` fixture) is a local HTTP server on 127.0.0.1 whose answers
are scripted per request (``Reply(status=500)``, ``Reply(hang=True)``,
``Reply(status=302, headers={"Location": ...})``; 200 once the script runs out) and which
records every request's path, headers and body.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    ROOT,
    Daphne,
    postgres_available,
    postgres_database,
    prepare_database,
    redis_available,
    redis_database,
    running,
    server_env,
    stop_process,
)


def wait_for(predicate: Callable[[], Any], timeout: float, message: str = "") -> Any:
    """Poll ``predicate`` until it returns something truthy; returns that, or fails."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {message}")
        time.sleep(0.1)


@dataclass
class BackgroundStack:
    server_url: str
    ws_url: str
    seed: dict[str, Any]
    env: dict[str, str]
    data_dir: Path
    database_url: str | None  # None: the SQLite file data_dir / "db.sqlite3"
    redis_url: str
    _worker: subprocess.Popen[bytes] | None = None
    _beat: subprocess.Popen[bytes] | None = None
    _worker_count: int = 0
    _worker_log: Path | None = None

    def wait_for(self, predicate: Callable[[], Any], timeout: float, message: str = "") -> Any:
        return wait_for(predicate, timeout, message)

    # --- worker and beat -----------------------------------------------------------------

    def _spawn(self, args: list[str], log_path: Path, extra_env: dict[str, str]) -> Any:
        env = {**self.env, **{key: str(value) for key, value in extra_env.items()}}
        with open(log_path, "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "collab", *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def start_worker(self, **extra_env: str) -> subprocess.Popen[bytes]:
        """A real worker; returns once it is ready to take tasks."""
        self.stop_worker()
        self._worker_count += 1
        log_path = self.data_dir / f"worker-{self._worker_count}.log"
        self._worker_log = log_path
        self._worker = self._spawn(
            [
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{self._worker_count}@%h",
            ],
            log_path,
            extra_env,
        )
        worker = self._worker
        wait_for(
            lambda: worker.poll() is not None or " ready." in self.worker_log(),
            60,
            "the worker did not start",
        )
        assert worker.poll() is None, f"the worker exited:\n{self.worker_log()}"
        return worker

    def kill_worker(self) -> None:
        """SIGKILL the worker: a task it was running is neither finished nor acknowledged."""
        if self._worker is not None and self._worker.poll() is None:
            self._worker.send_signal(signal.SIGKILL)
            self._worker.wait(timeout=10)
        self._worker = None

    def stop_worker(self) -> None:
        """Warm shutdown: the worker finishes its current task, then exits."""
        stop_process(self._worker, timeout=30)
        self._worker = None

    def worker_log(self) -> str:
        if self._worker_log is None or not self._worker_log.exists():
            return ""
        return self._worker_log.read_text(errors="replace")

    def start_beat(self, **extra_env: str) -> subprocess.Popen[bytes]:
        self.stop_beat()
        self._beat = self._spawn(
            [
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.data_dir / f"beat-schedule-{uuid.uuid4().hex[:8]}"),
            ],
            self.data_dir / "beat.log",
            extra_env,
        )
        return self._beat

    def stop_beat(self) -> None:
        stop_process(self._beat)
        self._beat = None

    # --- the shared database ---------------------------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (placeholders ``%s``) as the shared database holds them now."""
        if self.database_url is not None:
            import psycopg

            with psycopg.connect(self.database_url, connect_timeout=5) as connection:
                return [tuple(row) for row in connection.execute(sql, tuple(params)).fetchall()]
        path = self.data_dir / "db.sqlite3"
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)
        try:
            converted = tuple(p.hex if isinstance(p, uuid.UUID) else p for p in params)
            rows = connection.execute(sql.replace("%s", "?"), converted).fetchall()
            return [tuple(row) for row in rows]
        finally:
            connection.close()

    # --- REST ------------------------------------------------------------------------------

    def api_status(
        self,
        method: str,
        path: str,
        token: str | None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """``(status, parsed JSON body or None)`` of a call to ``/api/v1/{path}``."""
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            f"{self.server_url}/api/v1/{path}",
            method=method,
            data=None if json is None else jsonlib.dumps(json).encode(),
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, (jsonlib.loads(raw) if raw else None)

    def api(
        self,
        method: str,
        path: str,
        token: str | None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        status, body = self.api_status(method, path, token, json, headers)
        assert 200 <= status < 300, f"{method} {path}: {status} {body}"
        return body


@pytest.fixture(scope="module")
def background_stack(tmp_path_factory) -> Iterator[BackgroundStack]:
    if not redis_available():
        pytest.skip("needs Redis on 127.0.0.1:6379 as the Celery broker (see .ci/run)")
    data_dir = tmp_path_factory.mktemp("background")
    with contextlib.ExitStack() as stack:
        use_postgres = postgres_available() and not os.environ.get("COLLAB_BACKGROUND_SQLITE")
        database_url = stack.enter_context(postgres_database()) if use_postgres else None
        redis_url = stack.enter_context(redis_database())
        env = server_env(data_dir)
        env.update(
            REDIS_URL=redis_url,
            CELERY_BROKER_URL=redis_url,
            COLLAB_WEBHOOKS_ALLOW_PRIVATE="1",
            # Worker logs go to files the tests read.
            PYTHONUNBUFFERED="1",
        )
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        if database_url is not None:
            env["DATABASE_URL"] = database_url
        seed = prepare_database(env)
        daphne = Daphne(env=env, log_path=data_dir / "daphne.log")
        background = BackgroundStack(
            server_url=daphne.url,
            ws_url=daphne.ws_url,
            seed=seed,
            env=env,
            data_dir=data_dir,
            database_url=database_url,
            redis_url=redis_url,
        )
        with running(daphne):
            try:
                yield background
            finally:
                background.stop_worker()
                background.stop_beat()


# --- a scripted HTTP receiver ------------------------------------------------------------------


@dataclass
class Reply:
    """One scripted answer. ``hang``: say nothing until the receiver closes (or ``delay``
    seconds pass), so the caller's timeout is what ends the request."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    delay: float = 0.0
    trickle: float = 0.0  # seconds between the bytes of the answer, sent one at a time


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float

    def json(self) -> Any:
        return jsonlib.loads(self.body)


class Receiver:
    """A threaded HTTP server on 127.0.0.1 that answers each request with the next scripted
    ``Reply`` (200 once the script is used up) and records every request."""

    def __init__(self, script: list[Reply] | None = None) -> None:
        self.script: list[Reply] = list(script or [])
        self.requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = receiver._record(self, body)
                if reply.trickle:
                    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 10_000:
                        if receiver._closing.wait(reply.trickle):
                            return
                        try:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                        except OSError:
                            return
                    return
                if reply.hang or reply.delay:
                    receiver._closing.wait(reply.delay or None)
                    if reply.hang:
                        return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        with self._lock:
            self.requests.append(
                ReceivedRequest(
                    method=handler.command,
                    path=handler.path,
                    headers={name: value for name, value in handler.headers.items()},
                    body=body,
                    received_at=time.monotonic(),
                )
            )
            return self.script.pop(0) if self.script else Reply()

    def wait_requests(self, count: int, timeout: float) -> list[ReceivedRequest]:
        """The first ``count`` requests, once that many have arrived."""
        wait_for(lambda: len(self.requests) >= count, timeout, f"{count} requests to arrive")
        with self._lock:
            return list(self.requests[:count])

    def close(self) -> None:
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver that answers 200 to everything; set ``receiver.script`` to script it."""
    server = Receiver()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def make_receiver() -> Iterator[Callable[..., Receiver]]:
    """``make_receiver([Reply(status=500), ...])``: more receivers, all closed afterwards."""
    made: list[Receiver] = []

    def make(script: list[Reply] | None = None) -> Receiver:
        server = Receiver(script)
        made.append(server)
        return server

    try:
        yield make
    finally:
        for server in made:
            server.close()
