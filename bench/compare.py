"""Collab side by side with the reference Yjs servers, in the same run (issue 7).

    .venv/bin/python bench/compare.py --workloads one-doc,many-docs,saturation \
        [--db sqlite|postgres] [--threads N] [--no-record]

Each workload of run.py's LIVE table runs against Collab (durable commit on, as it ships), then the
y-websocket server and Hocuspocus (each as it ships, in memory), with the same load generator
(loadgen.cjs ``edits`` through targets.cjs). Peers get the same document count under any names.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.run import LIVE, RESULTS

PEERS_DIR = harness.BENCH / "peers"
PEER_SCRIPTS = {
    "y-websocket": PEERS_DIR / "ywebsocket-server.cjs",
    "hocuspocus": PEERS_DIR / "hocuspocus-server.cjs",
}


def install_peers() -> None:
    """One command does everything: installs the peers' pinned packages when missing."""
    if not (PEERS_DIR / "node_modules").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS_DIR, check=True, timeout=600
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def peer_process(kind: str, log_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Starts a peer server and waits for its "listening" line; always stops it."""
    port = free_port()
    log = log_dir / f"{kind}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["node", str(PEER_SCRIPTS[kind]), str(port)], cwd=PEERS_DIR, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 30
        while b"listening" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield process, f"ws://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def measure(args: dict[str, Any], server_pid: int, run_dir: Path) -> dict[str, Any]:
    """Runs the load generator once; its result plus the server's CPU and peak RSS."""
    generator = harness.LoadGenerator("edits", args, run_dir)
    window: dict[str, float] = {}
    result: dict[str, Any] = {}
    try:
        with harness.Sampler({"server": server_pid}) as sampler:
            for event in generator.events(timeout=args["maxRuntimeS"] + 30):
                if event["event"] in ("measure-start", "measure-end"):
                    window[event["event"]] = event["wall"]
                elif event["event"] == "result":
                    result = event
        resources = sampler.window(window["measure-start"], window["measure-end"])
    finally:
        generator.close()
    return {"loadgen": result, "resources": resources}


def run_workload(name: str, db: str, options: argparse.Namespace) -> dict[str, dict[str, Any]]:
    seed_options, load = dict(LIVE[name][0]), dict(LIVE[name][1])
    if options.clients_per_doc is not None:
        seed_options["users_per_room"] = load["clientsPerDoc"] = options.clients_per_doc
    if options.docs is not None:
        seed_options["rooms"] = options.docs
    common = {
        **load,
        "warmupS": options.warmup,
        "durationS": options.duration,
        "settleS": 30,
        "seed": 7,
        "workers": options.threads,
        "maxRuntimeS": 90 + options.warmup + options.duration + 30,
    }
    reports: dict[str, dict[str, Any]] = {}
    with harness.fresh_database(db, f"compare-{name}", False) as database:
        seeded = harness.seed(database, **seed_options, documents_per_room=1)
        with harness.web_process(database) as server:
            args = {**common, "server": server.ws_url, "docs": seeded["documents"]}
            reports["collab"] = measure(args, server.process.pid, database.data_dir)
            reports["collab"]["commits"] = harness.commit_stats(server, *_window(reports["collab"]))
        docs = [{"id": f"doc-{i}", "tokens": ["-"]} for i in range(len(seeded["documents"]))]
        for kind in options.peers.split(","):
            with peer_process(kind, database.data_dir) as (process, url):
                args = {**common, "server": url, "target": {"kind": kind, "url": url}, "docs": docs}
                reports[kind] = measure(args, process.pid, database.data_dir)
    return reports


def _window(report: dict[str, Any]) -> tuple[float, float]:
    lg = report["loadgen"]
    return lg.get("measureStart", 0.0), lg.get("measureEnd", time.time())


def table(name: str, reports: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        f"### {name}",
        "",
        "| server | p50 ms | p95 ms | p99 ms | first peer p95 ms | edits/s | delivered | lost "
        "| CPU % | peak RSS MiB | load generator CPU µs per delivery |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, report in reports.items():
        lg, res = report["loadgen"], report["resources"]
        lat = lg.get("latencyMs", {})
        rows.append(
            f"| {kind} | {lat.get('p50')} | {lat.get('p95')} | {lat.get('p99')} "
            f"| {lg.get('firstPeerLatencyMs', {}).get('p95')} "
            f"| {lg.get('editsPerSecond')} | {lg.get('deliveriesObserved')} "
            f"| {lg.get('deliveriesLost')} | {res.get('server_cpu_percent')} "
            f"| {res.get('server_rss_mib_peak')} | {lg.get('loadgenCpuUsPerDelivery')} |"
        )
    p95 = {k: r["loadgen"].get("latencyMs", {}).get("p95") for k, r in reports.items()}
    peers = [v for k, v in p95.items() if k != "collab" and v]
    if p95.get("collab") and peers:
        rows += ["", f"Collab p95 / better peer's p95: {p95['collab'] / min(peers):.2f}"]
    rate = {k: r["loadgen"].get("editsPerSecond") for k, r in reports.items()}
    best = max((v for k, v in rate.items() if k != "collab" and v), default=None)
    if rate.get("collab") and best:
        rows += [f"Collab edits/s / better peer's: {rate['collab'] / best:.2f}"]
    return [*rows, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", default="one-doc,many-docs,saturation")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--docs", type=int, help="smoke runs: fewer documents")
    parser.add_argument("--clients-per-doc", type=int, help="smoke runs: fewer clients")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="load generator threads the clients are spread over (as bench/run.py --threads)",
    )
    parser.add_argument(
        "--peers", default=",".join(PEER_SCRIPTS), help="which peers (default: all)"
    )
    parser.add_argument("--no-record", action="store_true")
    options = parser.parse_args()
    install_peers()
    lines: list[str] = []
    for name in options.workloads.split(","):
        lines += table(name, run_workload(name, options.db, options))
        print("\n".join(lines[-12:]), flush=True)
    if not options.no_record:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        head = [
            f"## Side by side with the Yjs servers ({options.db})",
            "",
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
            f"{platform.node()} ({platform.processor() or platform.machine()})",
            f"`.venv/bin/python {' '.join(sys.argv)}`",
            "",
        ]
        with open(RESULTS, "a") as out:
            out.write("\n" + "\n".join(head + lines))


if __name__ == "__main__":
    main()
