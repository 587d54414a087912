"""Faults under load (issue 7), with real Daphne processes and real Node Yjs clients typing
throughout: Redis stopped for 30 s under two processes, and PostgreSQL restarted under one.
Each ends with the durability checks: every edit any client made or saw is in the document
exactly once, and the clients, the servers and the log on disk agree. (A web process killed
under load is ``test_durability.py``'s and ``test_proxy.py``'s.)"""

from __future__ import annotations

import random
import time

import pytest

from tests.e2e.conftest import (
    Daphne,
    postgres_available,
    postgres_database,
    prepare_database,
    running,
    server_env,
    stored_log_postgres,
)
from tests.e2e.private_services import PrivatePostgres, PrivateRedis
from tests.e2e.test_durability import SEED, assert_nothing_lost_or_doubled, edit_during

pytestmark = pytest.mark.e2e

REDIS_AWAY_SECONDS = 30
POSTGRES_AWAY_SECONDS = 5
# After the fault ends, the clients stop typing within 1.5 s and must agree within this.
CONVERGE_MS = 15_000


def test_redis_stopped_for_30_seconds_loses_nothing_and_processes_converge(tmp_path):
    """The channel layer, the cache and the broker all go with Redis. Each process goes on
    committing its clients' edits and reads the other's from the log (the sweep's gap
    repair), so no connection drops; once Redis is back, everyone agrees within seconds."""
    if not postgres_available():
        pytest.fail("needs PostgreSQL on 127.0.0.1 (see .ci/run)")
    rng = random.Random(f"{SEED}-redis-outage")
    with PrivateRedis() as redis, postgres_database() as database_url:
        env = server_env(tmp_path)
        env.update(DATABASE_URL=database_url, REDIS_URL=redis.url, CELERY_BROKER_URL=redis.url)
        seed = prepare_database(env)
        servers = [Daphne(env=env, log_path=tmp_path / f"redis-outage-{name}.log") for name in "ab"]

        def outage() -> None:
            time.sleep(rng.uniform(0.5, 2.0))
            redis.stop()
            time.sleep(REDIS_AWAY_SECONDS)
            redis.start()

        with running(*servers):
            outcome = edit_during(
                servers,
                seed,
                outage,
                rng,
                f"redis away {REDIS_AWAY_SECONDS} s (seed {SEED})",
                settle_ms=CONVERGE_MS,
            )
        log = stored_log_postgres(database_url, outcome.document)
    assert_nothing_lost_or_doubled(outcome, log, drops=False)
    for daphne in servers:
        # Every publish fails while Redis is away (thousands): the log says so once, and
        # once that it is back, instead of a traceback each.
        lines = daphne.log_path.read_text(errors="replace")
        assert 1 <= lines.count("channel layer call") <= 3, daphne.log_path
        assert "channel layer back after" in lines, daphne.log_path


def test_postgres_restarted_under_load_loses_nothing_confirmed(tmp_path):
    """While the database is away no commit succeeds, so the server confirms (forwards)
    nothing: it closes its clients (1011), which reconnect and re-send once it is back.
    Every edit any client had seen from another before its drop is still there after."""
    rng = random.Random(f"{SEED}-postgres-restart")
    with PrivatePostgres() as postgres:
        env = server_env(tmp_path)
        env.update(DATABASE_URL=postgres.url)
        seed = prepare_database(env)
        server = Daphne(env=env, log_path=tmp_path / "postgres-restart.log")

        def restart() -> None:
            time.sleep(rng.uniform(0.5, 2.0))
            postgres.restart(away=POSTGRES_AWAY_SECONDS)

        with running(server):
            outcome = edit_during(
                [server],
                seed,
                restart,
                rng,
                f"postgres away {POSTGRES_AWAY_SECONDS} s (seed {SEED})",
                settle_ms=CONVERGE_MS + 10_000,
            )
        log = stored_log_postgres(postgres.url, outcome.document)
    assert_nothing_lost_or_doubled(outcome, log, drops=True)
