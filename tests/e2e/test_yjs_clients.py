"""Unmodified Yjs clients (Node: yjs + y-websocket + ws) against a real Daphne."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import run_node

pytestmark = pytest.mark.e2e


def args(server, document: str, **tokens: str) -> dict[str, str]:
    return {
        "server": server.ws_url,
        "document": server.seed["documents"][document],
        **{role: server.seed["tokens"][who] for role, who in tokens.items()},
    }


def test_two_node_clients_converge_and_a_late_joiner_gets_everything(server):
    result = run_node(
        "converge",
        args(server, "converge", editor="editor", editor2="editor2", viewer="viewer"),
    )
    assert result["a"] == result["b"] == result["late"]
    assert sorted(result["a"].split()) == ["hello", "world"]


def test_a_viewers_edit_never_lands(server):
    result = run_node("viewer", args(server, "viewer", editor="editor", viewer="viewer"))
    assert result["editor"] == "legit"


def test_awareness_appears_stamped_by_the_server_and_disappears(server):
    result = run_node("awareness", args(server, "awareness", editor="editor", editor2="editor2"))
    assert result["seen"]["cursor"] == 7
    assert result["seen"]["user"]["name"] == "editor"
    assert result["seen"]["user"]["color"] != "#000000"


@pytest.mark.parametrize(
    ("token", "target", "code"),
    [
        ("nobody", None, 4401),
        ("outsider", None, 4404),
        ("editor", "00000000-0000-0000-0000-000000000000", 4404),
    ],
    ids=["bad-token", "outsider", "unknown-document"],
)
def test_refused_node_clients_get_the_documented_close_code(server, token, target, code):
    tokens = server.seed["tokens"]
    call = {
        "server": server.ws_url,
        "document": server.seed["documents"]["refused"],
        "token": tokens.get(token, "collab_invalid"),
    }
    if target:
        call["target"] = target
    assert run_node("refused", call) == {"code": code}
