"""A Redis server and a PostgreSQL cluster of a test's own, on free ports, which a fault test
may stop and start freely (never the shared 6379 and 5432 that other tests use)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import free_port, stop_process

PG_USER = "postgres"  # initdb and postgres refuse to run as root: the cluster belongs to this user


def wait_for(argv: list[str], what: str, timeout: float = 30) -> None:
    """Run ``argv`` until it succeeds; ``RuntimeError`` naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(argv, capture_output=True, timeout=5).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up")


class PrivateRedis:
    """A redis-server keeping nothing on disk; ``stop()`` and ``start()`` reuse its port, so
    the processes using it see an outage and then the same server back (empty)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(["redis-cli", "-p", str(self.port), "ping"], "redis")

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"no PostgreSQL {name} under /usr/lib/postgresql")
    return found[-1]


def _as_pg_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *argv] if os.geteuid() == 0 else argv


class PrivatePostgres:
    """A temporary cluster (initdb in a temporary folder) with a database ``collab``;
    ``restart(away)`` stops it with ``pg_ctl -m fast`` (live connections are cut, as in an
    outage), waits ``away`` seconds and starts it again."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="collab-private-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/collab"
        if os.geteuid() == 0:
            shutil.chown(self.dir, PG_USER, PG_USER)

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            _as_pg_user([_pg_bin("pg_ctl"), "-D", str(self.data), "-w", *args]),
            check=True,
            timeout=timeout,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._ctl("-o", options, "-l", str(self.dir / "pg.log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self, away: float = 0.0) -> None:
        self.stop()
        time.sleep(away)
        self.start()

    def __enter__(self) -> PrivatePostgres:
        subprocess.run(
            _as_pg_user(
                [_pg_bin("initdb"), "-D", str(self.data), "-U", PG_USER, "-A", "trust", "--no-sync"]
            ),
            check=True,
            timeout=120,
            capture_output=True,
        )
        self.start()
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "collab"],
            check=True,
            timeout=30,
            capture_output=True,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
