"""A real Daphne (``manage.py runweb``) at its edges, probed by raw ``ws`` clients in Node: the
Origin a handshake may carry, and what an oversize frame gets back. A browser must always be
able to read why its socket closed; a dropped connection (1006) looks like a network failure,
and clients retry it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collab.webserver.process import websocket_payload_cap
from tests.e2e.conftest import (
    Server,
    document_create,
    run_node,
    server_running,
)

pytestmark = pytest.mark.e2e

HANDSHAKES = Path(__file__).parent / "node" / "handshakes.cjs"
MAX_FRAME_BYTES = 1_000_000


def handshakes(url: str, origins: list[str]) -> dict[str, object]:
    """Each origin's outcome: "open", the HTTP status of a refused handshake, or an error."""
    results = run_node("origins", {"url": url, "origins": origins}, script=HANDSHAKES)["results"]
    return {
        r["origin"]: "open" if r["opened"] else r.get("status", r.get("error")) for r in results
    }


def test_only_the_sites_own_origin_may_open_a_socket(server: Server):
    document = document_create(server.url, server.seed, "origins")
    token = server.seed["tokens"]["owner"]
    port = server.url.rsplit(":", 1)[1]
    right = f"http://127.0.0.1:{port}"
    outcomes = handshakes(
        f"{server.ws_url}/{document}?token={token}",
        [
            right,
            "http://127.0.0.1:6666",  # another port on the same host
            f"https://127.0.0.1:{port}",  # another scheme
            f"http://127.0.0.1.evil.example:{port}",  # a lookalike host
            f"http://localhost:{port}",  # an allowed host, but not the one the page is on
        ],
    )
    assert outcomes == {
        right: "open",
        "http://127.0.0.1:6666": 403,
        f"https://127.0.0.1:{port}": 403,
        f"http://127.0.0.1.evil.example:{port}": 403,
        f"http://localhost:{port}": 403,
    }


@pytest.fixture(scope="module")
def small_frames_server(tmp_path_factory) -> Iterator[Server]:
    """A server whose frame limit is small, so that frames past Daphne's cap stay cheap."""
    with server_running(
        tmp_path_factory.mktemp("small-frames"), COLLAB_MAX_FRAME_BYTES=str(MAX_FRAME_BYTES)
    ) as small:
        yield small


def test_an_oversize_frame_always_gets_a_close_code_the_client_can_read(small_frames_server):
    server = small_frames_server
    document = document_create(server.url, server.seed, "oversize frames")
    token = server.seed["tokens"]["owner"]
    cap = websocket_payload_cap(MAX_FRAME_BYTES)
    sizes = [MAX_FRAME_BYTES + 1, cap - 1, cap, cap + 1, 10 * cap]
    results = run_node(
        "frames",
        {"url": f"{server.ws_url}/{document}?token={token}", "sizes": sizes},
        script=HANDSHAKES,
        timeout=120,
    )["results"]
    codes = {r["size"]: r["code"] for r in results}
    # Up to Daphne's cap the app reads the frame and answers 4413; past it autobahn refuses to
    # read on with 1009 (message too big). Never a dropped connection (1006).
    assert codes == {
        MAX_FRAME_BYTES + 1: 4413,
        cap - 1: 4413,
        cap: 4413,
        cap + 1: 1009,
        10 * cap: 1009,
    }, server.data_dir
