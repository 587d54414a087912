"""The pieces every benchmark assembles: a fresh database, the seed, one web process, the Node
load generator, and a sampler of CPU and memory read from /proc.

Every subprocess has a timeout and is stopped (SIGTERM, then SIGKILL) by whoever started it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RUNS = BENCH / ".runs"
LOADGEN = BENCH / "loadgen.cjs"
ROOMLOAD = BENCH / "roomload.cjs"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {"nproc": os.cpu_count(), "ram_gib": round(mem_kib / 2**20, 1), "cpu": cpu}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_busy_percent(seconds: float = 3.0) -> float:
    """How busy the whole machine's CPUs are over the next ``seconds``."""
    busy0, total0 = machine_busy()
    time.sleep(seconds)
    busy1, total1 = machine_busy()
    return 100 * (busy1 - busy0) / max(total1 - total0, 1e-9)


def wait_until_quiet(threshold: float, patience: float) -> float:
    """Wait (at most ``patience`` seconds) until the machine's CPUs are less than
    ``threshold`` % busy over 3 s, so other work does not skew a run; returns the last busy %."""
    deadline = time.monotonic() + patience
    while True:
        busy = machine_busy_percent()
        if busy < threshold or time.monotonic() > deadline:
            return round(busy, 1)
        time.sleep(2)


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    diff = git("diff", "HEAD", "--", ".", ":(exclude)bench")
    if not diff:
        return commit
    digest = hashlib.sha1(diff.encode(), usedforsecurity=False).hexdigest()[:10]
    return f"{commit} + uncommitted changes outside bench/ (diff sha1 {digest})"


# --- a fresh database -------------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "sqlite" or "postgres"
    env: dict[str, str]
    data_dir: Path
    url: str | None = None

    @property
    def name(self) -> str | None:
        """The PostgreSQL database's name (``None`` on SQLite)."""
        return self.url.rsplit("/", 1)[1] if self.url else None

    def count_updates(self) -> int:
        """Rows in the update log, read straight from the database."""
        query = "SELECT count(*) FROM rooms_documentupdate"
        row: Any
        if self.url:
            import psycopg

            with psycopg.connect(self.url, connect_timeout=5) as pg:
                row = pg.execute(query).fetchone()
        else:
            path = self.data_dir / "db.sqlite3"
            lite = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)
            try:
                row = lite.execute(query).fetchone()
            finally:
                lite.close()
        assert row is not None
        return int(row[0])

    def pg_counters(self) -> dict[str, int] | None:
        """PostgreSQL's count of sessions opened and transactions committed in this database
        so far (``None`` on SQLite)."""
        if not self.url:
            return None
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as pg:
            row = pg.execute(
                "SELECT sessions, xact_commit FROM pg_stat_database"
                " WHERE datname = current_database()"
            ).fetchone()
        assert row is not None
        return {"sessions": int(row[0]), "xact_commit": int(row[1])}


@contextlib.contextmanager
def fresh_database(kind: str, label: str, keep: bool) -> Iterator[Database]:
    """A new data folder (and for PostgreSQL a new database, dropped afterwards), migrated."""
    import shutil

    data_dir = RUNS / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}-{kind}"
    data_dir.mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # Production settings, except that plain http is served: the benchmark stays on 127.0.0.1.
    env.update(
        COLLAB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="collab.settings",
        DEBUG="0",
        SECRET_KEY="bench-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
    )
    name = f"collab_bench_{uuid.uuid4().hex[:12]}"
    database = Database(kind=kind, env=env, data_dir=data_dir)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        database.url = env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        python(["manage.py", "migrate", "--noinput"], env, timeout=300)
        yield database
    finally:
        if kind == "postgres":
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not keep:
            # Keep the logs (small) for reading after the fact; drop the database.
            logs = RUNS / "logs" / data_dir.name
            logs.mkdir(parents=True, exist_ok=True)
            for log in [*data_dir.glob("*.log"), *data_dir.glob("*.stderr")]:
                shutil.copy(log, logs / log.name)
            shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def fresh_redis() -> Iterator[str]:
    """A Redis database numbered 2 to 15 (0 and 1 are CI's), an empty one if there is one,
    flushed before and after; yields its URL."""
    import random

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


