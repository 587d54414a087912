"""The room socket across two Daphne processes sharing one PostgreSQL database and one Redis:
members connected to different processes see each other's messages, typing and presence
(join, update, leave; one user with tabs on both processes counts once); a client that re-sends
a message with the same ``client_id`` after reconnecting, to either process, whether or not it
had its confirmation, or from two tabs at once, creates exactly one message and is answered
with that message; and every event any client received matches its schema in
``rooms.events.SCHEMAS``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rooms.room_socket.schemas import SCHEMAS
from tests.e2e.conftest import (
    Daphne,
    SharedServices,
    api_request,
    document_create,
    run_node,
    running,
)

pytestmark = pytest.mark.e2e

ROOM_CLIENTS = Path(__file__).parent / "node" / "roomclients.cjs"


@pytest.fixture(scope="module")
def daphnes(postgres_and_redis: SharedServices) -> Iterator[tuple[Daphne, Daphne]]:
    """Two web processes on the shared database and Redis, for every test of this module
    (each test works in a room of its own)."""
    a, b = postgres_and_redis.daphnes("rooms", 2)
    with running(a, b):
        yield a, b


@pytest.fixture
def shared(postgres_and_redis: SharedServices) -> SharedServices:
    return postgres_and_redis


def ws_base(daphne: Daphne) -> str:
    return daphne.url.replace("http://", "ws://", 1)


def room_with_members(url: str, seed: dict[str, Any], name: str) -> tuple[str, str]:
    """A new room made by the seeded owner over REST, with ``editor`` and ``editor2`` as
    editors and ``viewer`` as viewer; returns its id and one text document's id."""
    owner = seed["tokens"]["owner"]
    room = api_request(url, owner, "POST", "rooms", {"name": name})
    room_id = str(room["id"])
    for username, role in [("editor", "editor"), ("editor2", "editor"), ("viewer", "viewer")]:
        api_request(
            url, owner, "POST", f"rooms/{room_id}/members", {"username": username, "role": role}
        )
    document = api_request(
        url, owner, "POST", f"rooms/{room_id}/documents", {"title": "doc", "kind": "text"}
    )
    return room_id, str(document["id"])


def run_room_clients(scenario: str, args: dict[str, Any], timeout: float = 150) -> dict[str, Any]:
    """Run one scenario of roomclients.cjs; returns what it printed."""
    return run_node(scenario, {"budgetMs": 120_000, **args}, timeout=timeout, script=ROOM_CLIENTS)


def assert_every_event_matches_its_schema(result: dict[str, Any]) -> int:
    """Check every frame every client of a scenario received; returns how many there were."""
    checker = jsonschema.FormatChecker()
    count = 0
    for client in result["clients"]:
        for event in client["frames"]:
            assert event.get("type") in SCHEMAS, (client["name"], event)
            jsonschema.validate(event, SCHEMAS[event["type"]], format_checker=checker)
            count += 1
    return count


