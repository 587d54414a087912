"""Collab's benchmarks, one command each; see bench/README.md.

    .venv/bin/python bench/run.py one-doc many-docs saturation memory open-time --db sqlite
    .venv/bin/python bench/run.py sync --db postgres      # sync = the three live workloads
    .venv/bin/python bench/run.py all --db sqlite --profile
    .venv/bin/python bench/run.py churn                   # peers leaving while one types

Each workload gets a fresh data folder (and for PostgreSQL a fresh database, dropped after),
migrates, seeds through the services, starts one web process, runs real Yjs clients, samples
the server's CPU and RSS from /proc, stops the server with SIGTERM, and prints its results and
appends them to bench/RESULTS.md with the machine, date, commit, load and exact command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness, pyspy

RESULTS = harness.BENCH / "RESULTS.md"
TARGETS_MS = {"one-doc": 10.0, "many-docs": 40.0}

# name: (seed, load generator arguments)
LIVE = {
    "one-doc": (
        {"rooms": 1, "users_per_room": 100},
        {"clientsPerDoc": 100, "ratePerDoc": 20},
    ),
    "many-docs": (
        {"rooms": 100, "users_per_room": 10},
        {"clientsPerDoc": 10, "ratePerDoc": 5},
    ),
    # Clients type as fast as the server lets them: up to 50 edits/s each (the per-connection
    # limit is 60/s), each with at most 2 edits not yet seen by its peer, so that the offered
    # load (up to 10,000 edits/s) follows what the server commits instead of queueing without
    # bound.
    "saturation": (
        {"rooms": 100, "users_per_room": 2},
        {"clientsPerDoc": 2, "perClientRate": 50, "maxInFlight": 2},
    ),
}
# The room socket (chat and presence), with their targets; see chat_workload.
CHAT_TARGETS = {"chat-fanout": "p95 ≤ 50 ms", "presence-storm": "every view right within 2 s"}
GROUPS = {
    "sync": ["one-doc", "many-docs", "saturation"],
    "chat": ["chat-fanout", "presence-storm"],
    "all": [
        "one-doc",
        "many-docs",
        "saturation",
        "memory",
        "open-time",
        "churn",
        "chat-fanout",
        "presence-storm",
    ],
}


def live_workload(name: str, db: str, options: argparse.Namespace) -> dict[str, Any]:
    seed_options, load = dict(LIVE[name][0]), dict(LIVE[name][1])
    if options.docs is not None:
        seed_options["rooms"] = options.docs
    if options.clients_per_doc is not None:
        seed_options["users_per_room"] = load["clientsPerDoc"] = options.clients_per_doc
    if options.rate is not None:
        load["perClientRate" if "perClientRate" in load else "ratePerDoc"] = options.rate
    if options.in_flight is not None:
        load["maxInFlight"] = options.in_flight
    with harness.fresh_database(db, name, options.keep) as database:
        seeded = harness.seed(database, **seed_options, documents_per_room=1)
        with harness.web_process(database, options.conn_max_age) as server:
            args = {
                **load,
                "server": server.ws_url,
                "docs": seeded["documents"],
                "warmupS": options.warmup,
                "durationS": options.duration,
                "settleS": 30,
                "seed": 7,
                "workers": options.threads,
                "maxRuntimeS": 90 + options.warmup + options.duration + 30,
            }
            generator = harness.LoadGenerator("edits", args, database.data_dir)
            window: dict[str, float] = {}
            spy = None
            spy_out = database.data_dir / "profile.txt"
            try:
                pids = {"server": server.process.pid, "loadgen": generator.process.pid}
                with harness.Sampler(pids) as sampler:
                    for event in generator.events(timeout=args["maxRuntimeS"] + 30):
                        if event["event"] == "measure-start":
                            window["start"] = event["wall"]
                            everyone = harness.all_processes()
                            pg_before = database.pg_counters()
                            if options.profile:
                                spy = pyspy.start(server.process.pid, options.duration, spy_out)
                        elif event["event"] == "measure-end":
                            window["end"] = event["wall"]
                            now_all = harness.all_processes()
                            span = window["end"] - window["start"]
                            busiest = harness.busiest(everyone, now_all, span)
                            ours = {os.getpid(), *pids.values()}
                            others = harness.others_cpu(
                                everyone, now_all, span, ours, database.name
                            )
                            pg_after = database.pg_counters()
                        elif event["event"] == "result":
                            result = event
                resources = sampler.window(window["start"], window["end"])
            finally:
                generator.close()
            if spy is not None:
                spy.wait(timeout=options.duration + 30)
            commits = harness.commit_stats(server, window["start"], window["end"])
            server_log = server.log()
        rows = database.count_updates()
        hotspots = pyspy.summarize(spy_out) if spy is not None and spy_out.exists() else None
    report: dict[str, Any] = {
        "workload": name,
        "db": db,
        "loadgen": result,
        "resources": resources,
        "busiest_processes": busiest,
        "others_cpu_percent": others,
        "commits": commits,
        "rows_in_log": rows,
        "server_errors": _errors(server_log),
    }
    if pg_before is not None and pg_after is not None:
        span = window["end"] - window["start"]
        report["postgres_per_s"] = {
            key: round((pg_after[key] - pg_before[key]) / span, 1) for key in pg_before
        }
    if name in TARGETS_MS:
        report["target_p95_ms"] = TARGETS_MS[name]
    if hotspots is not None:
        report["profile"] = hotspots
    return report


def chat_workload(name: str, db: str, options: argparse.Namespace) -> dict[str, Any]:
    """The room socket, ``/ws/rooms/{id}``, with real clients (bench/roomload.cjs) in one room.

    ``chat-fanout``: ``--members`` (500) members connected, ``--senders`` (50) of them sending
    ``--rate`` (5) messages a second in all, each to be received by every other member.
    ``presence-storm``: ``--observers`` (20) members connected, then ``--members`` (500) more
    join at once and, once all are in, leave at once.

    On PostgreSQL the server also gets a fresh Redis database (``REDIS_URL``), so presence,
    the channel layer and the chat rate limit use Redis, as in production; on SQLite they are
    in memory (the embedded default).
    """
    members = options.members
    observers = options.observers if name == "presence-storm" else 0
    people = members + observers
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(harness.fresh_database(db, name, options.keep))
        seeded = harness.seed(
            database,
            rooms=1,
            users_per_room=people,
            documents_per_room=0,
            max_participants=people + 10,
        )
        room = seeded["rooms"][0]
        specs = [
            {"token": token, "userId": user_id}
            for token, user_id in zip(room["tokens"], room["user_ids"], strict=True)
        ]
        redis_url = stack.enter_context(harness.fresh_redis()) if db == "postgres" else None
        if redis_url:
            database.env["REDIS_URL"] = redis_url
        server = stack.enter_context(harness.web_process(database, options.conn_max_age))
        common = {"server": f"ws://127.0.0.1:{server.port}", "room": room["id"]}
        if name == "chat-fanout":
            mode = "fanout"
            args: dict[str, Any] = {
                **common,
                "tokens": [spec["token"] for spec in specs],
                "userIds": [spec["userId"] for spec in specs],
                "senders": min(options.senders, members),
                "rate": options.rate if options.rate is not None else 5.0,
                "warmupS": options.warmup,
                "durationS": options.duration,
                "settleS": 30,
                "drainS": 180,
                "seed": 7,
                "maxRuntimeS": 500 + options.warmup + options.duration,
            }
        else:
            mode = "storm"
            args = {
                **common,
                "observers": specs[:observers],
                "storm": specs[observers:],
                "phaseTimeoutS": 60,
                "maxRuntimeS": 240,
            }
        generator = harness.LoadGenerator(mode, args, database.data_dir, script=harness.ROOMLOAD)
        window: dict[str, float] = {}
        spy = None
        spy_out = database.data_dir / "profile.txt"
        # The storm has no set length: its two phases take well under this when the target is met.
        spy_seconds = options.duration if mode == "fanout" else 15
        try:
            pids = {"server": server.process.pid, "loadgen": generator.process.pid}
            with harness.Sampler(pids) as sampler:
                for event in generator.events(timeout=args["maxRuntimeS"] + 30):
                    if event["event"] == "measure-start":
                        window["start"] = event["wall"]
                        everyone = harness.all_processes()
                        if options.profile:
                            spy = pyspy.start(server.process.pid, spy_seconds, spy_out)
                    elif event["event"] == "measure-end":
                        window["end"] = event["wall"]
                        now_all = harness.all_processes()
                        span = window["end"] - window["start"]
                        busiest = harness.busiest(everyone, now_all, span)
                        ours = {os.getpid(), *pids.values()}
                        others = harness.others_cpu(everyone, now_all, span, ours, database.name)
                    elif event["event"] == "result":
                        result = event
            resources = sampler.window(window["start"], window["end"])
        finally:
            generator.close()
        if spy is not None:
            spy.wait(timeout=spy_seconds + 30)
        hotspots = pyspy.summarize(spy_out) if spy is not None and spy_out.exists() else None
        server_log = server.log()
    report = {
        "workload": name,
        "db": db,
        "presence": "Redis" if redis_url else "in memory",
        "loadgen": result,
        "resources": resources,
        "busiest_processes": busiest,
        "others_cpu_percent": others,
        "server_errors": _errors(server_log),
        "target": CHAT_TARGETS[name],
    }
    if hotspots is not None:
        report["profile"] = hotspots
    return report


def churn_workload(db: str, options: argparse.Namespace) -> dict[str, Any]:
    """Five rounds: one client types every 4 ms while 60 others leave the document one after
    another (graceful closes, as when a tab is closed); the 20 that stay must receive every
    edit."""
    with harness.fresh_database(db, "churn", options.keep) as database:
        seeded = harness.seed(database, rooms=1, users_per_room=1, documents_per_room=1)
        document = seeded["documents"][0]
        with harness.web_process(database, options.conn_max_age) as server:
            generator = harness.LoadGenerator(
                "churn",
                {
                    "server": server.ws_url,
                    "doc": document["id"],
                    "token": document["tokens"][0],
                    "stay": 20,
                    "leave": 60,
                    "typeEveryMs": 4,
                    "leaveEveryMs": 3,
                    "settleS": 5,
                    "rounds": 5,
                    "maxRuntimeS": 150,
                },
                database.data_dir,
            )
            try:
                *_, result = generator.events(timeout=170)
            finally:
                generator.close()
            server_log = server.log()
    return {"workload": "churn", "db": db, "loadgen": result, "server_errors": _errors(server_log)}


def _errors(log: str) -> list[str]:
    """Each kind of ERROR the server logged, once: its message, where it was raised in the
    project, the exception, and how often."""
    lines = log.splitlines()
    kinds: dict[str, int] = {}
    for i, line in enumerate(lines):
        if " ERROR " not in line:
            continue
        tail: list[str] = []
        for following in lines[i + 1 : i + 80]:
            if following[:4].isdigit():  # the next log record
                break
            tail.append(following)
        ours = [
            t.strip()
            for t in tail
            if t.strip().startswith('File "') and "/.venv/" not in t and "bench/" not in t
        ]
        # The project's functions on the stack, outermost first: the path that failed.
        where = " > ".join(
            f"{t.split('/')[-1].split('.py')[0]}.{t.rsplit(' in ', 1)[-1]}" for t in ours
        )
        exception = next(
            (t for t in reversed(tail) if t and not t.startswith((" ", "Traceback"))), ""
        )
        message = line.split(" ERROR ", 1)[1]
        key = "; ".join(part.replace("|", "/") for part in (message, where, exception) if part)
        kinds[key] = kinds.get(key, 0) + 1
    return [f"{count} x {key}" for key, count in kinds.items()]


def memory_workload(db: str, options: argparse.Namespace) -> dict[str, Any]:
    """RSS of the web process: idle; with N clients on one document (the cost of a connection);
    then with N more clients, one on each of N other documents (the cost of a loaded document
    plus a connection)."""
    n = options.documents
    with harness.fresh_database(db, "memory", options.keep) as database:
        seeded = harness.seed(
            database,
            rooms=1,
            users_per_room=2,
            documents_per_room=n + 1,
            state_trace="ascii_sveltecomponent.json.gz",
        )
        documents = seeded["documents"]
        token = documents[0]["tokens"][1]
        with harness.web_process(database, options.conn_max_age) as server:
            generator = harness.LoadGenerator(
                "hold", {"server": server.ws_url, "maxRuntimeS": 300}, database.data_dir
            )
            steps: list[dict[str, Any]] = []
            try:
                pids = {"server": server.process.pid}
                with harness.Sampler(pids) as sampler:
                    events = generator.events(timeout=280)
                    next(events)  # ready
                    time.sleep(2)
                    idle = sampler.rss_now("server")
                    phases = [
                        ("one document", [{"doc": documents[0]["id"], "token": token}] * n),
                        (
                            "own documents",
                            [{"doc": d["id"], "token": token} for d in documents[1:]],
                        ),
                    ]
                    rss = [idle]
                    for label, connections in phases:
                        generator.send({"cmd": "connect", "connections": connections})
                        event = next(events)
                        time.sleep(2)
                        rss.append(sampler.rss_now("server"))
                        steps.append(
                            {"phase": label, **event, "rss_mib": round(rss[-1] / 2**20, 1)}
                        )
                    generator.send({"cmd": "exit"})
                    result = next(events)
            finally:
                generator.close()
    per_connection = (rss[1] - rss[0]) / n
    per_document = (rss[2] - rss[1]) / n - per_connection
    return {
        "workload": "memory",
        "db": db,
        "documents": n,
        "document_state_bytes": seeded["state_bytes"],
        "document_text_chars": steps[1]["minLength"],
        "rss_idle_mib": round(idle / 2**20, 1),
        "steps": steps,
        "per_connection_kib": round(per_connection / 1024, 1),
        "per_document_kib": round(per_document / 1024, 1),
        "loadgen": result,
    }


def open_time_workload(db: str, options: argparse.Namespace) -> dict[str, Any]:
    with harness.fresh_database(db, "open-time", options.keep) as database:
        seeded = harness.seed(database, rooms=1, users_per_room=1, documents_per_room=2)
        log_doc, state_doc = (d["id"] for d in seeded["documents"])
        out = database.data_dir / "opentime.json"
        harness.python(
            [
                "-m",
                "bench.opentime",
                "--log-document",
                log_doc,
                "--state-document",
                state_doc,
                "--budget-s",
                str(options.duration),
                "--out",
                str(out),
            ],
            database.env,
            timeout=600,
        )
        measured = json.loads(out.read_text())
        token = seeded["documents"][0]["tokens"][0]
        with harness.web_process(database, options.conn_max_age) as server:
            generator = harness.LoadGenerator(
                "open",
                {
                    "server": server.ws_url,
                    "reps": 5,
                    "pauseMs": 500,
                    "maxRuntimeS": 240,
                    "docs": [
                        {
                            "id": log_doc,
                            "token": token,
                            "label": "log",
                            "length": measured["text_length"],
                        },
                        {
                            "id": state_doc,
                            "token": token,
                            "label": "state",
                            "length": measured["text_length"],
                        },
                    ],
                },
                database.data_dir,
            )
            try:
                *_, cold = generator.events(timeout=260)
            finally:
                generator.close()
    return {"workload": "open-time", "db": db, **measured, "cold_connect_to_synced": cold}


# --- reporting ------------------------------------------------------------------------------


def _row(metric: str, value: Any) -> str:
    return f"| {metric} | {value} |"


def _lat(summary: dict[str, Any] | None) -> str:
    if not summary:
        return "n/a"
    return " / ".join(str(summary.get(k)) for k in ("p50", "p95", "p99", "max"))


def markdown(report: dict[str, Any]) -> list[str]:
    name = report["workload"]
    rows = ["| metric | value |", "|---|---|"]
    if name in LIVE:
        lg, res, com = report["loadgen"], report["resources"], report["commits"]
        rows += [
            _row(
                "clients / documents / load generator threads",
                f"{lg['clients']} / {lg['documents']} / {lg['threads']}",
            ),
            _row("edits in window (per s)", f"{lg['editsInWindow']} ({lg['editsPerSecond']}/s)"),
            _row("edit-to-peer latency ms p50 / p95 / p99 / max", _lat(lg["latencyMs"])),
            _row("edit to its first peer ms p50 / p95 / p99 / max", _lat(lg["firstPeerLatencyMs"])),
        ]
        if "target_p95_ms" in report:
            p95 = lg["latencyMs"]["p95"]
            met = p95 is not None and p95 <= report["target_p95_ms"]
            rows.append(
                _row("target p95", f"≤ {report['target_p95_ms']} ms: {'met' if met else 'MISSED'}")
            )
        rows += [
            _row(
                "deliveries expected / observed / lost / duplicate",
                f"{lg['deliveriesExpected']} / {lg['deliveriesObserved']} / "
                f"{lg['deliveriesLost']} / {lg['duplicates']}",
            ),
            _row("clients missing an edit at the end", lg["clientsMissingEdits"]),
            _row(
                "all edits in the log after shutdown",
                f"{report['rows_in_log']} rows for {lg['editsTotal']} edits",
            ),
            _row(
                "committed rows/s (transactions/s, rows per transaction)",
                f"{com['rows_per_s']} ({com['transactions_per_s']}, {com['rows_per_transaction']})",
            ),
            _row("commit transaction ms p50 / p95 / p99 / max", _lat(com["commit_ms"])),
            _row(
                "server: update received to fanned out ms p50 / p95 / p99 / max",
                _lat(com["accept_ms"]),
            ),
            _row(
                "server CPU % of a core / peak RSS MiB",
                f"{res.get('server_cpu_percent')} / {res.get('server_rss_mib_peak')}",
            ),
            _row(
                "load generator CPU % / event-loop delay p99 ms",
                f"{res.get('loadgen_cpu_percent')} / {lg['loadgenLoopDelayMs']['p99']}",
            ),
            _row("load generator CPU per delivery µs", lg.get("loadgenCpuUsPerDelivery")),
            _row("machine CPU % (both cores)", res.get("machine_cpu_percent")),
            _row(
                "busiest processes in the window (% of a core)",
                ", ".join(report["busiest_processes"]),
            ),
            _row(
                "other work on the machine in the window (% of a core)",
                report["others_cpu_percent"],
            ),
            _row("connect all clients (s)", round(lg["connectMs"] / 1000, 1)),
            *(
                [
                    _row(
                        "PostgreSQL sessions opened / transactions committed per s",
                        f"{report['postgres_per_s']['sessions']} / "
                        f"{report['postgres_per_s']['xact_commit']}",
                    )
                ]
                if "postgres_per_s" in report
                else []
            ),
            _row("disconnects / close codes", f"{lg['disconnects']} / {lg['closeCodes'] or '-'}"),
        ]
        if report["server_errors"]:
            rows.append(
                _row(
                    "server errors (tracebacks in bench/.runs/logs/)",
                    "<br>".join(report["server_errors"]),
                )
            )
    elif name == "memory":
        rows += [
            _row(
                "documents (state bytes, text chars each)",
                f"{report['documents']} ({report['document_state_bytes']} B, "
                f"{report['document_text_chars']} chars)",
            ),
            _row("RSS idle MiB", report["rss_idle_mib"]),
            *(
                _row(f"RSS after {s['n']} clients on {s['phase']} MiB", s["rss_mib"])
                for s in report["steps"]
            ),
            _row("per connection KiB", report["per_connection_kib"]),
            _row("per loaded document KiB (connection cost removed)", report["per_document_kib"]),
        ]
    elif name == "chat-fanout":
        lg, res = report["loadgen"], report["resources"]
        p95 = lg["latencyMs"]["p95"]
        met = p95 is not None and p95 <= 50 and lg["deliveriesLost"] == 0
        rows += [
            _row(
                "members / senders; presence, channel layer, rate limit",
                f"{lg['clients']} / {lg['senders']}; {report['presence']}",
            ),
            _row(
                "messages in window (per s)",
                f"{lg['messagesInWindow']} ({lg['messagesPerSecond']}/s)",
            ),
            _row(
                "send to each other member's message.new ms p50 / p95 / p99 / max",
                _lat(lg["latencyMs"]),
            ),
            _row(
                "send to the first member ms p50 / p95 / p99 / max",
                _lat(lg["firstMemberLatencyMs"]),
            ),
            _row(
                "send to the sender's own message.new ms p50 / p95 / p99 / max",
                _lat(lg["senderConfirmMs"]),
            ),
            _row("target p95 ≤ 50 ms, none lost", "met" if met else "MISSED"),
            _row(
                "deliveries expected / observed / lost / duplicate",
                f"{lg['deliveriesExpected']} / {lg['deliveriesObserved']} / "
                f"{lg['deliveriesLost']} / {lg['duplicates']}",
            ),
            _row("messages the sender never saw confirmed", lg["unconfirmedBySender"]),
            _row(
                "error events by code (rate_limited: the chat rate limit hit)", lg["errors"] or "-"
            ),
            _row(
                "server CPU % of a core / peak RSS MiB",
                f"{res.get('server_cpu_percent')} / {res.get('server_rss_mib_peak')}",
            ),
            _row(
                "load generator CPU % / event-loop delay p99 ms",
                f"{res.get('loadgen_cpu_percent')} / {lg['loadgenLoopDelayMs']['p99']}",
            ),
            _row("machine CPU % (both cores)", res.get("machine_cpu_percent")),
            _row(
                "busiest processes in the window (% of a core)",
                ", ".join(report["busiest_processes"]),
            ),
            _row(
                "other work on the machine in the window (% of a core)",
                report["others_cpu_percent"],
            ),
            _row(
                "connect all members, 50 at a time / then until every member sees all (s)",
                f"{round(lg['connectMs'] / 1000, 1)} / {round(lg['presenceDrainMs'] / 1000, 1)}"
                + ("" if lg["presenceSettled"] else f" NEVER: {lg['presenceWrongViews']} wrong"),
            ),
            _row("close codes", lg["closeCodes"] or "-"),
            _row("server errors", "<br>".join(report["server_errors"]) or "-"),
        ]
    elif name == "presence-storm":
        lg, res = report["loadgen"], report["resources"]
        join, leave = lg["join"], lg["leave"]
        met = (
            join["converged"]
            and leave["converged"]
            and join["allViewsCorrectMs"] <= 2000
            and leave["observerViewsCorrectMs"] <= 2000
        )
        rows += [
            _row(
                "observers / storm clients (joined, refused); presence",
                f"{lg['observers']} / {lg['storm']} ({lg['stormJoined']}, {lg['stormRefused']}); "
                f"{report['presence']}",
            ),
            _row(
                "joins: every member's view right after ms (the last snapshot after ms)",
                f"{join['allViewsCorrectMs'] if join['converged'] else 'NEVER (60 s)'} "
                f"({join['lastSnapshotMs']})",
            ),
            _row("joins: open to own snapshot ms p50 / p95 / p99 / max", _lat(join["snapshotMs"])),
            _row(
                "leaves: every observer's view right after ms (last close done after ms)",
                f"{leave['observerViewsCorrectMs'] if leave['converged'] else 'NEVER (60 s)'} "
                f"({leave['lastCloseMs']})",
            ),
            _row(
                "wrong views at the timeout (joins / leaves); the first one's extra and missing",
                f"{join['wrongViewsAtTimeout']} / {leave['wrongViewsAtTimeout']}; "
                f"{join.get('firstWrongView') or '-'} / {leave.get('firstWrongView') or '-'}",
            ),
            _row(
                "target: every view right within 2 s of the storm's start",
                "met" if met else "MISSED",
            ),
            _row(
                "storm close codes / errors at join",
                f"{lg['joinCloseCodes'] or '-'} / {lg['joinErrors'] or '-'}",
            ),
            _row(
                "server CPU % of a core / peak RSS MiB (both phases)",
                f"{res.get('server_cpu_percent')} / {res.get('server_rss_mib_peak')}",
            ),
            _row("machine CPU % (both cores)", res.get("machine_cpu_percent")),
            _row(
                "busiest processes in the window (% of a core)",
                ", ".join(report["busiest_processes"]),
            ),
            _row(
                "other work on the machine in the window (% of a core)",
                report["others_cpu_percent"],
            ),
            _row("server errors", "<br>".join(report["server_errors"]) or "-"),
        ]
    elif name == "churn":
        lg = report["loadgen"]
        rows += [
            _row(
                "rounds; edits typed / clients that left / clients that stayed",
                f"{lg['rounds']}; {lg['typed']} / {lg['left']} / {lg['stayed']}",
            ),
            _row(
                "clients that stayed but missed an edit 5 s after (sum over rounds)",
                lg["stayedMissingEdits"],
            ),
            _row("typing client's close codes", lg["typerCloseCodes"] or "-"),
            _row("server errors", "<br>".join(report["server_errors"]) or "-"),
        ]
    else:
        ip = report["in_process"]
        rows += [
            _row(
                "trace",
                f"{report['trace']}: {report['updates']} updates, "
                f"{report['log_bytes']} B of log; compacted state {report['state_bytes']} B; "
                f"{report['text_length']} chars = endContent",
            ),
            _row("replay / compaction s", f"{report['replay_s']} / {report['compact_s']}"),
            *(
                _row(
                    f"open ms, {kind}: {part} p50 / p95 / p99 / max (n={ip[kind][part]['n']})",
                    _lat(ip[kind][part]),
                )
                for kind in ("log", "state")
                for part in ("read_ms", "apply_ms", "total_ms")
            ),
            *(
                _row(f"cold connect to synced through the server, {kind} ms (n={c['n']})", _lat(c))
                for kind, c in ((k, report["cold_connect_to_synced"][k]) for k in ("log", "state"))
            ),
        ]
    if report.get("profile"):
        rows.append(
            _row(
                "profile, own time (top 8)",
                "<br>".join(f"{share}% {fn}" for fn, share in report["profile"]["own"][:8]),
            )
        )
        rows.append(
            _row(
                "profile, time anywhere on the stack (top 10)",
                "<br>".join(f"{share}% {fn}" for fn, share in report["profile"]["inclusive"][:10]),
            )
        )
        if name not in CHAT_TARGETS:
            rows.append(
                _row(
                    "profile, server time by edit-path stage",
                    "<br>".join(
                        f"{share}% {stage}" for stage, share in report["profile"]["stages"]
                    ),
                )
            )
    return rows


def record(report: dict[str, Any], context: dict[str, Any], write: bool) -> None:
    m = context["machine"]
    disturbed = f" (DISTURBED: {context['disturbed']})" if context.get("disturbed") else ""
    lines = [
        f"### {report['workload']} on {report['db']}, {context['date']}{disturbed}",
        "",
        f"`{context['command']}` at commit {context['commit']}; {m['nproc']} CPUs "
        f"({m['cpu']}), {m['ram_gib']} GiB RAM; load average before "
        f"{context['load_before']}, after {context['load_after']}; the machine's CPUs were "
        f"{context['busy_before']}% busy just before the run.",
        *(
            [
                "**Experiment, not the configured server:** "
                f"`CONN_MAX_AGE={context['conn_max_age']}`."
            ]
            if context["conn_max_age"] is not None
            else []
        ),
        "",
        *markdown(report),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if write:
        with open(RESULTS, "a", encoding="utf-8") as results:
            results.write(text + "\n")
    raw = harness.RUNS / "last-results.jsonl"
    raw.parent.mkdir(exist_ok=True)
    with open(raw, "a", encoding="utf-8") as out:
        out.write(json.dumps({**context, "report": report}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "workloads",
        nargs="+",
        choices=[*LIVE, "memory", "open-time", "churn", *CHAT_TARGETS, *GROUPS],
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--documents", type=int, default=200, help="memory: documents loaded")
    parser.add_argument("--docs", type=int, help="live workloads: documents (default per workload)")
    parser.add_argument("--clients-per-doc", type=int, help="live workloads: clients per document")
    parser.add_argument(
        "--rate",
        type=float,
        help="edits/s per document (saturation: per client; chat-fanout: messages/s in all)",
    )
    parser.add_argument(
        "--members", type=int, default=500, help="chat-fanout: members; presence-storm: storm"
    )
    parser.add_argument("--senders", type=int, default=50, help="chat-fanout: members who send")
    parser.add_argument(
        "--observers", type=int, default=20, help="presence-storm: members there throughout"
    )
    parser.add_argument(
        "--in-flight",
        type=int,
        help="saturation: edits a client may have that no peer has seen yet",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="live workloads: load generator threads the clients are spread over",
    )
    parser.add_argument(
        "--conn-max-age",
        metavar="SECONDS",
        help="experiment: run the server with this CONN_MAX_AGE (default: as "
        "configured, 600; 0: a new connection for every database call)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the server (if installed)")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=10.0,
        metavar="PERCENT",
        help="wait until other work keeps the CPUs less busy than this",
    )
    parser.add_argument(
        "--quiet-patience",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="but wait no longer than this",
    )
    parser.add_argument(
        "--retry-disturbed",
        type=int,
        default=0,
        metavar="N",
        help="live workloads: run again (up to N times) when other work on the machine used "
        "more than --disturbed-above %% of a core in the window; every run is recorded",
    )
    parser.add_argument("--disturbed-above", type=float, default=10.0, metavar="PERCENT")
    parser.add_argument("--keep", action="store_true", help="keep the data folder in bench/.runs")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args()
    if not 1 <= options.duration <= 30:
        parser.error("--duration must be between 1 and 30 seconds")
    names: list[str] = []
    for name in options.workloads:
        names += [n for n in GROUPS.get(name, [name]) if n not in names]
    command = " ".join([".venv/bin/python bench/run.py", *map(shlex.quote, sys.argv[1:])])
    for name in names:
        busy = harness.wait_until_quiet(options.quiet_below, options.quiet_patience)
        context = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "command": command,
            "commit": harness.git_commit(),
            "machine": harness.machine(),
            "load_before": harness.load_average(),
            "busy_before": busy,
            "conn_max_age": options.conn_max_age,
        }
        if name in LIVE or name in CHAT_TARGETS:
            run = live_workload if name in LIVE else chat_workload
            for attempt in range(options.retry_disturbed + 1):
                report = run(name, options.db, options)
                if report["others_cpu_percent"] <= options.disturbed_above:
                    break
                context["disturbed"] = (
                    f"other work used {report['others_cpu_percent']}% of a core in the window"
                )
                if attempt < options.retry_disturbed:
                    context["load_after"] = harness.load_average()
                    record(report, context, write=not options.no_record)
                    context["busy_before"] = harness.wait_until_quiet(
                        options.quiet_below, options.quiet_patience
                    )
                    context["load_before"] = harness.load_average()
                    context["date"] = time.strftime("%Y-%m-%d %H:%M %Z")
                    context.pop("disturbed")
        elif name == "memory":
            report = memory_workload(options.db, options)
        elif name == "churn":
            report = churn_workload(options.db, options)
        else:
            report = open_time_workload(options.db, options)
        context["load_after"] = harness.load_average()
        record(report, context, write=not options.no_record)


if __name__ == "__main__":
    main()
