"""A real Collab server (Daphne in its own process, on its own SQLite file) for end-to-end
tests, and a runner for the Node Yjs clients.

Also the pieces the multi-process and durability tests assemble themselves: a Daphne process
that can be killed and restarted on the same port, a throwaway PostgreSQL database and Redis
database, a long-running Node session that talks over stdin/stdout, and a reader of a
document's update log straight from the database.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import queue
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
NODE_CLIENTS = Path(__file__).parent / "node" / "yclients.cjs"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
FRESH_DATABASE_PREFIX = "collab_e2e_"
REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
MARKER = re.compile(r"\[c\d+-\d+\]")


def stop_process(process: subprocess.Popen[Any] | None, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


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
    data_dir: Path | None = None  # its SQLite file is data_dir / "db.sqlite3"


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(COLLAB_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="collab.settings")
    return env


def prepare_database(env: dict[str, str]) -> dict[str, Any]:
    """Migrate the database ``env`` points at and seed it; returns the seed's ids and tokens.

    The database is a copy of one migrated and seeded once per test process (each migration
    and seed is seconds of CPU, and a run starts dozens of servers): a SQLite file copied, or
    a fresh database of ``postgres_database`` made again from a PostgreSQL template. Any other
    database is migrated and seeded in place."""
    url = env.get("DATABASE_URL")
    if url is not None:
        name = url.rsplit("/", 1)[-1]
        if not (url.startswith(LOCAL_POSTGRES) and name.startswith(FRESH_DATABASE_PREFIX)):
            return _migrate_and_seed(env)
        template, seed = _postgres_template()
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return seed
    template, seed = _sqlite_template()
    with (
        sqlite3.connect(template) as source,
        sqlite3.connect(Path(env["COLLAB_DATA_DIR"]) / "db.sqlite3") as copy,
    ):
        source.backup(copy)
    return seed


def _migrate_and_seed(env: dict[str, str]) -> dict[str, Any]:
    run = dict(cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    seed = subprocess.run([sys.executable, "-m", "tests.e2e.seed"], **run).stdout
    return dict(json.loads(seed))


@functools.cache
def _postgres_template() -> tuple[str, dict[str, Any]]:
    """The migrated and seeded PostgreSQL database this process copies, and its seed."""
    name = f"{FRESH_DATABASE_PREFIX}template_{os.getpid()}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop_database, name)
    data_dir = Path(tempfile.mkdtemp(prefix="collab-e2e-template-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    env = {**server_env(data_dir), "DATABASE_URL": f"{LOCAL_POSTGRES}{name}"}
    return name, _migrate_and_seed(env)


def _drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@functools.cache
def _sqlite_template() -> tuple[Path, dict[str, Any]]:
    """The migrated and seeded SQLite database this process copies, and its seed."""
    data_dir = Path(tempfile.mkdtemp(prefix="collab-e2e-template-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    seed = _migrate_and_seed(server_env(data_dir))
    return data_dir / "db.sqlite3", seed


class Daphne:
    """One Daphne process on a fixed port, which a test may SIGKILL and start again."""

    def __init__(self, *, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        self.env = env
        self.log_path = log_path
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws/docs"

    def start(self, timeout: float = 90) -> None:
        """Start the process and return once it answers ``/healthz``."""
        assert self.process is None or self.process.poll() is not None, "already running"
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== web process starting on port {self.port}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                # The production web process: Daphne with Collab's limits and shutdown.
                [sys.executable, "manage.py", "runweb", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"Daphne did not come up:\n{self.log()}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, whatever was not committed is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def running(*servers: Daphne) -> Iterator[tuple[Daphne, ...]]:
    """Start the servers; always stop them, whatever the test did."""
    try:
        for daphne in servers:
            daphne.start()
        yield servers
    finally:
        for daphne in servers:
            daphne.stop()


@contextlib.contextmanager
def server_running(data_dir: Path, **settings: str) -> Iterator[Server]:
    """A seeded server on its own SQLite file in ``data_dir``, with these settings
    (environment variables) over the defaults."""
    env = {**server_env(data_dir), **settings}
    seed = prepare_database(env)
    daphne = Daphne(env=env, log_path=data_dir / "daphne.log")
    with running(daphne):
        assert daphne.process is not None
        yield Server(
            url=daphne.url,
            ws_url=daphne.ws_url,
            seed=seed,
            process=daphne.process,
            data_dir=data_dir,
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    with server_running(tmp_path_factory.mktemp("server-data")) as running_server:
        yield running_server


def node_env() -> dict[str, str]:
    return {**os.environ, "COLLAB_FRONTEND": str(FRONTEND)}


def run_node(
    scenario: str, args: dict[str, Any], timeout: float = 60, script: Path = NODE_CLIENTS
) -> dict[str, Any]:
    """Run one scenario of a Node client script (the Yjs clients unless ``script`` says
    otherwise); returns what it printed last, as JSON."""
    result = subprocess.run(
        ["node", str(script), scenario, json.dumps(args)],
        env=node_env(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return dict(json.loads(result.stdout.decode().strip().splitlines()[-1]))


class NodeSession:
    """A scenario that runs while the test acts on the server: it prints JSON lines (events,
    then its result last) and reads commands, one per line, on stdin."""

    def __init__(self, scenario: str, args: dict[str, Any], script: Path = NODE_CLIENTS) -> None:
        self.process = subprocess.Popen(
            ["node", str(script), scenario, json.dumps(args)],
            env=node_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                if line.strip():
                    try:
                        self.lines.put(json.loads(line))
                    except ValueError:
                        self.stderr.append(b"unreadable output: " + line[:500] + b"\n")
        finally:
            self.lines.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def next_line(self, timeout: float) -> dict[str, Any]:
        """The next line the scenario printed; fails if it exits or stays silent."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"Node said nothing for {timeout} s: {self.errors()}") from None
        if line is None:
            self.process.wait(timeout=10)
            raise AssertionError(f"Node exited ({self.process.returncode}): {self.errors()}")
        return line

    def wait_event(self, name: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if line.get("event") == name:
                return line

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        self.process.stdin.flush()

    def result(self, timeout: float) -> dict[str, Any]:
        """The scenario's last line, once it has exited successfully."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if "event" not in line:
                self.process.wait(timeout=10)
                assert self.process.returncode == 0, self.errors()
                return line

    def errors(self) -> str:
        return b"".join(self.stderr).decode(errors="replace")[-4000:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@contextlib.contextmanager
def node_session(
    scenario: str, args: dict[str, Any], script: Path = NODE_CLIENTS
) -> Iterator[NodeSession]:
    session = NodeSession(scenario, args, script)
    try:
        yield session
    finally:
        session.close()


def api_request(
    server_url: str, token: str, method: str, path: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{server_url}/api/v1/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def document_create(server_url: str, seed: dict[str, Any], title: str) -> str:
    """A new text document in the seeded room, made by its owner through the REST API."""
    token = seed["tokens"]["owner"]
    room = api_request(server_url, token, "GET", f"documents/{seed['documents']['converge']}")
    created = api_request(
        server_url,
        token,
        "POST",
        f"rooms/{room['room']}/documents",
        {"title": title, "kind": "text"},
    )
    return str(created["id"])


# --- PostgreSQL and Redis --------------------------------------------------------------------


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; yields its URL and drops it afterwards."""
    name = f"{FRESH_DATABASE_PREFIX}{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{LOCAL_POSTGRES}{name}"
    finally:
        _drop_database(name)


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3).ping())
    except Exception:
        return False


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database numbered 2 to 15 (CI's own runs use 0 and 1), preferably an empty
    one, flushed before and after use; yields its URL."""
    import redis

    numbers = list(range(2, 16))
    random.shuffle(numbers)
    chosen = next(
        (n for n in numbers if redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=n).dbsize() == 0),
        numbers[0],
    )
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=chosen, socket_timeout=5)
    client.flushdb()
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{chosen}"
    finally:
        client.flushdb()
        client.close()


@dataclass
class SharedServices:
    """One PostgreSQL database and one Redis database, migrated and seeded, which every
    Daphne process a test starts shares (compose.yaml's production shape)."""

    env: dict[str, str]
    database_url: str
    seed: dict[str, Any]
    data_dir: Path

    def daphnes(self, name: str, count: int, **extra_env: str) -> list[Daphne]:
        env = {**self.env, **extra_env}
        return [
            Daphne(env=env, log_path=self.data_dir / f"{name}-{chr(ord('a') + i)}.log")
            for i in range(count)
        ]


@pytest.fixture(scope="session")
def postgres_and_redis(tmp_path_factory) -> Iterator[SharedServices]:
    if not (postgres_available() and redis_available()):
        pytest.skip("needs PostgreSQL and Redis on 127.0.0.1 (see .ci/run)")
    data_dir = tmp_path_factory.mktemp("postgres-and-redis")
    with postgres_database() as database_url, redis_database() as redis_url:
        env = server_env(data_dir)
        env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url)
        yield SharedServices(
            env=env, database_url=database_url, seed=prepare_database(env), data_dir=data_dir
        )


# --- the update log, read straight from the database -----------------------------------------


@dataclass
class StoredLog:
    """A document's row, its compacted state and its logged updates, as the database holds
    them."""

    last_seq: int
    state_seq: int
    state: bytes | None
    updates: list[tuple[int, bytes]]

    def text(self, name: str = "text") -> str:
        """The document's text, rebuilt from the state and the log alone."""
        from pycrdt import Doc, Text

        doc: Doc[Any] = Doc()
        if self.state:
            doc.apply_update(self.state)
        for _, update in self.updates:
            doc.apply_update(update)
        return str(doc.get(name, type=Text))


_LOG_QUERIES = (
    "SELECT last_seq FROM rooms_document WHERE id = {p}",
    "SELECT seq, data FROM rooms_documentstate WHERE document_id = {p}",
    "SELECT seq, data FROM rooms_documentupdate WHERE document_id = {p} ORDER BY seq",
)


def stored_log_postgres(database_url: str, document_id: str) -> StoredLog:
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        key = uuid.UUID(document_id)
        rows = [connection.execute(q.format(p="%s"), (key,)).fetchall() for q in _LOG_QUERIES]
    return _stored_log(*rows)


def stored_log_sqlite(path: Path, document_id: str) -> StoredLog:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)
    try:
        key = uuid.UUID(document_id).hex  # Django keeps UUIDs in SQLite as 32 hex digits
        rows = [connection.execute(q.format(p="?"), (key,)).fetchall() for q in _LOG_QUERIES]
    finally:
        connection.close()
    return _stored_log(*rows)


