"""``/metrics``: scraped in Prometheus' text format before and after real activity through the
real ASGI stack (document and room sockets, sync runtime, database), and the Celery queue
depth read from a real Redis broker and a real file-system one."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import kombu
import pytest
import redis
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families
from pycrdt import Doc, Text

from collab.asgi import application
from rooms.accounts.services import api_token_create
from rooms.membership.models import Role
from rooms.sync import log
from tests.e2e.conftest import free_port, redis_available, redis_database
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.ysync_client import YClient

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(**headers: str) -> Samples:
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


ascrape = sync_to_async(scrape)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples) -> dict[str, float]:
    """Collab's samples that changed, as ``name{label=value,...}``: the delta of each (the
    process and Python ones of prometheus-client move on their own, and the HTTP ones with
    each scrape)."""
    changed = {}
    for key in before.keys() | after.keys():
        if not key[0].startswith("collab_") or key[0].startswith("collab_http_"):
            continue
        delta = after.get(key, 0.0) - before.get(key, 0.0)
        if delta:
            name, labels = key
            rendered = ",".join(f"{k}={v}" for k, v in sorted(labels))
            changed[f"{name}{{{rendered}}}" if rendered else name] = delta
    return changed


def _member_token(room: Any, role: Role = Role.EDITOR) -> str:
    user = UserFactory()
    MembershipFactory(room=room, user=user, role=role)
    return api_token_create(user=user, name="test")[1]


member_token = sync_to_async(_member_token)


@sync_to_async
def new_document():
    return DocumentFactory(room=RoomFactory())


async def open_client(document: Any, token: str) -> YClient:
    client, connected = await YClient.connect(document.pk, token)
    assert connected
    await client.sync()
    return client


async def eventually(condition, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.mark.django_db(transaction=True)
async def test_an_edit_moves_the_update_counters_latencies_and_gauges_by_one():
    document = await new_document()
    idle = await ascrape()
    a = await open_client(document, await member_token(document.room))
    b = await open_client(document, await member_token(document.room))
    before = await ascrape()
    assert value(before, "collab_open_sockets", kind="document") == (
        value(idle, "collab_open_sockets", kind="document") + 2
    )
    assert value(before, "collab_loaded_documents") == value(idle, "collab_loaded_documents") + 1

    await a.insert(0, "counted")
    await b.receive_one()
    after = await ascrape()
    assert str(b.text) == "counted"
    changes = moved(before, after)
    latencies = {key: delta for key, delta in changes.items() if "_bucket{" in key or "_sum" in key}
    assert {key: delta for key, delta in changes.items() if key not in latencies} == {
        "collab_updates_received_total": 1,
        "collab_updates_committed_total": 1,
        "collab_commit_seconds_count": 1,
        "collab_fanout_seconds_count": 1,
    }
    for histogram in ("collab_commit_seconds", "collab_fanout_seconds"):
        assert changes[f"{histogram}_bucket{{le=+Inf}}"] == 1
        assert 0 < changes[f"{histogram}_sum"] < 5
        assert all(
            delta == 1 for key, delta in latencies.items() if key.startswith(f"{histogram}_bucket")
        )

    await a.ws.disconnect()
    await b.ws.disconnect()
    done = await ascrape()
    assert value(done, "collab_open_sockets", kind="document") == value(
        idle, "collab_open_sockets", kind="document"
    )
    assert value(done, "collab_loaded_documents") == value(idle, "collab_loaded_documents")
    assert value(done, "collab_sockets_closed_total", kind="document", code="1000") == (
        value(idle, "collab_sockets_closed_total", kind="document", code="1000") + 2
    )


@pytest.mark.django_db(transaction=True)
async def test_a_read_only_update_is_received_but_never_committed():
    document = await new_document()
    viewer = await open_client(document, await member_token(document.room, Role.VIEWER))
    before = await ascrape()
    await viewer.insert(0, "refused")
    await viewer.ws.receive_from(timeout=5)  # the auth message: read-only
    after = await ascrape()
    assert moved(before, after) == {"collab_updates_received_total": 1}
    await viewer.ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_malformed_frame_is_counted_once_under_close_code_4400():
    document = await new_document()
    client = await open_client(document, await member_token(document.room))
    before = await ascrape()
    await client.ws.send_to(bytes_data=b"\x00\x07")  # a sync message of no known type
    closed = await client.ws.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4400}
    after_close = await ascrape()
    # The transport then reports the end of the socket, with the client's own code (1000 here):
    # the socket is counted once, under the code the server closed it with.
    await client.ws.disconnect(code=1000)
    after_disconnect = await ascrape()
    assert moved(before, after_close) == {"collab_loaded_documents": -1}
    assert moved(after_close, after_disconnect) == {
        "collab_open_sockets{kind=document}": -1,
        "collab_sockets_closed_total{code=4400,kind=document}": 1,
    }


@pytest.mark.django_db(transaction=True)
async def test_an_update_committed_by_another_process_is_counted_as_a_gap_repair():
    document = await new_document()
    client = await open_client(document, await member_token(document.room))
    before = await ascrape()
    # Another process's commit: in the log, never sent through this process's channel layer.
    other = Doc()
    other.get("text", type=Text).insert(0, "from elsewhere")
    await sync_to_async(log.updates_append)(
        [log.PendingUpdate(document_id=document.pk, data=other.get_update(), author_id=None)]
    )
    await client.receive_one()  # brought by the runtime's sweep, from the log
    assert str(client.text) == "from elsewhere"
    after = await ascrape()
    assert moved(before, after) == {"collab_gap_repairs_total": 1}
    await client.ws.disconnect()


@sync_to_async
def _room_member() -> tuple[Any, str]:
    room = RoomFactory()
    return room, _member_token(room)


async def _read_until(ws: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    while True:
        event = json.loads(await ws.receive_from(timeout=5))
        if event["type"] == kind:
            return event


@pytest.mark.django_db(transaction=True)
async def test_a_chat_message_on_the_room_socket_is_counted_with_the_socket():
    room, token = await _room_member()
    idle = await ascrape()
    ws = WebsocketCommunicator(application, f"/ws/rooms/{room.pk}?token={token}")
    connected, _ = await ws.connect()
    assert connected
    await _read_until(ws, "message.history")
    opened = await ascrape()
    assert moved(idle, opened) == {"collab_open_sockets{kind=room}": 1}

    await ws.send_to(
        text_data=json.dumps({"type": "message.send", "body": "hi", "client_id": "c1"})
    )
    await _read_until(ws, "message.new")
    sent = await ascrape()
    assert moved(opened, sent) == {"collab_chat_messages_total": 1}

    await ws.disconnect()
    closed = await ascrape()
    assert moved(sent, closed) == {
        "collab_open_sockets{kind=room}": -1,
        "collab_sockets_closed_total{code=1000,kind=room}": 1,
    }


# --- the Celery queue depth -----------------------------------------------------------------


@pytest.mark.skipif(not redis_available(), reason="needs Redis")
@pytest.mark.django_db
def test_the_queue_depth_is_read_from_a_redis_broker(settings):
    with redis_database() as url:
        settings.CELERY_BROKER_URL = url
        broker = redis.Redis.from_url(url)
        assert value(scrape(), "collab_celery_queue_depth", queue="celery") == 0
        broker.rpush("celery", "a", "b", "c")
        broker.rpush("celery\x06\x169", "urgent")  # kombu's list for priority 9
        broker.rpush("another-queue", "not ours")
        assert value(scrape(), "collab_celery_queue_depth", queue="celery") == 4
        broker.close()


@pytest.mark.django_db
def test_an_unreachable_broker_leaves_the_sample_out_and_logs(settings, caplog):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.WARNING, logger="rooms.core.metrics"):
        samples = scrape()
    assert not [key for key in samples if key[0] == "collab_celery_queue_depth"]
    assert "collab_updates_received_total" in {key[0] for key in samples}
    assert [record.message for record in caplog.records if record.name == "rooms.core.metrics"] == [
        "could not read the Celery queue depths"
    ]


@pytest.mark.django_db
def test_the_queue_depth_is_read_from_the_file_system_broker(settings, tmp_path):
    options = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (tmp_path / folder).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://localhost/"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    with kombu.Connection("filesystem://localhost/", transport_options=options) as connection:
        celery_queue = connection.SimpleQueue("celery")
        other_queue = connection.SimpleQueue("another-queue")
        for n in range(3):
            celery_queue.put({"n": n})
        other_queue.put({"n": 0})
        assert value(scrape(), "collab_celery_queue_depth", queue="celery") == 3
        celery_queue.get(timeout=5).ack()
        assert value(scrape(), "collab_celery_queue_depth", queue="celery") == 2
        celery_queue.close()
        other_queue.close()


# --- access ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_need_the_bearer_token_once_one_is_set(settings):
    settings.COLLAB_METRICS_TOKEN = "s3cret-metrics"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-metrics"}):
        response = Client().get("/metrics", headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "detail": "A valid metrics token is required.",
            "code": "not_authenticated",
        }
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    samples = scrape(Authorization="Bearer s3cret-metrics")
    assert "collab_updates_committed_total" in {name for name, _ in samples}


@pytest.mark.django_db
def test_every_metric_is_exposed_with_its_help(settings):
    settings.CELERY_BROKER_URL = "memory://"  # a broker it cannot read: no queue sample
    text = Client().get("/metrics").content.decode()
    helps = [line.split()[2] for line in text.splitlines() if line.startswith("# HELP collab_")]
    assert sorted(helps) == sorted(
        {
            "collab_open_sockets",
            "collab_loaded_documents",
            "collab_updates_received_total",
            "collab_updates_committed_total",
            "collab_commit_seconds",
            "collab_fanout_seconds",
            "collab_gap_repairs_total",
            "collab_sockets_closed_total",
            "collab_chat_messages_total",
            "collab_celery_queue_depth",
            "collab_http_requests_total",
            "collab_http_request_seconds",
        }
    )
