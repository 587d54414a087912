"""Notifications in real Chromium: one person mentions another in the chat, whose bell goes up
live on the room page; the notifications page lists it, and its link opens the room with the
message shown; marking read brings the bell down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def bell_count(page: Any) -> int:
    badge = page.locator("[data-notification-count]")
    return int(badge.text_content() or 0)


def test_a_mention_rings_the_bell_live_and_the_page_links_to_the_message(
    people: People, app_server: Server, artifacts: Path
) -> None:
    room = app_server.seed["room"]
    ann = people.sign_in("editor")
    bob = people.sign_in("editor2")
    ann.goto(f"/rooms/{room}/")
    bob.goto(f"/rooms/{room}/")
    expect(ann.get_by_label("Message the room")).to_be_visible()
    expect(bob.get_by_label("Message the room")).to_be_visible()
    before = bell_count(ann)  # being added to the room by the seed was one already

    composer = bob.get_by_label("Message the room")
    composer.fill("@editor can you check the plan?")
    composer.press("Enter")

    bell = ann.locator("[data-notification-bell]")
    expect(bell.locator("[data-notification-count]")).to_have_text(str(before + 1))
    expect(bell).to_have_attribute("aria-label", f"Notifications, {before + 1} unread")
    ann.screenshot(path=str(artifacts / "notifications-bell.png"))

    # The bell leads to the page, which lists the mention first, linked to the message.
    bell.click()
    expect(ann.get_by_role("heading", name="Notifications")).to_be_visible()
    newest = ann.locator(".notification-item").first
    expect(newest).to_contain_text("mentioned you in E2E room")
    expect(newest).to_contain_text("@editor can you check the plan?")
    expect(newest).to_have_class(re.compile(r"\bunread\b"))
    ann.screenshot(path=str(artifacts / "notifications-page.png"), full_page=True)

    # Keyboard: mark the older ones read from the button, then open the mention by its link.
    mark_all = ann.get_by_role("button", name="Mark all read")
    mark_all.focus()
    ann.keyboard.press("Enter")
    expect(ann.locator(".notification-item.unread")).to_have_count(0)
    expect(ann.locator("[data-notification-count]")).to_be_hidden()
    expect(mark_all).to_be_disabled()

    newest.get_by_role("link", name=re.compile(r"^Open")).click()
    expect(ann).to_have_url(re.compile(rf"/rooms/{room}/$"))
    shown = ann.locator(".room-chat .chat-message").filter(has_text="can you check the plan?")
    expect(shown.first).to_be_visible()
    expect(shown.first).to_be_focused()
    expect(ann.locator("[data-notification-count]")).to_be_hidden()


def test_a_reply_in_ones_thread_reaches_the_page_left_open(
    people: People, app_server: Server
) -> None:
    """The page has no room socket: its own socket (``/ws/me``) brings new ones."""
    room = app_server.seed["room"]
    tokens = app_server.seed["tokens"]
    ann = people.sign_in("editor")
    ann.goto("/notifications/")
    expect(ann.get_by_role("heading", name="Notifications")).to_be_visible()
    shown_before = ann.locator(".notification-item").count()
    unread_before = bell_count(ann)

    root = api_request(
        app_server.url,
        tokens["editor"],
        "POST",
        f"rooms/{room}/messages",
        {"body": "Who reviews the release notes?"},
    )
    api_request(
        app_server.url,
        tokens["editor2"],
        "POST",
        f"rooms/{room}/messages",
        {"body": "I will, tomorrow.", "parent": root["id"]},
    )
    items = ann.locator(".notification-item")
    expect(items).to_have_count(shown_before + 1, timeout=40_000)
    expect(items.first).to_contain_text("replied in a thread in E2E room")
    expect(items.first).to_contain_text("I will, tomorrow.")
    expect(ann.locator("[data-notification-count]")).to_have_text(str(unread_before + 1))
    expect(ann.get_by_role("status")).to_have_text("1 new notification.")