def _stored_log(document: list[Any], state: list[Any], updates: list[Any]) -> StoredLog:
    assert document, "the document row is missing"
    return StoredLog(
        last_seq=int(document[0][0]),
        state_seq=int(state[0][0]) if state else 0,
        state=bytes(state[0][1]) if state else None,
        updates=[(int(seq), bytes(data)) for seq, data in updates],
    )


def markers_of(text: str) -> list[str]:
    """The insert markers (``[c2-17]``) of a text, in order, duplicates included."""
    return MARKER.findall(text)


# --- the browser app -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def frontend_built() -> Path:
    """The web app built into ``frontend/dist`` (built now if missing or stale), so a server
    started after this fixture serves it. Fails, never skips, if it cannot be built."""
    from collab.frontend import MANIFEST, FrontendBuildError, ensure_built

    try:
        ensure_built()
    except FrontendBuildError as error:
        pytest.fail(f"The web app could not be built: {error}")
    return MANIFEST


def content_write(server_url: str, token: str, document_id: str, markdown: str) -> None:
    """Replace a text document's content through the REST API (live editors see it)."""
    api_request(
        server_url,
        token,
        "POST",
        f"documents/{document_id}/content",
        {"mode": "replace", "markdown": markdown},
    )


def content_text(server_url: str, token: str, document_id: str) -> str:
    """A text document's content as the server holds it, as plain text."""
    body = api_request(server_url, token, "GET", f"documents/{document_id}/content?format=text")
    return str(body["content"])
