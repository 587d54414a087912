"""Issue 7's scale workloads against one Collab web process, with real Node Yjs clients:

``sockets``      10,000 connected clients over 1,000 documents, mostly idle, 1 % editing;
                 time to connect all, server RSS/CPU idle and while editing, edit-to-peer delay.
``join-storm``   200 clients open one 1 MB document at once; time-to-synced per client.
``trace-replay`` every trace in bench/data/, a flat one typed by one client, a concurrent one by
                 one client per agent, observed by another; the final text of all, of a
                 late-joining client and of the database must equal the trace's endContent.

``.venv/bin/python bench/scale.py sockets|join-storm|trace-replay|all [--db sqlite|postgres]
[--target collab|y-websocket|hocuspocus|all] [--no-record]``; the sizes are options (the
defaults are the issue's). ``--target`` picks the server: Collab, or a reference Yjs server as
it ships (in memory), or all three in turn. Without ``--no-record`` one section per workload
and server is appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import resource
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import compare, harness

RESULTS = harness.BENCH / "RESULTS.md"
DATA = harness.BENCH / "data"
SOCKETS = harness.BENCH / "sockets.cjs"
JOINSTORM = harness.BENCH / "joinstorm.cjs"
TRACEREPLAY = harness.BENCH / "tracereplay.cjs"
FLAT_TRACES = [
    "ascii_seph-blog1",
    "ascii_rustcode",
    "ascii_sveltecomponent",
    "ascii_json-crdt-patch",
    "ascii_json-crdt-blog-post",
    "friendsforever_flat",
    "clownschool_flat",
]
# Several agents editing at once (a ``parents`` DAG): one live client per agent.
CONCURRENT_TRACES = ["concurrent_friendsforever", "concurrent_clownschool"]


def raise_file_limit() -> int:
    """10,000 sockets need 10,000 descriptors in the server and as many in Node (inherited)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@contextlib.contextmanager
def serving(kind: str, database: harness.Database) -> Iterator[tuple[int, dict[str, str]]]:
    """The server under test: Collab's web process on ``database``, or a reference server
    (in memory, as it ships). Yields its pid and the ``target`` the Node scripts connect to
    (targets.cjs); documents keep the seeded ids as their names on every server."""
    if kind == "collab":
        with harness.web_process(database) as server:
            yield server.process.pid, {"kind": kind, "url": f"ws://127.0.0.1:{server.port}"}
    else:
        with compare.peer_process(kind, database.data_dir) as (process, url):
            yield process.pid, {"kind": kind, "url": url}


def drive(
    script: Path, args: dict[str, Any], database: harness.Database, server_pid: int
) -> tuple[dict[str, Any], dict[str, float], dict[str, Any]]:
    """Run one Node script to its result, sampling the server and Node; returns the result,
    the wall time of each phase it announced, and the sampler (for windows)."""
    generator = harness.LoadGenerator(script.stem, args, database.data_dir, script=script)
    phases: dict[str, float] = {"start": time.time()}
    result: dict[str, Any] = {}
    try:
        pids = {"server": server_pid, "node": generator.process.pid}
        with harness.Sampler(pids) as sampler:
            for event in generator.events(timeout=args["maxRuntimeS"] + 30):
                if event["event"] == "phase":
                    phases[event["phase"]] = event["wall"]
                elif event["event"] == "progress":
                    print(json.dumps(event), flush=True)
                elif event["event"] == "result":
                    result = event
            phases["end"] = time.time()
    finally:
        generator.close()
    return result, phases, {"sampler": sampler}


def window(
    sampled: dict[str, Any], phases: dict[str, float], start: str, end: str
) -> dict[str, Any]:
    if start not in phases or end not in phases:
        return {}
    return dict(sampled["sampler"].window(phases[start], phases[end]))


