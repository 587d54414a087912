"""Issue 7's soak: the second workload (100 documents x 10 clients, 5 edits/s each) for ten
minutes against one web process, sampling its CPU and memory throughout.

Two shapes:

- rounds (the default): ten one-minute rounds, each on 100 fresh documents. The clients join,
  type for a minute and leave; the documents unload; the next round's clients join the next
  documents. The live data stays the same size from round to round, so memory that grows is
  memory the server did not give back (per connection, per document, per edit). Targets: the
  server's RSS in the last round within 5 % of the second's (the first is the warm-up), and no
  document left loaded once everyone has gone.
- ``--same-documents``: the same 100 documents all along, reported minute by minute. They grow
  (about 3,000 edits each in ten minutes), and so does every replica of them, the server's and
  the load generator's thousand: this shows how latency and CPU follow that growth, and whose
  they are.

``--profile`` records the server with py-spy over the first and the last measured minute (needs
``.venv/bin/pip install py-spy``) and shows where its time went in each.

``.venv/bin/python bench/soak.py [--db sqlite|postgres] [--minutes 10] [--same-documents]
[--profile]`` (prints Markdown tables; copy them into bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness, pyspy
from bench.run import LIVE

ROUND_SECONDS = 60


def loaded_documents(server: harness.Server) -> float:
    url = f"http://127.0.0.1:{server.port}/metrics"
    with urllib.request.urlopen(url, timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("collab_loaded_documents "):
                return float(line.split()[1])
    raise RuntimeError("no collab_loaded_documents in /metrics")


def usage(samples: list[dict[str, Any]], name: str, start: float, end: float) -> dict[str, float]:
    """``name``'s CPU (% of one core) and median RSS (MiB) over [start, end]."""
    inside = [s for s in samples if start <= s["wall"] <= end and s.get(name)]
    if len(inside) < 2:
        return {}
    span = inside[-1]["wall"] - inside[0]["wall"]
    cpu = 100 * (inside[-1][name][0] - inside[0][name][0]) / span
    rss = statistics.median(s[name][1] for s in inside) / 2**20
    return {f"{name}_cpu_%": round(cpu, 1), f"{name}_rss_mib": round(rss, 1)}


def latency(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: summary.get(key) for key in ("p50", "p95", "p99")}


class Profiler:
    """py-spy over chosen minutes of the server, then where the time went in each."""

    def __init__(self, enabled: bool, server: harness.Server, out: Path) -> None:
        self.enabled, self.server, self.out = enabled, server, out
        self.paths: dict[str, Path] = {}
        self.spies: list[Any] = []

    def record(self, label: str, seconds: float = ROUND_SECONDS) -> None:
        """Start recording now for ``seconds`` as ``label`` (nothing without a label)."""
        if self.enabled and label:
            self.paths[label] = self.out / f"soak-profile-{label}.txt"
            self.spies.append(pyspy.start(self.server.process.pid, seconds, self.paths[label]))

    def stages(self) -> dict[str, list[tuple[str, float]]]:
        for spy in self.spies:
            if spy is not None:
                spy.wait(timeout=ROUND_SECONDS + 30)
        return {label: pyspy.stages(path) for label, path in self.paths.items() if path.exists()}


def run_load(
    server: harness.Server,
    database: harness.Database,
    sampler: harness.Sampler,
    args: dict[str, Any],
    on_start: Callable[[], None],
) -> tuple[dict[str, Any], float, float]:
    """One load generator run of the many-docs clients; returns its result and its measured
    window. The generator is sampled as "loadgen" while it runs."""
    generator = harness.LoadGenerator("edits", args, database.data_dir)
    window: dict[str, float] = {}
    result: dict[str, Any] = {}
    try:
        sampler.pids["loadgen"] = generator.process.pid
        for event in generator.events(timeout=args["maxRuntimeS"] + 30):
            if event["event"] in ("measure-start", "measure-end"):
                window[event["event"]] = event["wall"]
            if event["event"] == "measure-start":
                on_start()
            elif event["event"] == "result":
                result = event
    finally:
        generator.close()
        sampler.pids.pop("loadgen", None)
    return result, window["measure-start"], window["measure-end"]


def load_args(
    server: harness.Server, docs: list[dict[str, Any]], seconds: float, seed: int
) -> dict[str, Any]:
    _, load = LIVE["many-docs"]
    return {
        **load,
        "server": server.ws_url,
        "docs": docs,
        "warmupS": 5,
        "durationS": seconds,
        "settleS": 30,
        "seed": seed,
        "intervalS": ROUND_SECONDS,
        "maxRuntimeS": 180 + seconds,
    }