def stored_ids(database_url: str, room_id: str, client_id: str) -> list[int]:
    """The ids of the messages with ``client_id`` in the room, read straight from PostgreSQL."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT id FROM rooms_message WHERE room_id = %s AND client_id = %s ORDER BY id",
            (uuid.UUID(room_id), client_id),
        ).fetchall()
    return [int(row[0]) for row in rows]


def listed_ids(url: str, token: str, room_id: str, client_id: str) -> list[int]:
    """The ids of the messages with ``client_id`` that ``GET rooms/{id}/messages`` lists."""
    page = api_request(url, token, "GET", f"rooms/{room_id}/messages?page_size=200")
    return [m["id"] for m in page["results"] if m["client_id"] == client_id]


def scenario_args(daphnes: tuple[Daphne, Daphne], seed: dict[str, Any], room: str) -> dict:
    return {"servers": [ws_base(d) for d in daphnes], "room": room, "tokens": seed["tokens"]}


def test_members_on_two_processes_see_each_others_messages_typing_and_presence(shared, daphnes):
    a, _ = daphnes
    room, document = room_with_members(a.url, shared.seed, "cross-process")
    result = run_room_clients(
        "crossprocess", {**scenario_args(daphnes, shared.seed, room), "document": document}
    )
    steps = result["steps"]
    # editor2's socket (second process) was told at once that editor (first process) is here.
    assert steps["bSnapshot"] == ["editor", "editor2"]
    assert steps["aSawBJoin"]["status"] == "online"
    assert steps["bGotA"]["message"]["body"] == "hello from a"
    assert steps["bGotA"]["message"]["author"]["username"] == "editor"
    assert steps["aGotOwn"]["message"]["id"] == steps["bGotA"]["message"]["id"]
    assert steps["aGotB"]["message"]["body_html"] == "<p>hello from <strong>b</strong></p>"
    assert steps["bGotTyping"]["room"] == room
    assert steps["aGotTyping"]["user"]["username"] == "editor2"
    assert steps["aSawAway"]["viewing"] is None
    assert steps["aSawViewing"] == {
        **steps["aSawViewing"],
        "status": "away",
        "viewing": document,
    }
    assert steps["bSawAway"]["user"]["username"] == "editor"
    assert steps["aSawBLeave"]["room"] == room
    # Each member's own typing is never sent back to them.
    a_events, b_events = (client["events"] for client in result["clients"])
    assert [e["user"]["username"] for e in a_events if e["type"] == "typing"] == ["editor2"]
    assert [e["user"]["username"] for e in b_events if e["type"] == "typing"] == ["editor"]
    assert assert_every_event_matches_its_schema(result) >= 16


def test_room_events_still_cross_processes_once_documents_are_being_edited(shared, daphnes):
    """Regression: the sync runtime's listener and the room hub's used channels of different
    prefixes, which channels-redis reads as two lists under one lock; once a document socket
    had started the runtime's listener, the hub never heard another process again."""
    a, b = daphnes
    document = document_create(a.url, shared.seed, "edited on both processes")
    tokens = [shared.seed["tokens"][name] for name in ("owner", "editor", "editor2", "editor")]
    run_node(
        "typing",
        {
            "servers": [a.ws_url, b.ws_url],
            "document": document,
            "tokens": tokens,
            "inserts": 3,
            "maxDelayMs": 20,
            "settleMs": 30_000,
            "seed": 1,
        },
        timeout=90,
    )
    room, room_document = room_with_members(a.url, shared.seed, "after documents")
    result = run_room_clients(
        "crossprocess", {**scenario_args(daphnes, shared.seed, room), "document": room_document}
    )
    assert result["steps"]["aSawBJoin"]["status"] == "online"
    assert result["steps"]["bGotA"]["message"]["body"] == "hello from a"
    assert result["steps"]["aSawBLeave"]["room"] == room


def test_a_user_with_a_tab_on_each_process_joins_once_and_leaves_with_the_last_tab(shared, daphnes):
    a, _ = daphnes
    room, _ = room_with_members(a.url, shared.seed, "two tabs")
    result = run_room_clients("tabs", scenario_args(daphnes, shared.seed, room))
    # The second tab's snapshot counts both tabs, across the processes.
    members = {m["user"]["username"]: m for m in result["tab2Snapshot"]["members"]}
    assert members["editor2"]["connections"] == 2
    # The watcher saw one join, then (when the online tab closed, leaving the away one) an
    # update to away, and no leave until the last tab closed.
    assert result["beforeLastClose"] == ["presence.join", "presence.update:away"]
    assert_every_event_matches_its_schema(result)


@pytest.mark.parametrize("mode", ["after", "before", "concurrent"])
def test_a_resent_client_id_creates_one_message_whichever_process_gets_it(shared, daphnes, mode):
    a, b = daphnes
    room, _ = room_with_members(a.url, shared.seed, f"resend {mode}")
    client_id = f"resend-{mode}-{uuid.uuid4().hex[:8]}"
    tokens = {
        "sender": shared.seed["tokens"]["editor"],
        "observer": shared.seed["tokens"]["viewer"],
    }
    result = run_room_clients(
        "resend",
        {
            **scenario_args(daphnes, shared.seed, room),
            "tokens": tokens,
            "mode": mode,
            "clientId": client_id,
        },
    )
    stored = stored_ids(shared.database_url, room, client_id)
    assert len(stored) == 1, (mode, stored, result["errors"])
    (message_id,) = stored
    assert listed_ids(b.url, tokens["observer"], room, client_id) == [message_id]
    # The re-send is answered with message.new carrying the first message's id.
    assert result["answerId"] == message_id
    assert set(result["secondIds"]) == {message_id}
    if mode == "after":
        assert result["confirmedBeforeClose"] == message_id
    if mode == "concurrent":
        assert set(result["firstIds"]) == {message_id}
    # Others saw it once: the second send published nothing.
    assert result["observerIds"] == [message_id]
    assert result["errors"] == []
    assert_every_event_matches_its_schema(result)
