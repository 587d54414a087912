"""Room search in real Chromium against a real Daphne: words another person typed into a
document a moment ago and a chat message (and a thread reply) are found, and each result
lands on its place: the document opens with the words selected, the chat shows the
message, the thread opens at the reply."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request, document_create

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def open_document(page: Any, server: Server, document_id: str) -> None:
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    expect(page.get_by_label("Message the room")).to_be_visible()


def search_for(page: Any, words: str, shortcut: bool = True) -> Any:
    """Focus the search box with Ctrl+K (outside the editor, whose Ctrl+K makes a link) or a
    click, type, and return the results panel."""
    box = page.get_by_role("searchbox", name="Search this room")
    if shortcut:
        page.keyboard.press("Control+k")
    else:
        box.click()
    expect(box).to_be_focused()
    box.fill(words)
    return page.locator(".search-results")


def post(server: Server, who: str, body: str, parent: int | None = None) -> dict[str, Any]:
    return api_request(
        server.url,
        server.seed["tokens"][who],
        "POST",
        f"rooms/{server.seed['room']}/messages",
        {"body": body, **({"parent": parent} if parent else {})},
    )


def test_search_finds_fresh_document_text_and_messages_and_lands_on_them(
    people: People, app_server: Server, artifacts: Path
) -> None:
    launch = document_create(app_server.url, app_server.seed, "Launch notes")
    scratch = document_create(app_server.url, app_server.seed, "Scratch pad")
    bob = people.sign_in("editor2")
    open_document(bob, app_server, launch)
    editor = bob.locator(".ProseMirror")
    editor.click()
    bob.keyboard.type("Intro line.")
    bob.keyboard.press("Enter")
    bob.keyboard.type("The zebra migration starts on Tuesday.")
    root = post(app_server, "editor2", "Who owns the giraffe budget?")
    post(app_server, "editor", "The okapi forecast is in the drive.", parent=root["id"])

    alice = people.sign_in("editor")
    open_document(alice, app_server, scratch)

    # Typed a moment ago by someone else, and found.
    results = search_for(alice, "zebra")
    hit = results.get_by_test_id("search-document").filter(has_text="Launch notes")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark")).to_have_text("zebra")
    alice.screenshot(path=str(artifacts / "room-search.png"))
    hit.click()
    expect(alice).to_have_url(re.compile(f"/documents/{launch}/$"))
    expect(alice.locator(".ProseMirror p.search-hit-block")).to_contain_text("zebra migration")
    expect(alice.locator(".ProseMirror .search-hit")).to_have_text("zebra")
    alice.wait_for_function("() => window.getSelection().toString() === 'zebra'")

    # A message: the chat shows it, marked.
    results = search_for(alice, "giraffe", shortcut=False)
    hit = results.get_by_test_id("search-message")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark")).to_have_text("giraffe")
    hit.click()
    shown = alice.locator(".room-chat > .chat-scroll .chat-message.search-hit")
    expect(shown).to_contain_text("Who owns the giraffe budget?")
    expect(shown).to_be_in_viewport()

    # A reply: its thread opens at it.
    results = search_for(alice, "okapi", shortcut=False)
    hit = results.get_by_test_id("search-message")
    expect(hit).to_contain_text("(in a thread)")
    hit.click()
    expect(alice.locator(".chat-thread-root")).to_contain_text("Who owns the giraffe budget?")
    expect(alice.locator(".chat-replies .chat-message.search-hit")).to_contain_text(
        "The okapi forecast"
    )


def test_slash_focuses_search_and_escape_closes_the_results(
    people: People, app_server: Server
) -> None:
    page = people.sign_in("viewer")
    page.goto(f"/rooms/{app_server.seed['room']}/")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Search this room")
    expect(box).to_be_focused()
    box.fill("nothing-matches-this")
    expect(page.locator(".search-status")).to_have_text("Nothing found.")
    box.fill("x" * 5)
    box.press("Escape")
    expect(page.locator(".search-results")).to_be_hidden()


def test_search_works_on_a_narrow_screen(people: People, app_server: Server) -> None:
    post(app_server, "owner", "The capybara schedule is final.")
    page = people.sign_in("editor2", viewport={"width": 390, "height": 800})
    page.goto(f"/rooms/{app_server.seed['room']}/")
    page.locator("main").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("/")  # opens the sidebar drawer at its search box
    box = page.get_by_role("searchbox", name="Search this room")
    expect(box).to_be_focused()
    expect(page.locator(".sidebar-toggle")).to_have_attribute("aria-expanded", "true")
    box.fill("capybara")
    page.get_by_test_id("search-message").click()
    expect(page.locator(".sidebar-toggle")).to_have_attribute("aria-expanded", "false")
    shown = page.locator(".room-chat > .chat-scroll .chat-message.search-hit")
    expect(shown).to_contain_text("The capybara schedule is final.")
    expect(shown).to_be_in_viewport()