def sockets(db: str, options: argparse.Namespace, kind: str) -> dict[str, Any]:
    per_doc = math.ceil(options.clients / options.documents)
    with harness.fresh_database(db, "sockets", options.keep) as database:
        seeded = harness.seed(
            database,
            rooms=options.documents,
            users_per_room=per_doc,
            max_participants=max(50, per_doc + 5),
        )
        with serving(kind, database) as (pid, target):
            args = {
                "target": target,
                "docs": [{"id": d["id"], "tokens": d["tokens"]} for d in seeded["documents"]],
                "clients": options.clients,
                "editors": max(1, round(options.clients * options.editing / 100)),
                "editRateHz": options.edit_rate,
                "idleS": options.idle,
                "editS": options.edit_seconds,
                "settleS": 15,
                "batch": options.batch,
                "syncTimeoutS": 120,
                "maxRuntimeS": 900,
            }
            result, phases, sampled = drive(SOCKETS, args, database, pid)
    return {
        **result,
        "connect": window(sampled, phases, "connect", "idle"),
        "idle": window(sampled, phases, "idle", "edit"),
        "edit": window(sampled, phases, "edit", "settle"),
    }


def join_storm(db: str, options: argparse.Namespace, kind: str) -> dict[str, Any]:
    with harness.fresh_database(db, "joinstorm", options.keep) as database:
        seeded = harness.seed(
            database,
            rooms=1,
            users_per_room=options.storm_clients + 1,
            max_participants=options.storm_clients + 10,
        )
        document = seeded["documents"][0]
        args: dict[str, Any] = {
            "doc": {"id": document["id"], "tokens": document["tokens"]},
            "clients": options.storm_clients,
            "syncTimeoutS": 180,
            "maxRuntimeS": 400,
        }
        if kind == "collab":
            argv = ["-m", "bench.scale_seed", "fill", "--document", document["id"]]
            argv += ["--chars", str(options.storm_chars)]
            argv += ["--compact"] if options.compact else []
            filled = json.loads(harness.python(argv, database.env, timeout=900))
            filled["compacted"] = options.compact
        else:  # a reference server holds documents in memory only: its first client types it
            args["fillChars"] = options.storm_chars
            filled = {"chars": options.storm_chars, "compacted": "-"}
        with serving(kind, database) as (pid, target):
            result, phases, sampled = drive(JOINSTORM, {**args, "target": target}, database, pid)
    return {
        **result,
        "seeded": filled,
        "storm": window(sampled, phases, "storm", "done"),
    }


def trace_replay(db: str, options: argparse.Namespace, kind: str) -> dict[str, Any]:
    rows = []
    for name in options.traces:
        path = DATA / f"{name}.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as source:
            trace = json.load(source)
        end_content = trace["endContent"]
        # Time to converge: 120 s, and 1 s more per 500 updates (Collab on PostgreSQL takes
        # about 125 s for the 137,154 of seph-blog1, one commit at a time).
        settle = 120 + len(trace["txns"]) // 500
        with harness.fresh_database(db, f"trace-{name}", options.keep) as database:
            seeded = harness.seed(database, rooms=1, users_per_room=3)
            document = seeded["documents"][0]
            # A replay types thousands of transactions a second, each one update: far over the
            # per-connection limit meant for people (60/s), which would close the writer.
            database.env["COLLAB_MAX_UPDATES_PER_SECOND"] = "1000000"
            with serving(kind, database) as (pid, target):
                args = {
                    "target": target,
                    "doc": {"id": document["id"], "tokens": document["tokens"]},
                    "trace": str(path),
                    "chunk": 50,
                    "settleS": settle,
                    "maxRuntimeS": 900,
                }
                result, phases, sampled = drive(TRACEREPLAY, args, database, pid)
            if kind == "collab":
                # After the graceful stop every accepted update is committed: the stored text.
                argv = ["-m", "bench.scale_seed", "text", "--document", document["id"]]
                stored = json.loads(harness.python(argv, database.env, timeout=300))["text"]
                result["database_equal"] = stored == end_content
            else:  # a reference server stores nothing
                result["database_equal"] = "-"
        result["pass"] = bool(result.get("pass")) and result["database_equal"] in (True, "-")
        result["server"] = window(sampled, phases, "start", "end")
        rows.append(result)
        print(json.dumps(result), flush=True)
    return {"traces": rows}


