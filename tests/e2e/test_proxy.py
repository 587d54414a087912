"""compose.yaml's production shape, run for real without Docker: a real nginx with the very
proxy config compose ships (``configs.nginx``) in front of two web processes started with
compose's web command and environment, sharing one PostgreSQL database and one Redis.

Yjs clients connected through the proxy are spread over both processes and converge; the room
socket works through it; REST reaches Django with the Host and X-Forwarded-Proto the proxy
sets; and when one web process dies (SIGKILL, or compose's SIGTERM on restart) while clients
edit, they reconnect through nginx to the other and lose nothing.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import (
    SharedServices,
    document_create,
    free_port,
    node_session,
    run_node,
    stored_log_postgres,
)
from tests.e2e.nginx import (
    COMPOSE_WEB_PORT,
    Nginx,
    WebProcess,
    compose,
    web_environment,
    web_services,
)
from tests.e2e.test_durability import SEED, Outcome, assert_nothing_lost_or_doubled
from tests.e2e.test_multiprocess import (
    CLIENTS,
    INSERTS,
    assert_every_insert_exactly_once,
    assert_log_holds,
)
from tests.e2e.test_room_multiprocess import room_with_members, run_room_clients

pytestmark = pytest.mark.e2e

HOST = "127.0.0.1"  # compose's COLLAB_HOST, here: the host name clients reach the proxy by
TOKEN_USERS = ["owner", "editor", "editor2", "editor"]


@dataclass
class Stack:
    shared: SharedServices
    proxy: Nginx
    webs: list[WebProcess]

    @property
    def docs_url(self) -> str:
        return f"{self.proxy.ws_url}/ws/docs"


@contextlib.contextmanager
def proxied(shared: SharedServices, name: str) -> Iterator[Stack]:
    """nginx and compose's web services (web1, web2), started; always stopped afterwards."""
    services = web_services()
    assert len(services) >= 2, f"compose.yaml should run two or more web processes: {services}"
    proxy_port = free_port()
    env = {
        **shared.env,
        **web_environment(
            {
                "SECRET_KEY": "proxy-test-secret-key-not-for-production-" + "x" * 20,
                "ALLOWED_HOSTS": HOST,
                "CSRF_TRUSTED_ORIGINS": f"http://{HOST}:{proxy_port}",
                "DATABASE_URL": shared.env["DATABASE_URL"],
                "REDIS_URL": shared.env["REDIS_URL"],
                "CELERY_BROKER_URL": shared.env["CELERY_BROKER_URL"],
            }
        ),
    }
    webs = [
        WebProcess(env=env, log_path=shared.data_dir / f"{name}-{service}.log", host=HOST)
        for service in services
    ]
    prefix = shared.data_dir / f"{name}-nginx"
    prefix.mkdir()
    proxy = Nginx(prefix, {s: w.port for s, w in zip(services, webs, strict=True)}, proxy_port)
    try:
        for web in webs:
            web.start()
        proxy.start()
        yield Stack(shared=shared, proxy=proxy, webs=webs)
    finally:
        proxy.stop()
        for web in webs:
            web.stop()


@pytest.fixture(scope="module")
def stack(postgres_and_redis: SharedServices) -> Iterator[Stack]:
    with proxied(postgres_and_redis, "proxy") as running_stack:
        yield running_stack


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_room_socket_through_the_proxy_carries_messages_and_presence(stack):
    seed = stack.shared.seed
    room, document = room_with_members(stack.proxy.url, seed, "through the proxy")
    result = run_room_clients(
        "crossprocess",
        {
            "servers": [stack.proxy.ws_url, stack.proxy.ws_url],
            "room": room,
            "tokens": seed["tokens"],
            "document": document,
        },
    )
    steps = result["steps"]
    assert steps["bSnapshot"] == ["editor", "editor2"]
    assert steps["aSawBJoin"]["status"] == "online"
    assert steps["bGotA"]["message"]["body"] == "hello from a"
    assert steps["aGotOwn"]["message"]["id"] == steps["bGotA"]["message"]["id"]
    assert steps["aGotB"]["message"]["body_html"] == "<p>hello from <strong>b</strong></p>"
    assert steps["aGotTyping"]["user"]["username"] == "editor2"
    assert steps["aSawViewing"]["viewing"] == document
    assert steps["aSawBLeave"]["room"] == room


