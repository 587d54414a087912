"""A large paste in real Chromium: the default limits take about 1 MB of text, and a paste over
the limit says "too large", does not reconnect in a loop, and is taken back with undo, after
which the person's edits reach the others again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import new_document, open_document, status_of, wait_for_text
from tests.e2e.conftest import (
    Server,
    content_text,
    server_running,
)

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

SMALL_LIMIT_BYTES = 100_000
TEXT_LENGTH = "collab.editor.getText({blockSeparator: '\\n'}).length"


def paste(page: Any, text: str) -> None:
    """Paste ``text`` into the editor as the browser delivers a paste from the clipboard."""
    page.locator(".ProseMirror").click()
    page.keyboard.press("End")
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true,
                                                         cancelable: true });
            document.querySelector(".ProseMirror").dispatchEvent(event);
        }""",
        text,
    )


def pasted_text(total_bytes: int) -> str:
    """Paragraphs of plain text, ``total_bytes`` long in all."""
    line = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20)[:999] + "\n"
    return (line * (total_bytes // len(line) + 1))[:total_bytes]


def wait_for_length(page: Any, length: int) -> None:
    page.wait_for_function(f"n => window.collab && {TEXT_LENGTH} === n", arg=length)


def count_document_sockets(page: Any) -> list[str]:
    opened: list[str] = []
    page.on("websocket", lambda socket: "/ws/docs/" in socket.url and opened.append(socket.url))
    return opened


def test_a_one_megabyte_paste_reaches_the_other_person(people: People, app_server: Server):
    document_id = new_document(app_server, "Big paste", "Start")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Start")
    text = pasted_text(1_000_000)
    paste(alice, text)
    expected = len("Start") + len(text)  # the first line joins "Start"; the rest are paragraphs
    wait_for_length(alice, expected)
    wait_for_length(bob, expected)
    expect(status_of(alice)).to_have_attribute("data-status", "saved", timeout=60_000)
    stored = content_text(app_server.url, app_server.seed["tokens"]["owner"], document_id)
    assert stored.startswith("Start" + text[:100])
    assert len(stored.replace("\n", "")) == len(("Start" + text).replace("\n", ""))


@pytest.fixture(scope="module")
def small_limit_server(frontend_built, tmp_path_factory) -> Iterator[Server]:
    """A server that takes frames of at most ``SMALL_LIMIT_BYTES``."""
    with server_running(
        tmp_path_factory.mktemp("small-limit"), COLLAB_MAX_FRAME_BYTES=str(SMALL_LIMIT_BYTES)
    ) as small:
        yield small


@pytest.fixture
def small_limit_people(browser: Any, small_limit_server: Server) -> Iterator[People]:
    crowd = People(browser, small_limit_server)
    try:
        yield crowd
    finally:
        crowd.close()


def test_a_paste_over_the_limit_says_too_large_and_undo_takes_it_back(
    small_limit_people: People, small_limit_server: Server
):
    server = small_limit_server
    document_id = new_document(server, "Too big", "Before")
    alice = small_limit_people.sign_in("editor")
    bob = small_limit_people.sign_in("editor2")
    opened = count_document_sockets(alice)
    for page in (alice, bob):
        open_document(page, server, document_id)
        wait_for_text(page, "Before")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    assert len(opened) == 1

    paste(alice, pasted_text(2 * SMALL_LIMIT_BYTES))
    expect(status_of(alice)).to_have_attribute("data-status", "too_large")
    expect(status_of(alice)).to_contain_text("Too large to save")
    expect(status_of(alice)).to_contain_text("undo")
    # A client that retried would have reconnected within this (its back-off starts at 0.2 s).
    alice.wait_for_timeout(1000)
    assert len(opened) == 1
    assert content_text(server.url, server.seed["tokens"]["owner"], document_id) == "Before"

    alice.locator(".ProseMirror").focus()
    alice.keyboard.press("Control+z")
    wait_for_text(alice, "Before")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    assert len(opened) == 2  # one new connection, once the paste was undone
    alice.keyboard.press("End")
    alice.keyboard.type(" and after")
    wait_for_text(bob, "Before and after")
