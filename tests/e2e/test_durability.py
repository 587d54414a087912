"""A server killed with SIGKILL in the middle of editing loses nothing: every edit a client
had seen from another client before the kill is still there after the restart (the server
only forwards committed edits), the clients' own unconfirmed edits come back when y-websocket
reconnects and resyncs, nothing is applied twice, and every client ends with exactly what a
fresh client loads from the restarted server and what the log on disk holds.

The kill points, the downtimes and the typing are random, from a seed that changes every run
(set ``COLLAB_E2E_SEED`` to replay one); failures name it.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    Daphne,
    StoredLog,
    document_create,
    markers_of,
    node_session,
    prepare_database,
    running,
    server_env,
    stored_log_postgres,
    stored_log_sqlite,
)

pytestmark = pytest.mark.e2e

SEED = int(os.environ.get("COLLAB_E2E_SEED") or random.randrange(2**31))
CLIENT_USERS = ["owner", "editor", "editor2", "editor"]


@dataclass
class Kill:
    """SIGKILL ``servers[target]`` ``after`` seconds into the step, restart it ``down`` later."""

    target: int
    after: float
    down: float


@dataclass
class Outcome:
    result: dict[str, Any]
    document: str
    run: str


def edit_through_kills(
    servers: list[Daphne], seed: dict[str, Any], kills: list[Kill], rng: random.Random, run: str
) -> Outcome:
    """Clients (spread over the servers) type while the servers are killed and restarted on
    their ports as planned; then they type a little longer and stop. Returns what the clients
    reported, the document and a description of the run for failure messages."""

    def fault() -> None:
        for kill in kills:
            time.sleep(kill.after)
            servers[kill.target].kill()
            time.sleep(kill.down)
            servers[kill.target].start()

    plan = ", ".join(f"kill #{k.target} after {k.after:.2f} s, down {k.down:.2f} s" for k in kills)
    return edit_during(servers, seed, fault, rng, f"{run} (seed {SEED}): {plan}")


def edit_during(
    servers: list[Daphne],
    seed: dict[str, Any],
    fault: Callable[[], None],
    rng: random.Random,
    run: str,
    settle_ms: int = 20_000,
) -> Outcome:
    """Clients (client i on ``servers[i % n]``) type unique markers while ``fault()`` runs,
    then a little longer, and stop; they then wait (up to ``settle_ms``) to agree."""
    typing_after = rng.uniform(0.3, 1.5)
    run = f"{run}; server logs {', '.join(str(daphne.log_path) for daphne in servers)}"
    document = document_create(servers[0].url, seed, run[:200])
    args = {
        "servers": [daphne.ws_url for daphne in servers],
        "document": document,
        "tokens": [seed["tokens"][user] for user in CLIENT_USERS],
        "seed": rng.randrange(2**31),
        "minDelayMs": 5,
        "maxDelayMs": 40,
        "maxInserts": 100_000,
        "settleMs": settle_ms,
    }
    with node_session("durability", args) as node:
        node.wait_event("ready", timeout=20)
        fault()
        time.sleep(typing_after)
        node.send("stop")
        result = node.result(timeout=60 + settle_ms / 1000)
    return Outcome(result=result, document=document, run=run)


def assert_nothing_lost_or_doubled(outcome: Outcome, log: StoredLog, *, drops: bool = True) -> None:
    """Every edit a client made or saw is in the document once, clients, servers and the log
    on disk agree; with ``drops``, the fault also cut the clients' connections (and every
    edit a client had seen from another before its drop survived)."""
    result, run = outcome.result, outcome.run
    clients = result["clients"]
    fresh = result["fresh"][0]
    markers = markers_of(fresh)
    present = set(markers)

    dropped = [client for client in clients if client["drops"]]
    assert bool(dropped) == drops, f"connections dropped: {len(dropped)} clients; {run}"
    for client in dropped:
        for drop in client["drops"]:
            lost = [marker for marker in drop["seenRemote"] if marker not in present]
            assert lost == [], f"client {client['index']} had seen {lost}, now gone; {run}"
    if drops:
        # The fault hit while edits were flowing, so the check above had something to check,
        # and editing went on through it, so the clients had unconfirmed edits to re-send.
        assert any(client["drops"][0]["seenRemote"] for client in dropped), run
        assert any(len(c["created"]) > c["drops"][0]["created"] for c in dropped), run

    created = [marker for client in clients for marker in client["created"]]
    assert [m for m in created if m not in present] == [], f"own edits lost; {run}"
    assert [m for m, n in Counter(markers).items() if n > 1] == [], f"duplicated; {run}"
    assert "".join(markers) == fresh, f"stray characters in {fresh!r}; {run}"
    assert sorted(markers) == sorted(created), run

    assert result["converged"], f"clients never agreed; {run}"
    assert [client["final"] for client in clients] == [fresh] * len(clients), run
    assert result["fresh"] == [fresh] * len(result["fresh"]), f"servers differ; {run}"

    seqs = [seq for seq, _ in log.updates]
    assert seqs == list(range(log.state_seq + 1, log.last_seq + 1)), f"gaps in the log; {run}"
    assert log.text() == fresh, f"the log on disk differs from what is served; {run}"
    _report(outcome)


# ``bench/faults.py`` sets this to a file: each run that passed the checks above appends what
# it went through, one JSON line, for bench/RESULTS.md.
FAULT_REPORT = os.environ.get("COLLAB_FAULT_REPORT")


def _report(outcome: Outcome) -> None:
    if not FAULT_REPORT:
        return
    clients = outcome.result["clients"]
    dropped = [client for client in clients if client["drops"]]
    line = {
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "seed": SEED,
        "edits": sum(len(client["created"]) for client in clients),
        "clients_dropped": len(dropped),
        "reconnects": sum(client["connects"] - 1 for client in clients),
        # Edits a client had seen from another when its connection dropped: all still there.
        "seen_before_drops": sum(
            len(drop["seenRemote"]) for client in dropped for drop in client["drops"]
        ),
        "typed_s": round(outcome.result["typedMs"] / 1000, 1),
        "agreed_ms_after_typing": outcome.result["settledMs"],
    }
    with open(FAULT_REPORT, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


@dataclass
class Prepared:
    env: dict[str, str]
    seed: dict[str, Any]
    data_dir: Path


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory) -> Prepared:
    data_dir = tmp_path_factory.mktemp("durability")
    env = server_env(data_dir)
    return Prepared(env=env, seed=prepare_database(env), data_dir=data_dir)


@pytest.mark.parametrize("repetition", ["once-a", "once-b", "twice"])
def test_a_killed_server_loses_no_seen_edit_and_doubles_none(sqlite_server, repetition):
    rng = random.Random(f"{SEED}-{repetition}")
    kills = [Kill(target=0, after=rng.uniform(0.3, 2.5), down=rng.uniform(0.05, 1.5))]
    if repetition == "twice":
        # The second kill comes while the clients are likely still resyncing.
        kills.append(Kill(target=0, after=rng.uniform(0.05, 0.8), down=rng.uniform(0.05, 1.0)))
    daphne = Daphne(env=sqlite_server.env, log_path=sqlite_server.data_dir / f"{repetition}.log")
    with running(daphne):
        outcome = edit_through_kills([daphne], sqlite_server.seed, kills, rng, repetition)
    log = stored_log_sqlite(sqlite_server.data_dir / "db.sqlite3", outcome.document)
    assert_nothing_lost_or_doubled(outcome, log)


def test_killing_one_of_two_processes_loses_no_seen_edit_and_doubles_none(postgres_and_redis):
    shared = postgres_and_redis
    rng = random.Random(f"{SEED}-two-processes")
    kills = [Kill(target=0, after=rng.uniform(0.3, 2.5), down=rng.uniform(0.05, 1.5))]
    servers = shared.daphnes("killed-one-of-two", 2)
    with running(*servers):
        outcome = edit_through_kills(servers, shared.seed, kills, rng, "two processes")
    log = stored_log_postgres(shared.database_url, outcome.document)
    assert_nothing_lost_or_doubled(outcome, log)
