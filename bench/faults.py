"""The fault runs of issue 7 as one command, with what each went through written down.

    .venv/bin/python bench/faults.py [--no-record]

They are end-to-end tests (real Daphne processes, real Node Yjs clients typing throughout, the
local PostgreSQL and Redis, nginx for the proxy runs), so this runs them with pytest: a run
that passes has lost no edit any client made or had seen, doubled none, and its clients, its
servers and the log on disk agree. Each passing run appends a line of what it went through
(``COLLAB_FAULT_REPORT``, see ``tests/e2e/test_durability.py``); this prints them as a table
and appends it to RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.run import RESULTS

RUNS = {
    "Redis stopped for 30 s under two processes": "tests/e2e/test_faults.py::"
    "test_redis_stopped_for_30_seconds_loses_nothing_and_processes_converge",
    "PostgreSQL restarted (away 5 s) under one process": "tests/e2e/test_faults.py::"
    "test_postgres_restarted_under_load_loses_nothing_confirmed",
    "one of two processes behind nginx killed (SIGKILL)": "tests/e2e/test_proxy.py::"
    "test_clients_survive_a_web_process_dying_behind_the_proxy[SIGKILL]",
    "one of two processes behind nginx stopped (SIGTERM)": "tests/e2e/test_proxy.py::"
    "test_clients_survive_a_web_process_dying_behind_the_proxy[SIGTERM]",
    "one of two processes killed and restarted (SIGKILL)": "tests/e2e/test_durability.py::"
    "test_killing_one_of_two_processes_loses_no_seen_edit_and_doubles_none",
}
COLUMNS = [
    ("edits", "edits typed"),
    ("clients_dropped", "clients dropped"),
    ("reconnects", "reconnects"),
    ("seen_before_drops", "edits seen before a drop"),
    ("typed_s", "typing s"),
    ("agreed_ms_after_typing", "all agree, ms after typing stopped"),
]


def run(report: Path) -> int:
    env = {**os.environ, "COLLAB_FAULT_REPORT": str(report)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *RUNS.values()]
    return subprocess.run(command, cwd=harness.ROOT, env=env, check=False).returncode


def table(lines: list[dict[str, object]]) -> list[str]:
    by_test = {line["test"]: line for line in lines}
    rows = [
        "| fault | " + " | ".join(title for _, title in COLUMNS) + " | passed |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    for name, test in RUNS.items():
        line = by_test.get(test)
        cells = [str(line[key]) for key, _ in COLUMNS] if line else ["-"] * len(COLUMNS)
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {'yes' if line else 'NO'} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "faults.jsonl"
        code = run(report)
        lines = (
            [json.loads(line) for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    rows = table(lines)
    seeds = sorted({line["seed"] for line in lines})
    print("\n".join(rows))
    if not options.no_record:
        head = [
            "## Fault runs",
            "",
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit "
            f"{harness.git_commit()}, `.venv/bin/python {' '.join(sys.argv)}` (pytest exit code "
            f"{code}; seed {', '.join(map(str, seeds))}: `COLLAB_E2E_SEED` replays the runs)",
            "",
        ]
        with open(RESULTS, "a") as out:
            out.write("\n" + "\n".join([*head, *rows, ""]))
    sys.exit(code)


if __name__ == "__main__":
    main()
