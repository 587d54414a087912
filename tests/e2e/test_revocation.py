"""A revocation takes effect when the API says it did: once ``DELETE`` or ``PATCH`` of a
member has answered, an edit that member's open document socket sends at once is refused and
not stored (the socket closes with 4403, or is told "read-only"), and their room socket gets no
message posted after it and closes with 4403. On one web process (the embedded default) and on
two sharing PostgreSQL and Redis, the change made on one and the sockets open on the other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    Server,
    SharedServices,
    api_request,
    run_node,
    running,
    stored_log_postgres,
    stored_log_sqlite,
)

pytestmark = pytest.mark.e2e

ROOM_CLIENTS = Path(__file__).parent / "node" / "roomclients.cjs"


@dataclass
class Site:
    """Where the change is made (``api``) and where the member's sockets are (``sockets``)."""

    api: str
    sockets: str
    seed: dict[str, Any]
    stored_text: Any  # document id -> the text its stored log holds


@pytest.fixture(scope="module")
def two_processes(postgres_and_redis: SharedServices) -> Iterator[Site]:
    a, b = postgres_and_redis.daphnes("revocation", 2)
    with running(a, b):
        yield Site(
            api=a.url,
            sockets=b.url,
            seed=postgres_and_redis.seed,
            stored_text=lambda document: stored_log_postgres(
                postgres_and_redis.database_url, document
            ).text(),
        )


@pytest.fixture(scope="module")
def one_process(server: Server) -> Site:
    assert server.data_dir is not None
    database = server.data_dir / "db.sqlite3"
    return Site(
        api=server.url,
        sockets=server.url,
        seed=server.seed,
        stored_text=lambda document: stored_log_sqlite(database, document).text(),
    )


@pytest.fixture(params=["one_process", "two_processes"])
def site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def room_with_editor(site: Site, name: str) -> tuple[str, str, int]:
    """A new room of the seeded owner with ``editor`` as an editor and one text document;
    returns the room's id, the document's and the editor's user id."""
    owner = site.seed["tokens"]["owner"]
    room = str(api_request(site.api, owner, "POST", "rooms", {"name": name})["id"])
    member = api_request(
        site.api, owner, "POST", f"rooms/{room}/members", {"username": "editor", "role": "editor"}
    )
    document = api_request(
        site.api, owner, "POST", f"rooms/{room}/documents", {"title": "doc", "kind": "text"}
    )
    return room, str(document["id"]), int(member["user"]["id"])


def ws(url: str) -> str:
    return url.replace("http://", "ws://", 1)


def revoke_and_write(site: Site, action: str) -> tuple[dict[str, Any], str]:
    room, document, user_id = room_with_editor(site, f"revocation {action}")
    result = run_node(
        "revoked",
        {
            "action": action,
            "api": site.api,
            "server": ws(site.sockets) + "/ws/docs",
            "server2": ws(site.api) + "/ws/docs",
            "document": document,
            "room": room,
            "userId": user_id,
            "member": site.seed["tokens"]["editor"],
            "owner": site.seed["tokens"]["owner"],
        },
        timeout=60,
    )
    return result, document


def test_a_removed_member_write_sent_after_the_answer_is_refused_and_not_stored(site):
    result, document = revoke_and_write(site, "remove")
    assert result["status"] == 204
    assert result["closes"][:1] == [4403], result
    assert "before" in result["observer"] and "AFTER" not in result["observer"], result
    assert result["stored"] is not None and "AFTER" not in result["stored"], result
    stored = site.stored_text(document)
    assert "before" in stored and "AFTER" not in stored


def test_a_demoted_member_write_sent_after_the_answer_is_refused_and_not_stored(site):
    result, document = revoke_and_write(site, "demote")
    assert result["status"] == 200
    assert result["closes"] == [], "a viewer keeps reading"
    assert any("read-only" in line for line in result["denied"]), result
    assert "AFTER" not in result["observer"] and "AFTER" not in result["stored"], result
    assert "AFTER" not in site.stored_text(document)


def test_a_removed_member_room_socket_gets_nothing_posted_after_the_answer(site):
    room, _, user_id = room_with_editor(site, "revocation room")
    result = run_node(
        "removed",
        {
            "api": site.api,
            "server": ws(site.sockets),
            "server2": ws(site.api),
            "room": room,
            "userId": user_id,
            "member": site.seed["tokens"]["editor"],
            "owner": site.seed["tokens"]["owner"],
            "budgetMs": 50_000,
        },
        timeout=60,
        script=ROOM_CLIENTS,
    )
    assert (result["removed"], result["posted"]) == (204, 201), result
    assert result["memberClose"] == 4403, result
    assert "after the removal" not in result["memberGot"], result