def python(argv: list[str], env: dict[str, str], timeout: float) -> str:
    """Run the project's Python with ``argv`` from the project folder; returns its stdout."""
    result = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def seed(database: Database, **options: Any) -> dict[str, Any]:
    out = database.data_dir / "seed.json"
    argv = ["-m", "bench.seed", "--out", str(out)]
    for key, value in options.items():
        if value is not None:
            argv += [f"--{key.replace('_', '-')}", str(value)]
    python(argv, database.env, timeout=900)
    return dict(json.loads(out.read_text()))


# --- one web process --------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    commit_log: Path

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/docs"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self) -> str:
        return self.log()[-4000:]


@contextlib.contextmanager
def web_process(database: Database, conn_max_age: str | None = None) -> Iterator[Server]:
    """``manage.py runweb`` on a free port (through bench/serve.py, which counts commits);
    stopped with SIGTERM (its graceful shutdown), SIGKILL after 20 s."""
    port = free_port()
    log_path = database.data_dir / "server.log"
    commit_log = database.data_dir / "commits.jsonl"
    env = {**database.env, "BENCH_COMMIT_LOG": str(commit_log)}
    if conn_max_age is not None:
        env["CONN_MAX_AGE"] = conn_max_age
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(BENCH / "serve.py"), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(process=process, port=port, log_path=log_path, commit_log=commit_log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(
                        f"the server did not come up:\n{server.log_tail()}"
                    ) from None
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def commit_stats(server: Server, start: float, end: float) -> dict[str, Any]:
    """The group-commit transactions, the server's handling of updates and the garbage
    collector's full collections that began within [start, end] (wall clock); see
    bench/serve.py."""
    commits: list[tuple[float, int, bool]] = []
    accepts: list[float] = []
    full_gcs: list[float] = []  # pauses of the collections of the oldest generation
    if server.commit_log.exists():
        for line in server.commit_log.read_text().splitlines():
            kind, began, seconds, *rest = json.loads(line)
            if not start <= began <= end:
                continue
            if kind == "commit":
                commits.append((seconds, rest[0], rest[1]))
            elif kind == "accept":
                accepts.append(seconds * 1000)
            elif kind == "gc" and rest[0] == 2:
                full_gcs.append(seconds * 1000)
    span = max(end - start, 1e-9)
    rows = sum(r for _, r, ok in commits if ok)
    return {
        "transactions": len(commits),
        "failed": sum(1 for _, _, ok in commits if not ok),
        "rows": rows,
        "rows_per_s": round(rows / span, 1),
        "transactions_per_s": round(len(commits) / span, 1),
        "rows_per_transaction": round(rows / len(commits), 2) if commits else None,
        "commit_ms": percentiles(sorted(s * 1000 for s, _, _ in commits)),
        "accept_ms": percentiles(sorted(accepts)),
        "full_gc": {"count": len(full_gcs), "max_ms": round(max(full_gcs, default=0), 1)},
    }


def percentiles(sorted_values: list[float]) -> dict[str, float | None]:
    def at(p: float) -> float | None:
        if not sorted_values:
            return None
        index = min(len(sorted_values) - 1, max(0, math.ceil(p * len(sorted_values) / 100) - 1))
        return round(sorted_values[index], 2)

    return {"p50": at(50), "p95": at(95), "p99": at(99), "max": at(100)}


# --- CPU and memory, from /proc ---------------------------------------------------------------


def process_sample(pid: int) -> tuple[float, int] | None:
    """(CPU seconds used so far by all the process's threads, resident bytes)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        statm = Path(f"/proc/{pid}/statm").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS, int(statm.split()[1]) * PAGE_SIZE


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def all_processes() -> dict[int, tuple[str, float]]:
    """Every process's command name and CPU seconds so far (threads included)."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


def busiest(
    before: dict[int, tuple[str, float]],
    after: dict[int, tuple[str, float]],
    seconds: float,
    top: int = 6,
) -> list[str]:
    """The processes that used the most CPU between two ``all_processes`` snapshots."""
    used = [
        (after[pid][1] - before.get(pid, (name, 0.0))[1], name, pid)
        for pid, (name, _) in after.items()
    ]
    used.sort(reverse=True)
    return [
        f"{name}[{pid}] {100 * cpu / seconds:.0f}%"
        for cpu, name, pid in used[:top]
        if cpu > 0.01 * seconds
    ]


def _serves(pid: int, database_name: str | None) -> bool:
    """Whether ``pid`` is a PostgreSQL backend of ``database_name`` (PostgreSQL puts the
    database's name in each backend's command line)."""
    if not database_name:
        return False
    try:
        return database_name.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def others_cpu(
    before: dict[int, tuple[str, float]],
    after: dict[int, tuple[str, float]],
    seconds: float,
    ours: set[int],
    database_name: str | None = None,
) -> float:
    """CPU (% of one core) that processes other than ``ours`` (and the PostgreSQL backends of
    our database) used between two snapshots: other work on the machine that competed with
    the benchmark (processes that both started and ended in between are not seen)."""
    used = sum(
        after[pid][1] - before.get(pid, (name, 0.0))[1]
        for pid, (name, _) in after.items()
        if pid not in ours
        and name not in {"py-spy", "kdamond.0"}
        and not (name == "postgres" and _serves(pid, database_name))
    )
    return round(100 * used / seconds, 1)


@dataclass
class Sampler:
    """Samples named processes' CPU and RSS, and the machine's CPU, every ``period`` s."""

    pids: dict[str, int]
    period: float = 0.25
    samples: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            sample: dict[str, Any] = {"wall": time.time(), "machine": machine_busy()}
            for name, pid in list(self.pids.items()):
                sample[name] = process_sample(pid)
            self.samples.append(sample)
            self._stop.wait(self.period)

    def rss_now(self, name: str) -> int:
        """The median RSS of ``name`` over the last second."""
        time.sleep(1.1)
        recent: list[int] = [s[name][1] for s in self.samples[-4:] if s.get(name)]
        return sorted(recent)[len(recent) // 2]

    def window(self, start: float, end: float) -> dict[str, Any]:
        """CPU (% of one core) and peak RSS of each process, and machine CPU, in [start, end]."""
        inside = [s for s in self.samples if start <= s["wall"] <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        span = last["wall"] - first["wall"]
        result: dict[str, Any] = {}
        for name in self.pids:
            if first.get(name) and last.get(name):
                result[f"{name}_cpu_percent"] = round(
                    100 * (last[name][0] - first[name][0]) / span, 1
                )
                result[f"{name}_rss_mib_peak"] = round(
                    max(s[name][1] for s in inside if s.get(name)) / 2**20, 1
                )
        busy = last["machine"][0] - first["machine"][0]
        total = last["machine"][1] - first["machine"][1]
        result["machine_cpu_percent"] = round(100 * busy / total, 1) if total else None
        return result


# --- the Node load generator ------------------------------------------------------------------


class LoadGenerator:
    """``node bench/loadgen.cjs <mode>`` (or another ``script``, such as ``ROOMLOAD``); hands
    each JSON line it prints to ``on_event``."""

    def __init__(
        self, mode: str, args: dict[str, Any], run_dir: Path, script: Path = LOADGEN
    ) -> None:
        args_path = run_dir / f"loadgen-{mode}.json"
        args_path.write_text(json.dumps(args))
        self.stderr_path = run_dir / f"loadgen-{mode}.stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            ["node", "--max-old-space-size=4096", str(script), mode, str(args_path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()

    def events(
        self, timeout: float, on_event: Callable[[dict[str, Any]], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Each event it prints, until its result (returned last) or ``timeout`` seconds."""
        assert self.process.stdout is not None
        lines: list[bytes] = []
        done = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                lines.append(line)
                if b'"event":"result"' in line or b'"event":"error"' in line:
                    break
            done.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            while seen < len(lines):
                event = json.loads(lines[seen])
                seen += 1
                if event["event"] == "error":
                    raise RuntimeError(f"load generator failed: {event['error']}")
                if on_event is not None:
                    on_event(event)
                yield event
                if event["event"] == "result":
                    return
            if done.is_set() and seen >= len(lines):
                raise RuntimeError(f"load generator ended without a result:\n{self.stderr()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"load generator over its {timeout} s budget")
            time.sleep(0.02)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stderr.close()
