"""The chat panel and the presence bar in real Chromium: two people in two browsers see each
other's messages, reactions and thread replies live, and who is viewing which document."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request, document_create

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def open_room_document(page: Any, server: Server, document_id: str) -> None:
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    expect(page.get_by_label("Message the room")).to_be_visible()


def chat_message(page: Any, text: str) -> Any:
    return page.locator(".room-chat > .chat-scroll .chat-message").filter(has_text=text)


def presence_of(page: Any, username: str) -> Any:
    return page.locator(f".presence-person[data-user={username}]")


def test_messages_reactions_and_thread_replies_appear_live_for_the_other(
    people: People, app_server: Server, artifacts: Path
) -> None:
    plan = document_create(app_server.url, app_server.seed, "Release plan")
    notes = document_create(app_server.url, app_server.seed, "Meeting notes")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    open_room_document(alice, app_server, plan)
    open_room_document(bob, app_server, notes)

    # Each sees the other in the presence bar, with the document they have open.
    expect(presence_of(alice, "editor2")).to_have_attribute("data-viewing", notes)
    expect(presence_of(alice, "editor2")).to_contain_text("Meeting notes")
    expect(presence_of(bob, "editor")).to_have_attribute("data-viewing", plan)

    # A message shows at once for its author and arrives live for the other.
    composer = alice.get_by_label("Message the room")
    composer.fill("Shipping **Friday**?")
    expect(bob.locator(".chat-typing")).to_have_text("editor is typing…")
    composer.press("Enter")
    sent = chat_message(alice, "Shipping Friday?")
    expect(sent).to_have_count(1)
    expect(sent).to_have_attribute("data-message-id", re.compile(r"^\d+$"))
    received = chat_message(bob, "Shipping Friday?")
    expect(received).to_have_count(1)
    expect(received.locator(".chat-body strong")).to_have_text("Friday")
    expect(received.locator(".chat-author")).to_have_text("editor")

    # Bob reacts; Alice sees it and adds hers with one click.
    received.hover()
    received.get_by_role("button", name="Add a reaction").click()
    bob.get_by_role("button", name="React with 👍").click()
    chip_for_alice = sent.locator("button.chat-reaction[data-emoji='👍']")
    expect(chip_for_alice).to_have_text("👍 1")
    expect(chip_for_alice).to_have_attribute("aria-pressed", "false")
    chip_for_alice.click()
    expect(chip_for_alice).to_have_attribute("aria-pressed", "true")
    expect(received.locator("button.chat-reaction[data-emoji='👍']")).to_have_text("👍 2")

    # Bob replies in a thread; Alice sees the reply count and the reply itself.
    received.get_by_role("button", name="Reply in a thread").click()
    bob.get_by_label("Reply in this thread").fill("Yes, after the review.")
    bob.get_by_label("Reply in this thread").press("Enter")
    expect(bob.locator(".chat-replies .chat-message")).to_contain_text("Yes, after the review.")
    thread_link = sent.locator(".chat-thread-link")
    expect(thread_link).to_have_text("1 reply")
    thread_link.click()
    expect(
        alice.locator(".chat-replies .chat-message").filter(has_text="after the review")
    ).to_have_count(1)
    # The panel is in view, so what arrived is marked read.
    expect(alice.get_by_test_id("chat-unread")).to_be_hidden()
    expect(bob.locator(".chat-typing")).to_have_text("")
    alice.get_by_role("button", name="← Back to chat").click()
    expect(thread_link).to_be_focused()
    alice.screenshot(path=str(artifacts / "room-chat.png"))

    # Clicking Bob in the presence bar opens the document he is on.
    presence_of(alice, "editor2").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(f"/documents/{notes}/$"))
    expect(presence_of(bob, "editor")).to_have_attribute("data-viewing", notes)


def test_a_refused_message_is_marked_failed_and_its_retry_sends_the_same_client_id(
    people: People, app_server: Server
) -> None:
    document_id = document_create(app_server.url, app_server.seed, "Retry notes")
    page = people.sign_in("editor")
    sends: list[dict[str, Any]] = []

    def refuse_the_first_send(socket: Any) -> None:
        server = socket.connect_to_server()

        def from_page(text: str) -> None:
            frame = json.loads(text)
            if frame.get("type") == "message.send":
                sends.append(frame)
                if len(sends) == 1:
                    refusal = {"type": "error", "code": "rate_limited", "detail": "Slow down."}
                    socket.send(json.dumps({**refusal, "client_id": frame["client_id"]}))
                    return
            server.send(text)

        socket.on_message(from_page)

    page.route_web_socket(re.compile(r"/ws/rooms/"), refuse_the_first_send)
    open_room_document(page, app_server, document_id)
    composer = page.get_by_label("Message the room")
    composer.fill("Try me twice")
    composer.press("Enter")
    failed = page.locator(".chat-message.failed").filter(has_text="Try me twice")
    expect(failed).to_contain_text("Not sent: Slow down.")
    failed.get_by_role("button", name="Retry sending this message").click()
    confirmed = chat_message(page, "Try me twice")
    expect(confirmed).to_have_attribute("data-message-id", re.compile(r"^\d+$"))
    expect(page.locator(".chat-message.pending")).to_have_count(0)
    assert [frame["client_id"] for frame in sends] == [sends[0]["client_id"]] * 2
    listed = api_request(
        app_server.url,
        app_server.seed["tokens"]["editor"],
        "GET",
        f"rooms/{app_server.seed['room']}/messages",
    )
    assert [m["body"] for m in listed["results"]].count("Try me twice") == 1


def test_a_viewer_reads_the_chat_but_has_no_composer(people: People, app_server: Server) -> None:
    api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "POST",
        f"rooms/{app_server.seed['room']}/messages",
        {"body": "Welcome, readers"},
    )
    page = people.sign_in("viewer")
    page.goto(f"/rooms/{app_server.seed['room']}/")
    expect(chat_message(page, "Welcome, readers")).to_have_count(1)
    expect(page.get_by_text("You can read the chat but not post in this room.")).to_be_visible()
    expect(page.get_by_label("Message the room")).to_have_count(0)
    expect(presence_of(page, "viewer")).to_contain_text("viewer (you)")


def test_on_a_phone_the_chat_is_a_drawer_that_counts_and_then_reads_new_messages(
    people: People, app_server: Server, artifacts: Path
) -> None:
    page = people.sign_in("editor2", viewport={"width": 390, "height": 800})
    page.goto(f"/rooms/{app_server.seed['room']}/")
    toggle = page.locator("button.chat-toggle")
    expect(toggle).to_be_visible()
    expect(page.get_by_label("Message the room")).to_be_hidden()
    expect(presence_of(page, "editor2")).to_be_visible()
    api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "POST",
        f"rooms/{app_server.seed['room']}/messages",
        {"body": "Anyone on mobile?"},
    )
    expect(toggle).to_have_accessible_name(re.compile(r"^Chat, [1-9]\d* unread$"))
    toggle.click()
    expect(page.get_by_label("Message the room")).to_be_focused()
    expect(chat_message(page, "Anyone on mobile?")).to_be_visible()
    expect(toggle).to_have_accessible_name("Close the chat")
    page.screenshot(path=str(artifacts / "room-chat-narrow.png"))
    # Seen in the open drawer, so read: the server's count drops to none.
    expect(page.get_by_test_id("chat-unread")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Message the room")).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_accessible_name("Chat")
