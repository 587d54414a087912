"""The chat's extras in real Chromium against a real Daphne: mention autocomplete, files
(sent by one person, received and downloaded by another; refused before sending when the
server would refuse them; retried after a failed upload), unread counts on the room list (kept
current while it is open), and threads longer than a page of replies."""

from __future__ import annotations

import json
import time
import urllib.error
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


def chat_message(page: Any, text: str) -> Any:
    return page.locator(".room-chat > .chat-scroll .chat-message").filter(has_text=text)


def post(server: Server, who: str, room: str, body: str, parent: int | None = None) -> Any:
    """Post over REST, waiting out the chat rate limit (429) when it is reached."""
    for _ in range(50):
        try:
            return api_request(
                server.url,
                server.seed["tokens"][who],
                "POST",
                f"rooms/{room}/messages",
                {"body": body, **({"parent": parent} if parent else {})},
            )
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(0.5)
    raise AssertionError("still rate limited")


def test_mention_autocomplete_inserts_the_picked_username_and_the_mention_renders(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = document_create(app_server.url, app_server.seed, "Mentions")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    open_document(alice, app_server, document_id)
    open_document(bob, app_server, document_id)

    composer = alice.get_by_label("Message the room")
    composer.click()
    composer.press_sequentially("Ping @o")
    options = alice.get_by_role("listbox", name="People to mention").get_by_role("option")
    expect(options).to_have_count(1)
    composer.press("Escape")
    expect(options).to_have_count(0)
    expect(composer).to_have_attribute("aria-expanded", "false")

    composer.fill("")
    composer.press_sequentially("Ping @edi")
    expect(options).to_have_count(2)
    expect(options.first).to_have_attribute("aria-selected", "true")
    composer.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("data-username", "editor2")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    alice.screenshot(path=str(artifacts / "chat-mentions.png"))
    composer.press("Enter")  # picks, does not send
    expect(composer).to_have_value("Ping @editor2 ")
    composer.press_sequentially("please review")
    composer.press("Enter")

    received = chat_message(bob, "please review")
    expect(received.locator(".mention")).to_have_text("@editor2")
    expect(chat_message(alice, "please review").locator(".mention")).to_have_text("@editor2")


def test_a_file_sent_by_one_person_appears_for_the_other_and_downloads(
    people: People, app_server: Server
) -> None:
    document_id = document_create(app_server.url, app_server.seed, "Files")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    open_document(alice, app_server, document_id)
    open_document(bob, app_server, document_id)
    picker = alice.locator(".room-chat > .chat-composer input[type=file]")
    expect(alice.get_by_role("button", name="Attach a file")).to_be_visible()

    # A type the server refuses is refused here, with a clear error, and nothing is sent.
    picker.set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}]
    )
    expect(alice.locator(".chat-upload-error")).to_contain_text(
        "setup.exe: files of type application/x-msdownload cannot be sent here."
    )
    alice.get_by_role("button", name="Dismiss").click()

    # The first upload fails (the server is unreachable); the retry sends it, once.
    attempts: list[str] = []

    def fail_first(route: Any) -> None:
        attempts.append(route.request.method)
        if len(attempts) == 1:
            route.fulfill(
                status=503,
                content_type="application/json",
                body=json.dumps({"detail": "Try again later.", "code": "unavailable"}),
            )
        else:
            route.continue_()

    alice.route("**/api/v1/rooms/*/attachments", fail_first)
    content = b"quarterly numbers\n1,2,3\n"
    picker.set_input_files(
        files=[{"name": "numbers.csv", "mimeType": "text/csv", "buffer": content}]
    )
    failed = alice.locator(".chat-upload.failed")
    expect(failed).to_contain_text("Not sent: Try again later.")
    failed.get_by_role("button", name="Retry").click()
    expect(alice.locator(".chat-upload")).to_have_count(0)

    link = bob.locator(".room-chat > .chat-scroll .chat-attachment").filter(has_text="numbers.csv")
    expect(link).to_have_count(1)
    with bob.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "numbers.csv"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == content
    expect(
        alice.locator(".room-chat > .chat-scroll .chat-attachment").filter(has_text="numbers.csv")
    ).to_have_count(1)
    assert attempts == ["POST", "POST"]


def test_the_room_list_shows_unread_counts_after_another_person_posts(
    people: People, app_server: Server
) -> None:
    owner = app_server.seed["tokens"]["owner"]
    room = api_request(app_server.url, owner, "POST", "rooms", {"name": "Unread room"})["id"]
    api_request(
        app_server.url,
        owner,
        "POST",
        f"rooms/{room}/members",
        {"username": "editor2", "role": "editor"},
    )
    post(app_server, "owner", room, "first news")
    post(app_server, "owner", room, "second news")

    bob = people.sign_in("editor2")
    badge = bob.locator(f"[data-unread-room='{room}']")
    expect(badge).to_have_text("2")
    expect(badge).to_have_attribute("aria-label", "2 unread messages")

    # The open list keeps up without a reload (it polls every 10 s while visible).
    post(app_server, "owner", room, "third news")
    expect(badge).to_have_text("3", timeout=20_000)
    expect(badge).to_have_attribute("aria-label", "3 unread messages")

    # Reading the room (its chat in view) clears the count.
    bob.goto(f"/rooms/{room}/")
    expect(chat_message(bob, "second news")).to_have_count(1)
    expect(bob.get_by_test_id("chat-unread")).to_be_hidden()
    bob.wait_for_timeout(1500)  # the read is sent after the panel has been seen a moment
    bob.goto("/")
    expect(bob.get_by_role("heading", name="Your rooms")).to_be_visible()
    expect(bob.locator(f"[data-unread-room='{room}']")).to_be_hidden()


def test_a_long_thread_loads_more_replies_as_it_is_scrolled(
    people: People, app_server: Server
) -> None:
    room = app_server.seed["room"]
    document_id = document_create(app_server.url, app_server.seed, "Long thread")
    root = post(app_server, "owner", room, "A very long discussion")
    posters = ["owner", "editor", "editor2", "member"]
    for number in range(1, 131):
        post(app_server, posters[number % 4], room, f"reply number {number:03d}", root["id"])

    page = people.sign_in("viewer")
    page.goto(f"/rooms/{room}/documents/{document_id}/")
    # The root is older than the history the socket sends: search reaches it.
    page.get_by_role("searchbox", name="Search this room").fill("discussion")
    page.get_by_test_id("search-message").filter(has_text="A very long discussion").click()
    root_item = chat_message(page, "A very long discussion")
    expect(root_item).to_be_in_viewport()
    root_item.locator(".chat-thread-link").click()
    replies = page.locator(".chat-replies .chat-message")
    expect(replies).to_have_count(100)
    replies.last.scroll_into_view_if_needed()
    expect(replies).to_have_count(130)
    expect(replies.last).to_contain_text("reply number 130")
    expect(page.get_by_role("button", name="More replies")).to_be_hidden()
