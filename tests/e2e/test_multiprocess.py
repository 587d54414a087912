"""Two Daphne processes sharing one PostgreSQL database and one Redis: clients on either
process edit the same document and end up with the same text, which is also what the
update log holds; even a channel layer that drops messages only delays convergence (the
sequence gap repair and the sweep read what was missed from the log); awareness crosses
processes with the server-stamped identity; an idle process keeps hearing the others."""

from __future__ import annotations

import os
import random
from collections import Counter
from typing import Any

import pytest

from tests.e2e.conftest import (
    Daphne,
    SharedServices,
    document_create,
    markers_of,
    run_node,
    running,
    stored_log_postgres,
)

pytestmark = pytest.mark.e2e

CLIENTS = 4
INSERTS = 50
SEED = int(os.environ.get("COLLAB_E2E_SEED") or random.randrange(2**31))


@pytest.fixture
def shared(postgres_and_redis) -> SharedServices:
    return postgres_and_redis


def type_on_both(shared: SharedServices, a: Daphne, b: Daphne, title: str) -> tuple[dict, str]:
    """Clients 0 and 2 on ``a``, 1 and 3 on ``b``, all typing at once into a new document."""
    document = document_create(a.url, shared.seed, title)
    who = ["owner", "editor", "editor2"]
    result = run_node(
        "typing",
        {
            "servers": [a.ws_url, b.ws_url],
            "document": document,
            "tokens": [shared.seed["tokens"][who[i % len(who)]] for i in range(CLIENTS)],
            "inserts": INSERTS,
            "maxDelayMs": 20,
            "settleMs": 30_000,
            "seed": SEED,
        },
        timeout=90,
    )
    return result, document


def assert_every_insert_exactly_once(result: dict[str, Any], context: str) -> str:
    expected = sorted(f"[c{i}-{k}]" for i in range(CLIENTS) for k in range(INSERTS))
    texts = result["texts"]
    assert result["converged"], f"{context}: clients never agreed: {texts}"
    assert all(text == texts[0] for text in texts), context
    markers = markers_of(texts[0])
    assert "".join(markers) == texts[0], f"{context}: stray characters in {texts[0]!r}"
    duplicated = [marker for marker, count in Counter(markers).items() if count > 1]
    assert duplicated == [], context
    assert sorted(markers) == expected, context
    assert result["fresh"] == [texts[0], texts[0]], f"{context}: a fresh client differs"
    settled_ms = result["convergedMs"] - result["typedMs"]
    assert settled_ms < 10_000, f"{context}: took {settled_ms} ms to agree after typing"
    return str(texts[0])


def assert_log_holds(shared: SharedServices, document: str, text: str, context: str) -> None:
    log = stored_log_postgres(shared.database_url, document)
    seqs = [seq for seq, _ in log.updates]
    assert seqs == list(range(log.state_seq + 1, log.last_seq + 1)), f"{context}: gaps in {seqs}"
    assert log.text() == text, context


def test_clients_on_two_processes_converge_and_the_log_holds_every_insert_once(shared):
    a, b = shared.daphnes("plain", 2)
    with running(a, b):
        result, document = type_on_both(shared, a, b, "two processes")
    context = f"seed {SEED}, logs in {shared.data_dir}"
    text = assert_every_insert_exactly_once(result, context)
    assert_log_holds(shared, document, text, context)


def test_a_channel_layer_that_drops_messages_only_delays_convergence(shared):
    a, b = shared.daphnes("capacity-1", 2, CHANNEL_LAYER_CAPACITY="1")
    with running(a, b):
        result, document = type_on_both(shared, a, b, "capacity one")
    context = f"seed {SEED}, logs in {shared.data_dir}"
    text = assert_every_insert_exactly_once(result, context)
    assert_log_holds(shared, document, text, context)
    # Proof that the layer did drop messages (channels-redis says so when it does).
    assert "over capacity" in a.log() + b.log(), context


def test_awareness_crosses_processes_with_the_server_stamped_name(shared):
    a, b = shared.daphnes("awareness", 2)
    with running(a, b):
        result = run_node(
            "awareness",
            {
                "server": a.ws_url,
                "server2": b.ws_url,
                "document": shared.seed["documents"]["awareness"],
                "editor": shared.seed["tokens"]["editor"],
                "editor2": shared.seed["tokens"]["editor2"],
            },
        )
    assert result["seen"]["cursor"] == 7
    assert result["seen"]["user"]["name"] == "editor"
    assert result["seen"]["user"]["color"] != "#000000"
    # The state other clients echo back must not be re-stamped with the echoing user's name.
    assert result["seenLate"]["user"] == result["seen"]["user"]


def test_an_idle_process_keeps_receiving_from_the_others(shared):
    # A sweep far apart (it also reads back what other processes stored), so only the channel
    # layer can bring the update within seconds, however loaded the machine.
    a, b = shared.daphnes("idle", 2, COLLAB_SYNC_SWEEP_SECONDS="60")
    with running(a, b):
        result = run_node(
            "idle",
            {
                "server": a.ws_url,
                "server2": b.ws_url,
                "document": document_create(a.url, shared.seed, "idle"),
                "editor": shared.seed["tokens"]["editor"],
                "editor2": shared.seed["tokens"]["editor2"],
                "idleMs": 6_000,  # longer than a blocking receive on the Redis layer waits
                "rounds": 2,
            },
        )
    logs = a.log() + b.log()
    assert "channel layer receive failed" not in logs, logs[-3000:]
    # Well under the 60 s sweep: the update came over the channel layer.
    assert max(result["latencies"]) < 5_000, result