def soak_rounds(db: str, rounds: int, profile: bool) -> dict[str, Any]:
    seed_options, _ = LIVE["many-docs"]
    with harness.fresh_database(db, "soak", keep=False) as database:
        seeded = harness.seed(database, **seed_options, documents_per_room=rounds)
        by_room: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for document in seeded["documents"]:
            by_room[document["room"]].append(document)
        rows = []
        with harness.web_process(database) as server:
            profiler = Profiler(profile, server, database.data_dir)
            with harness.Sampler({"server": server.process.pid}, period=1.0) as sampler:
                for k in range(rounds):
                    docs = [documents[k] for documents in by_room.values()]
                    label = {0: "first", rounds - 1: "last"}.get(k, "")
                    result, start, end = run_load(
                        server,
                        database,
                        sampler,
                        load_args(server, docs, ROUND_SECONDS, seed=11 + k),
                        on_start=partial(profiler.record, label),
                    )
                    time.sleep(5)  # the last client's leave, the documents' flush and unload
                    left = time.time()
                    time.sleep(3)
                    after = usage(sampler.samples, "server", left, time.time())
                    rows.append(
                        {
                            "round": k + 1,
                            **latency(result.get("latencyMs") or {}),
                            "delivered": result.get("deliveriesObserved"),
                            "lost": result.get("deliveriesLost"),
                            "disconnects": result.get("disconnects"),
                            **usage(sampler.samples, "server", start, end),
                            "server_rss_mib_after_leaving": after.get("server_rss_mib"),
                            "loaded_documents_after_leaving": loaded_documents(server),
                            **usage(sampler.samples, "loadgen", start, end),
                        }
                    )
            errors = [line for line in server.log().splitlines() if "ERROR" in line]
        stages = profiler.stages()
    second, last = rows[min(1, rounds - 1)]["server_rss_mib"], rows[-1]["server_rss_mib"]
    summary = {
        "rounds": rounds,
        "deliveries_lost": sum(row["lost"] or 0 for row in rows),
        "rss_second_round_mib": second,
        "rss_last_round_mib": last,
        "growth_percent": round((last - second) / second * 100, 2),
        "loaded_documents_after_leaving": rows[-1]["loaded_documents_after_leaving"],
        "server_error_lines": len(errors),
    }
    return {"summary": summary, "rows": rows, "stages": stages}


def soak_same_documents(db: str, minutes: float, profile: bool) -> dict[str, Any]:
    seed_options, _ = LIVE["many-docs"]
    duration = minutes * 60
    with harness.fresh_database(db, "soak", keep=False) as database:
        seeded = harness.seed(database, **seed_options, documents_per_room=1)
        with harness.web_process(database) as server:
            profiler = Profiler(profile, server, database.data_dir)
            last_minute = threading.Timer(duration - ROUND_SECONDS, profiler.record, ("last",))

            def started() -> None:
                if profile:
                    profiler.record("first")
                    last_minute.start()

            with harness.Sampler({"server": server.process.pid}, period=1.0) as sampler:
                try:
                    result, start, _ = run_load(
                        server,
                        database,
                        sampler,
                        load_args(server, seeded["documents"], duration, seed=11),
                        on_start=started,
                    )
                finally:
                    last_minute.cancel()
                time.sleep(5)
                loaded_after = loaded_documents(server)
                samples = list(sampler.samples)
            errors = [line for line in server.log().splitlines() if "ERROR" in line]
        stages = profiler.stages()
    rows = []
    for interval in result.get("latencyByIntervalMs") or []:
        begin = start + interval["fromS"]
        rows.append(
            {
                "minute": interval["fromS"] // ROUND_SECONDS + 1,
                **latency(interval),
                "edits_seen": interval["n"],
                **usage(samples, "server", begin, begin + ROUND_SECONDS),
                **usage(samples, "loadgen", begin, begin + ROUND_SECONDS),
            }
        )
    first, last = rows[0]["server_rss_mib"], rows[-1]["server_rss_mib"]
    summary = {
        "latency": result.get("latencyMs"),
        "edits_per_second": result.get("editsPerSecond"),
        "deliveries_observed": result.get("deliveriesObserved"),
        "deliveries_lost": result.get("deliveriesLost"),
        "disconnects": result.get("disconnects"),
        "rss_first_minute_mib": first,
        "rss_last_minute_mib": last,
        "growth_percent": round((last - first) / first * 100, 2),
        "loaded_documents_after_leaving": loaded_after,
        "server_error_lines": len(errors),
        "loadgen_loop_delay_ms": result.get("loadgenLoopDelayMs"),
    }
    return {"summary": summary, "rows": rows, "stages": stages}


def print_report(title: str, report: dict[str, Any]) -> None:
    print(f"| {title} | value |")
    print("|---|---|")
    for key, value in report["summary"].items():
        print(f"| {key} | {value} |")
    rows = report["rows"]
    if rows:
        columns = list(dict.fromkeys(column for row in rows for column in row))
        print("\n| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(str(row.get(column, "")) for column in columns) + " |")
    for label, shares in report["stages"].items():
        print(f"\nWhere the server's samples went, {label} measured minute (%):")
        for stage, share in shares:
            print(f"- {stage}: {share}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument(
        "--same-documents", action="store_true", help="one set of documents, growing all along"
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the first and last measured minute"
    )
    options = parser.parse_args()
    if options.same_documents:
        report = soak_same_documents(options.db, options.minutes, options.profile)
    else:
        report = soak_rounds(options.db, options.minutes, options.profile)
    command = " ".join(["bench/soak.py", *sys.argv[1:]])
    print_report(f"soak ({options.db}, {options.minutes} min, `{command}`)", report)


if __name__ == "__main__":
    main()
