"""Issue 7's soak: the second workload (100 documents x 10 clients, 5 edits/s each) for ten
minutes against one web process, sampling its memory throughout; then everyone leaves.

Reports the server's RSS a minute after warm-up and over the last minute (target: under 5 %
growth), edits delivered and lost, and the loaded documents (``/metrics``) once the clients
have gone (target: none left).

``.venv/bin/python bench/soak.py [--db sqlite|postgres] [--minutes 10] [--warmup 60]``
(prints a Markdown table; copy it into bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.run import LIVE


def rss_mib(samples: list[dict[str, Any]], start: float, end: float) -> float:
    inside = [s["server"][1] for s in samples if start <= s["wall"] <= end and s.get("server")]
    return statistics.median(inside) / 2**20


def loaded_documents(server: harness.Server) -> float:
    url = f"http://127.0.0.1:{server.port}/metrics"
    with urllib.request.urlopen(url, timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("collab_loaded_documents "):
                return float(line.split()[1])
    raise RuntimeError("no collab_loaded_documents in /metrics")


def soak(db: str, minutes: float, warmup: float) -> dict[str, Any]:
    seed_options, load = LIVE["many-docs"]
    duration = minutes * 60
    with harness.fresh_database(db, "soak", keep=False) as database:
        seeded = harness.seed(database, **seed_options, documents_per_room=1)
        with harness.web_process(database) as server:
            args = {
                **load,
                "server": server.ws_url,
                "docs": seeded["documents"],
                "warmupS": warmup,
                "durationS": duration,
                "settleS": 30,
                "seed": 11,
                "maxRuntimeS": 120 + warmup + duration,
            }
            generator = harness.LoadGenerator("edits", args, database.data_dir)
            window: dict[str, float] = {}
            try:
                pids = {"server": server.process.pid, "loadgen": generator.process.pid}
                with harness.Sampler(pids, period=1.0) as sampler:
                    for event in generator.events(timeout=args["maxRuntimeS"] + 30):
                        if event["event"] in ("measure-start", "measure-end"):
                            window[event["event"]] = event["wall"]
                        elif event["event"] == "result":
                            result = event
                    samples = list(sampler.samples)
            finally:
                generator.close()
            time.sleep(5)  # the last client's leave, the documents' flush and unload
            loaded_after = loaded_documents(server)
            errors = [line for line in server.log().splitlines() if "ERROR" in line]
    start, end = window["measure-start"], window["measure-end"]
    first, last = rss_mib(samples, start, start + 60), rss_mib(samples, end - 60, end)
    return {
        "latency": result.get("latencyMs"),
        "edits_per_second": result.get("editsPerSecond"),
        "deliveries_observed": result.get("deliveriesObserved"),
        "deliveries_lost": result.get("deliveriesLost"),
        "clients_missing_edits": result.get("clientsMissingEdits"),
        "disconnects": result.get("disconnects"),
        "rss_first_minute_mib": round(first, 1),
        "rss_last_minute_mib": round(last, 1),
        "growth_percent": round((last - first) / first * 100, 2),
        "loaded_documents_after_leaving": loaded_after,
        "server_error_lines": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=60.0)
    options = parser.parse_args()
    report = soak(options.db, options.minutes, options.warmup)
    command = " ".join(["bench/soak.py", *sys.argv[1:]])
    print(f"| soak ({options.db}, {options.minutes} min, `{command}`) | value |")
    print("|---|---|")
    for key, value in report.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