def test_yjs_clients_through_the_proxy_use_both_processes_and_converge(stack):
    document = document_create(stack.proxy.url, stack.shared.seed, "through the proxy")
    result = run_node(
        "typing",
        {
            # Two entries, so a fresh client also reads through the proxy twice at the end.
            "servers": [stack.docs_url, stack.docs_url],
            "document": document,
            "tokens": [stack.shared.seed["tokens"][TOKEN_USERS[i]] for i in range(CLIENTS)],
            "inserts": INSERTS,
            "maxDelayMs": 20,
            "settleMs": 30_000,
            "seed": SEED,
        },
        timeout=90,
    )
    context = f"seed {SEED}, logs in {stack.shared.data_dir}"
    text = assert_every_insert_exactly_once(result, context)
    assert_log_holds(stack.shared, document, text, context)
    # nginx spread the document sockets over both processes, and each committed edits.
    served = set(stack.proxy.upstreams(f"/ws/docs/{document}"))
    assert served == {f"127.0.0.1:{web.port}" for web in stack.webs}, served
    for web in stack.webs:
        assert web.metric("collab_updates_committed_total") > 0, web.log()[-3000:]
    # The clients' API tokens rode in ?token=; compose's log format keeps them out of the log.
    assert "token" not in stack.proxy.access_log()


def test_rest_through_the_proxy_gets_the_host_and_scheme_the_proxy_sets(stack):
    # Ready through the proxy: nginx passes the client's Host, which ALLOWED_HOSTS admits.
    status, _, body = get(f"{stack.proxy.url}/readyz")
    assert status == 200, body
    # A Host that ALLOWED_HOSTS does not list reaches Django as such and is refused.
    status, _, _ = get(f"{stack.proxy.url}/readyz", {"Host": "elsewhere.example"})
    assert status == 400
    # The web processes trust X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER): as https, a response
    # carries HSTS ...
    web = stack.webs[0]
    _, headers, _ = get(f"{web.url}/readyz", {"Host": HOST, "X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in headers, headers
    _, headers, _ = get(f"{web.url}/readyz", {"Host": HOST})
    assert "Strict-Transport-Security" not in headers, headers
    # ... but a client cannot claim https through the proxy: nginx sets the header to its own
    # scheme (plain http here), replacing the client's.
    status, headers, _ = get(f"{stack.proxy.url}/readyz", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Strict-Transport-Security" not in headers, headers
    # compose's own health check passes against each web process.
    healthcheck = compose()["services"]["web1"]["healthcheck"]["test"]
    assert healthcheck[:2] == ["CMD", "python"], healthcheck
    for web in stack.webs:
        command = [sys.executable, *healthcheck[2:]]
        command = [part.replace(f":{COMPOSE_WEB_PORT}/", f":{web.port}/") for part in command]
        done = subprocess.run(command, env=web.env, capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_clients_survive_a_web_process_dying_behind_the_proxy(postgres_and_redis, signum):
    with proxied(postgres_and_redis, f"dying-{signum.name}") as dying:
        seed = dying.shared.seed
        document = document_create(dying.proxy.url, seed, f"one dies: {signum.name}")
        run = f"{signum.name} behind the proxy (seed {SEED}), logs in {dying.shared.data_dir}"
        args = {
            "servers": [dying.docs_url, dying.docs_url],
            "document": document,
            "tokens": [seed["tokens"][user] for user in TOKEN_USERS],
            "seed": SEED,
            "minDelayMs": 5,
            "maxDelayMs": 40,
            "maxInserts": 1000,
            "settleMs": 20_000,
        }
        with node_session("durability", args) as node:
            node.wait_event("ready", timeout=20)
            sockets = [w.metric("collab_open_sockets", kind="document") for w in dying.webs]
            assert all(sockets), f"nginx did not spread the clients: {sockets}"
            time.sleep(1.0)
            victim = dying.webs[0]
            assert victim.process is not None
            victim.process.send_signal(signum)
            victim.process.wait(timeout=20)
            time.sleep(2.0)  # the clients reconnect and type on through the survivor
            node.send("stop")
            result = node.result(timeout=60)
        log = stored_log_postgres(dying.shared.database_url, document)
        assert_nothing_lost_or_doubled(Outcome(result=result, document=document, run=run), log)
        # The dropped clients came back, through nginx, on the surviving process.
        assert all(c["connects"] >= 2 for c in result["clients"] if c["drops"]), run
        survivor = f"127.0.0.1:{dying.webs[1].port}"
        assert survivor in dying.proxy.upstreams(f"/ws/docs/{document}"), run
