"""Runs one web process exactly as ``python manage.py runweb --port P`` does, with one addition:
it times the two steps of the edit path that the clients cannot see, and writes the records to
the file named by ``BENCH_COMMIT_LOG`` twice a second, one JSON line each:

- ``["commit", wall-clock start, seconds, rows, ok]`` for every group-commit transaction
  (``rooms.sync.log.updates_append``);
- ``["accept", wall-clock start, seconds, peers]`` for every update a client sent
  (``Runtime.commit_and_fan_out``, which starts once the update is applied: wait for the
  commit, fan out to this process's connections and publish; the frames are then written to
  the sockets by the reactor);
- ``["gc", wall-clock start, seconds, generation]`` for every collection of Python's cyclic
  garbage collector (which stops the process while it runs).

This costs two clock reads and a list append per update and per collection.

"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FLUSH_SECONDS = 0.5


def record_edit_path(log_path: Path) -> None:
    from rooms.sync import log
    from rooms.sync.runtime import Runtime

    records: list[list[Any]] = []
    lock = threading.Lock()
    append: Callable[[list[Any]], list[int | None]] = log.updates_append
    finish = Runtime.commit_and_fan_out

    def updates_append(batch: list[Any]) -> list[int | None]:
        started, clock = time.time(), time.perf_counter()
        ok = False
        try:
            seqs = append(batch)
            ok = True
            return seqs
        finally:
            with lock:
                records.append(["commit", started, time.perf_counter() - clock, len(batch), ok])

    async def commit_and_fan_out(self: Runtime, live: Any, *args: Any) -> int:
        started, clock = time.time(), time.perf_counter()
        try:
            return await finish(self, live, *args)
        finally:
            with lock:
                records.append(["accept", started, time.perf_counter() - clock, len(live.peers)])

    collecting: list[float] = []

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting[:] = [time.time(), time.perf_counter()]
        elif collecting:
            seconds = time.perf_counter() - collecting[1]
            with lock:
                records.append(["gc", collecting[0], seconds, info["generation"]])

    def flush_forever() -> None:
        with open(log_path, "a", encoding="utf-8") as log:
            while True:
                time.sleep(FLUSH_SECONDS)
                with lock:
                    taken = records[:]
                    records.clear()
                if taken:
                    log.write("".join(json.dumps(record) + "\n" for record in taken))
                    log.flush()

    # The runtime looks the function up on the module when its committer starts.
    log.updates_append = updates_append
    Runtime.commit_and_fan_out = commit_and_fan_out  # type: ignore[method-assign,assignment]
    gc.callbacks.append(on_gc)
    threading.Thread(target=flush_forever, name="bench-edit-path-log", daemon=True).start()


def main() -> None:
    # Run as a script, this folder would be first on the path: the project folder is, as for
    # manage.py.
    sys.path[0] = str(Path(__file__).resolve().parents[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if log_path := os.environ.get("BENCH_COMMIT_LOG"):
        record_edit_path(Path(log_path))
    execute_from_command_line(["manage.py", "runweb", *sys.argv[1:]])


if __name__ == "__main__":
    main()
