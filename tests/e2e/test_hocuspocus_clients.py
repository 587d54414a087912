"""Unmodified Hocuspocus clients (Node: @hocuspocus/provider + ws) on ``/ws/hocuspocus`` of a
real Daphne, alone and beside y-websocket clients on ``/ws/docs/{id}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pycrdt import write_var_uint

from tests.e2e.conftest import api_request, document_create, run_node, stored_log_sqlite

pytestmark = pytest.mark.e2e

HOCUS_CLIENTS = Path(__file__).parent / "node" / "hocusclients.cjs"


def run(scenario: str, server, **extra: Any) -> dict[str, Any]:
    tokens = server.seed["tokens"]
    call = {
        "server": server.ws_url.removesuffix("/ws/docs"),
        "document": extra.pop("document", None)
        or document_create(server.url, server.seed, scenario),
        **{role: tokens[role] for role in ("editor", "editor2", "viewer")},
        **extra,
    }
    return {**run_node(scenario, call, script=HOCUS_CLIENTS), "document": call["document"]}


def test_two_hocuspocus_clients_converge_and_a_late_joiner_gets_everything(server):
    result = run("converge", server)
    assert result["a"] == result["b"] == result["late"]
    assert sorted(result["a"].split()) == ["hello", "world"]
    assert result["scopes"] == ["read-write", "read-write"]


def test_a_hocuspocus_and_a_y_websocket_client_share_edits_and_awareness(server):
    result = run("mixed", server)
    assert result["h"] == result["y"]
    assert sorted(result["h"].split()) == ["from", "from", "hocuspocus", "y-websocket"]
    # Each side sees the other's cursor, stamped with the name the server knows.
    assert result["seenByY"]["cursor"] == 3
    assert result["seenByY"]["user"]["name"] == "editor"
    assert result["seenByH"]["cursor"] == 5
    assert result["seenByH"]["user"]["name"] == "editor2"


def test_a_hocuspocus_viewer_is_read_only_and_its_edit_is_never_stored(server):
    result = run("viewer", server)
    assert result["scope"] == "readonly"
    assert result["editorScope"] == "read-write"
    assert result["unsaved"] is True  # the server answered its update: not stored
    assert result["editor"] == result["late"] == "legit!"
    stored = stored_log_sqlite(server.data_dir / "db.sqlite3", result["document"])
    assert stored.text() == "legit!"


def test_share_link_secrets_open_a_document_for_hocuspocus_providers(server):
    """The provider's token may be a share link's secret: an edit link writes, a view link
    reads only, as the link's ``?link=`` does on the y-websocket socket."""
    document = document_create(server.url, server.seed, "through links")
    owner = server.seed["tokens"]["owner"]

    def link(role: str) -> str:
        path = f"documents/{document}/share-links"
        return str(api_request(server.url, owner, "POST", path, {"role": role})["token"])

    edit, view = link("editor"), link("viewer")
    result = run("viewer", server, document=document, editor=edit, viewer=view)

    assert result["scope"] == "readonly"
    assert result["editorScope"] == "read-write"
    assert result["unsaved"] is True
    assert result["editor"] == result["late"] == "legit!"
    assert stored_log_sqlite(server.data_dir / "db.sqlite3", document).text() == "legit!"


@pytest.mark.parametrize(
    ("token", "target", "reason"),
    [
        ("collab_invalid", None, "not-authenticated"),
        ("", None, "not-authenticated"),  # no token, and no session without an Origin
        ("outsider", None, "not-found"),
        ("editor", "00000000-0000-0000-0000-000000000000", "not-found"),
    ],
    ids=["bad-token", "no-token", "outsider", "unknown-document"],
)
def test_refused_hocuspocus_clients_get_authentication_failed(server, token, target, reason):
    tokens = server.seed["tokens"]
    extra: dict[str, Any] = {"token": tokens.get(token, token)}
    if target:
        extra["target"] = target
    result = run("refused", server, **extra)
    assert result["failed"] == reason
    assert result["scope"] is None
    assert result["synced"] is False
    assert result["closes"] == []  # the socket stays open for its other documents


def test_two_documents_over_one_socket(server):
    second = document_create(server.url, server.seed, "multiplex-2")
    result = run("multiplex", server, document2=second)
    assert result == {**result, "one": "first", "two": "second!", "sockets": 1}
    assert stored_log_sqlite(server.data_dir / "db.sqlite3", second).text() == "second!"


def test_broadcast_stateless_reaches_every_client_of_the_document(server):
    result = run("stateless", server)
    assert result["a"] == result["b"] == ["hello all"]


def var_string(text: str) -> list[int]:
    raw = text.encode()
    return list(write_var_uint(len(raw)) + raw)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (lambda doc: [*var_string(doc), 0, 7], 4400),  # unknown sync type
        (lambda doc: [*var_string(doc), 8, 1], 4400),  # sync status: the server's
        (lambda doc: [200, 200, 200], 4400),  # a name longer than the frame
    ],
    ids=["unknown-sync-type", "server-only-type", "truncated-name"],
)
def test_malformed_hocuspocus_messages_close_with_the_documented_code(server, frame, code):
    document = document_create(server.url, server.seed, "malformed")
    assert run("malformed", server, document=document, bytes=frame(document))["code"] == code