def markdown(workload: str, report: dict[str, Any]) -> list[str]:
    if workload == "sockets":
        lines = [
            "| clients | documents | synced | connect all (s) | editors | receipts (missing) "
            "| p50 / p95 / p99 ms | server RSS MiB idle / edit | server CPU % idle / edit "
            "| node RSS MiB |",
            "|---:|---:|---:|---:|---:|---|---|---|---|---:|",
        ]
        idle, edit = report.get("idle", {}), report.get("edit", {})
        lines.append(
            f"| {report.get('clients')} | {report.get('documents')} | {report.get('synced')} "
            f"| {report.get('connect_all_s')} | {report.get('editors')} "
            f"| {report.get('receipts')} ({report.get('missing')}) "
            f"| {report.get('p50_ms')} / {report.get('p95_ms')} / {report.get('p99_ms')} "
            f"| {idle.get('server_rss_mib_peak')} / {edit.get('server_rss_mib_peak')} "
            f"| {idle.get('server_cpu_percent')} / {edit.get('server_cpu_percent')} "
            f"| {report.get('node_rss_mib')} |"
        )
        return lines
    if workload == "join-storm":
        storm, seeded = report.get("storm", {}), report.get("seeded", {})
        return [
            "| clients | text chars | state bytes | compacted | synced | failures "
            "| p50 / p95 / p99 / max ms | all synced (s) | server CPU % | server RSS MiB peak |",
            "|---:|---:|---:|---|---:|---:|---|---:|---:|---:|",
            f"| {report.get('clients')} | {report.get('text_chars')} "
            f"| {report.get('state_update_bytes')} | {seeded.get('compacted')} "
            f"| {report.get('synced')} | {report.get('failures')} "
            f"| {report.get('p50_ms')} / {report.get('p95_ms')} / {report.get('p99_ms')} "
            f"/ {report.get('max_ms')} | {report.get('all_synced_s')} "
            f"| {storm.get('server_cpu_percent')} | {storm.get('server_rss_mib_peak')} |",
        ]
    lines = [
        "| trace | agents | transactions | worked out (s) | dependency waits | typed (s) "
        "| converged (s) | updates/s | writers | observer | late client | database | pass |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    for row in report["traces"]:
        lines.append(
            f"| {row.get('trace')} | {row.get('agents')} | {row.get('transactions')} "
            f"| {row.get('prepare_s')} | {row.get('dependency_waits')} | {row.get('typed_s')} "
            f"| {row.get('converged_s')} | {row.get('updates_per_s')} | {row.get('writer_equal')} "
            f"| {row.get('observer_equal')} | {row.get('server_equal')} "
            f"| {row.get('database_equal')} | {row.get('pass')} |"
        )
    return lines


def record(workload: str, db: str, kind: str, report: dict[str, Any], write: bool) -> None:
    m = harness.machine()
    now = time.gmtime()
    lines = [
        f"### scale: {workload} on {db if kind == 'collab' else 'memory'} ({kind}), "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', now)}",
        "",
        f"`{shlex.join(['.venv/bin/python', *sys.argv])}` at commit {harness.git_commit()}; "
        f"{m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM; load average "
        f"{harness.load_average()}.",
        "",
        *markdown(workload, report),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if write:
        with open(RESULTS, "a", encoding="utf-8") as results:
            results.write(text + "\n")


WORKLOADS = {"sockets": sockets, "join-storm": join_storm, "trace-replay": trace_replay}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload", choices=[*WORKLOADS, "all"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument(
        "--target", choices=["collab", "y-websocket", "hocuspocus", "all"], default="collab"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the run's data folder")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--editing", type=float, default=1.0, help="percent of clients editing")
    parser.add_argument("--edit-rate", type=float, default=1.0, help="edits/s per editor")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds idle before editing")
    parser.add_argument("--edit-seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=100, help="sockets opened at once")
    parser.add_argument("--storm-clients", type=int, default=200)
    parser.add_argument("--storm-chars", type=int, default=1_000_000)
    parser.add_argument("--compact", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--traces", nargs="+", default=FLAT_TRACES + CONCURRENT_TRACES)
    options = parser.parse_args()
    kinds = ["collab", *compare.PEER_SCRIPTS] if options.target == "all" else [options.target]
    if kinds != ["collab"]:
        compare.install_peers()
    print(f"file descriptor limit: {raise_file_limit()}", flush=True)
    for workload in [*WORKLOADS] if options.workload == "all" else [options.workload]:
        for kind in kinds:
            with contextlib.suppress(KeyboardInterrupt):
                report = WORKLOADS[workload](options.db, options, kind)
                print(json.dumps(report), flush=True)
                record(workload, options.db, kind, report, write=not options.no_record)


if __name__ == "__main__":
    main()
