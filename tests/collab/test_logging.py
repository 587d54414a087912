"""Structured logs: each request's and each socket's log lines carry its id, and
``COLLAB_LOG_FORMAT=json`` writes them as one JSON object per line."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from collab.celery import app
from rooms.accounts.services import api_token_create
from rooms.core.request_context import connection_id, request_id, task_id
from rooms.membership.models import Role
from tests.collab.process_env import django_process_env
from tests.e2e.conftest import ROOT, free_port
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.django_db
def test_a_requests_log_lines_carry_its_id_and_the_response_echoes_it(settings, records):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # so /readyz logs a warning
    response = Client().get("/readyz", headers={"X-Request-ID": "edge-7f3a.42"})
    assert response.status_code == 503
    assert response["X-Request-ID"] == "edge-7f3a.42"
    [line] = [r for r in records if r.name == "collab.health"]
    assert line.getMessage().startswith("readiness check redis failed")
    assert line.request_id == "edge-7f3a.42"
    assert line.connection_id is None
    # Django's own line for the 503, logged once the middleware has returned.
    [summary] = [r for r in records if r.name == "django.request"]
    assert summary.getMessage() == "Service Unavailable: /readyz"
    assert summary.request_id == "edge-7f3a.42"
    assert request_id.get() is None  # nothing stays bound after the request


@pytest.mark.django_db
@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 129, "semi;colon", "ü"])
def test_a_missing_or_insane_request_id_is_replaced_by_a_new_one(given):
    headers = {} if given is None else {"X-Request-ID": given}
    first = Client().get("/healthz", headers=headers)["X-Request-ID"]
    second = Client().get("/healthz", headers=headers)["X-Request-ID"]
    assert HEX_ID.fullmatch(first)
    assert HEX_ID.fullmatch(second)
    assert first != second


@pytest.mark.django_db(transaction=True)
async def test_each_document_socket_logs_under_its_own_connection_id(records):
    @sync_to_async
    def document_and_token():
        document = DocumentFactory(room=RoomFactory())
        user = UserFactory()
        MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
        return document, api_token_create(user=user, name="test")[1]

    document, token = await document_and_token()
    for _ in range(2):
        client, connected = await YClient.connect(document.pk, token)
        assert connected
        await client.sync()
        await client.ws.send_to(bytes_data=b"\x00\x07")  # malformed: the consumer logs it
        assert await client.ws.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": 4400,
        }
        await client.ws.disconnect()
    lines = [r for r in records if r.name == "rooms.documents.consumer"]
    assert [r.getMessage().endswith("unknown sync type 7") for r in lines] == [True, True]
    ids = [r.connection_id for r in lines]
    assert all(HEX_ID.fullmatch(cid) for cid in ids)
    assert ids[0] != ids[1]
    assert [r.request_id for r in lines] == [None, None]
    assert connection_id.get() is None  # the test's own context never had one


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("given", "logged"), [(b"edge-ws.7", "edge-ws.7"), (b"has spaces", None)])
async def test_a_sockets_lines_carry_its_handshakes_request_id_when_sane(records, given, logged):
    @sync_to_async
    def document_and_token():
        document = DocumentFactory(room=RoomFactory())
        user = UserFactory()
        MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
        return document, api_token_create(user=user, name="test")[1]

    document, token = await document_and_token()
    client, connected = await YClient.connect(document.pk, token, [(b"x-request-id", given)])
    assert connected
    await client.sync()
    await client.ws.send_to(bytes_data=b"\x00\x07")  # malformed: the consumer logs it
    assert (await client.ws.receive_output(timeout=5))["code"] == 4400
    await client.ws.disconnect()
    [line] = [r for r in records if r.name == "rooms.documents.consumer"]
    assert line.request_id == logged
    assert HEX_ID.fullmatch(line.connection_id)


@app.task(name="tests.collab.log_probe")  # type: ignore[untyped-decorator]
def log_probe() -> None:
    logging.getLogger("probe").info("inside the task")


def test_a_tasks_lines_carry_its_id_and_its_callers_request_id(records):
    """Run eagerly here (a real worker's lines: tests/background/test_worker_logs.py)."""
    token = request_id.set("caller-1")
    try:
        result = log_probe.apply()
    finally:
        request_id.reset(token)
    [line] = [r for r in records if r.name == "probe"]
    assert (line.task_id, line.request_id) == (result.id, "caller-1")
    assert task_id.get() is None  # unbound once the task is over


# A real process with COLLAB_LOG_FORMAT=json: a line inside a request, one outside any, one
# with a traceback, all on stderr as the configured console handler writes them.
JSON_LOGS_IN_A_PROCESS = """
import django, logging
django.setup()
from django.test import Client
Client().get("/readyz", headers={"X-Request-ID": "from-the-proxy"})
logging.getLogger("probe").info("outside any request")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("probe").exception("it failed")
"""


def test_json_format_writes_one_parseable_object_per_line_with_the_ids(tmp_path):
    environment = django_process_env(
        tmp_path,
        COLLAB_LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    done = subprocess.run(
        [sys.executable, "-c", JSON_LOGS_IN_A_PROCESS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    by_logger = {line["logger"]: line for line in lines if line["logger"] != "probe"}
    assert by_logger["django.request"]["request_id"] == "from-the-proxy"
    health = by_logger["collab.health"]
    assert health["level"] == "WARNING"
    assert health["message"].startswith("readiness check redis failed")
    assert health["request_id"] == "from-the-proxy"
    assert health["connection_id"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", health["time"])
    probe = [line for line in lines if line["logger"] == "probe"]
    assert [(line["message"], line["request_id"]) for line in probe] == [
        ("outside any request", None),
        ("it failed", None),
    ]
    assert "exception" not in probe[0]
    assert probe[1]["exception"].startswith("Traceback (most recent call last):")
    assert probe[1]["exception"].endswith("ZeroDivisionError: division by zero")
