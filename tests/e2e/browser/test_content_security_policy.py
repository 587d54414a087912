"""The Content-Security-Policy in real Chromium: every page and every feature of the app is
walked with the policy on, and nothing is refused, neither in a page's console nor in the
reports the browser sends the server's ``/csp-report`` (which logs them). A script and a
style put inline at the end are refused and reported, which proves the policy is enforced
and both detectors see what it refuses."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS
from tests.e2e.browser.test_comments import SELECT as SELECT_WORDS
from tests.e2e.browser.test_comments import comment_on_selection
from tests.e2e.browser.test_comments import panel as comments_panel
from tests.e2e.browser.test_editor import new_document, rgb, status_of, wait_for_text
from tests.e2e.browser.test_editor import own_color as own_color_of
from tests.e2e.browser.test_whiteboard import drag, new_whiteboard
from tests.e2e.conftest import ROOT, Server, server_env

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

ADMIN_PASSWORD = "e2e-admin-password-1"
# What Chromium prints for what a policy refuses (CSP) or does not understand.
POLICY_CONSOLE = re.compile(r"Content Security Policy|Permissions-Policy|Permissions Policy")
REPORTED = re.compile(r"CSP violation: .*")
CANARY = "csp-canary"


class Console:
    """The policy messages of every page (and worker) of one browser context."""

    def __init__(self, context: Any) -> None:
        self.messages: list[str] = []
        context.on("console", self.seen)

    def seen(self, message: Any) -> None:
        if POLICY_CONSOLE.search(message.text):
            self.messages.append(f"{message.location.get('url')}: {message.text}")


def reported(server: Server) -> list[str]:
    """The violations the server logged from the browser's reports."""
    assert server.data_dir is not None
    log = (server.data_dir / "daphne.log").read_text(errors="replace")
    return REPORTED.findall(log)


def create_superuser(server: Server) -> None:
    """An admin, made by ``createsuperuser`` on the server's database (the seed has none)."""
    assert server.data_dir is not None
    env = {
        **server_env(server.data_dir),
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
    }
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", "admin"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def new_context(browser: Any, server: Server) -> tuple[Any, Any, Console]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    console = Console(context)
    return context, context.new_page(), console


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your rooms")).to_be_visible()


def walk_signed_out_pages(page: Any) -> None:
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", name=re.compile("Sign up|Create", re.I))).to_be_visible()
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button").filter(has_text=re.compile("reset|send", re.I)).click()
    expect(page).to_have_url(re.compile("/accounts/password/reset/sent/$"))
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()


def walk_editor_history_and_search(page: Any, server: Server) -> None:
    document_id = new_document(server, "Policy plan", "First line")
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    wait_for_text(page, "First line")
    expect(status_of(page)).to_have_attribute("data-status", "saved")
    editor = page.locator(".ProseMirror")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" and a marker word zebrafish")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("bold words")
    expect(editor.locator("strong")).to_have_text("bold words")
    page.keyboard.press("Control+k")
    page.get_by_label("Address").fill("example.com")
    page.get_by_role("button", name="Apply").click()
    expect(status_of(page)).to_have_attribute("data-status", "saved")

    history_button = page.get_by_role("button", name="History", exact=True)
    history_button.click()
    panel = page.get_by_role("complementary", name="Version history")
    panel.get_by_label("Name the current version").fill("Under the policy")
    panel.get_by_role("button", name="Save version").click()
    version = panel.get_by_role("list", name="Versions").get_by_role("button").first
    expect(version).to_contain_text("Under the policy")
    version.click()
    expect(panel.get_by_label("Version content, read-only")).to_contain_text("zebrafish")
    panel.get_by_role("button", name="Close version history").click()

    box = page.get_by_role("searchbox", name="Search this room")
    box.click()
    box.fill("zebrafish")
    hit = page.locator(".search-results").get_by_test_id("search-document")
    expect(hit.filter(has_text="Policy plan").locator("mark")).to_have_text("zebrafish")
    hit.filter(has_text="Policy plan").click()
    expect(page.locator(".ProseMirror .search-hit")).to_have_text("zebrafish")


def walk_comments(page: Any) -> None:
    """On the document the editor walk left open: a comment with a mention and a reaction,
    resolved, then found by room search, which opens its thread."""
    page.evaluate(SELECT_WORDS, "zebrafish")
    comment_on_selection(page, "A pelican note for @editor")
    thread = comments_panel(page).get_by_test_id("comment-thread")
    expect(thread.locator(".comment-body")).to_have_text("A pelican note for @editor")
    expect(page.locator(".ProseMirror .comment-highlight")).to_have_text("zebrafish")
    thread.get_by_role("button", name="React with 👍").click()
    expect(thread.locator(".reaction-chip")).to_have_count(1)
    thread.get_by_role("button", name="Resolve").click()
    expect(page.locator(".ProseMirror .comment-highlight")).to_have_count(0)
    page.get_by_role("button", name="Close comments").click()

    box = page.get_by_role("searchbox", name="Search this room")
    box.click()
    box.fill("pelican")
    page.locator(".search-results").get_by_test_id("search-comment").click()
    expect(page).to_have_url(re.compile(r"\?thread=\d+$"))
    expect(comments_panel(page).locator(".comment-thread.active")).to_have_count(1)


def walk_chat(page: Any) -> None:
    # Colours people picked reach the server-rendered page as data-color, applied by script.
    avatar = page.locator(".member-list .avatar").first
    expect(avatar).to_have_css("background-color", rgb(avatar.get_attribute("data-color")))
    composer = page.get_by_label("Message the room")
    composer.fill("Policy check with **bold** and a [link](https://example.com)")
    composer.press("Enter")
    message = page.locator(".room-chat > .chat-scroll .chat-message").filter(
        has_text="Policy check with bold"
    )
    expect(message).to_have_attribute("data-message-id", re.compile(r"^\d+$"))
    message.hover()
    message.get_by_role("button", name="Add a reaction").click()
    page.get_by_role("button", name="React with 👍").click()
    expect(message.locator("button.chat-reaction[data-emoji='👍']")).to_have_text("👍 1")
    composer.click()
    composer.press_sequentially("Ping @edi")
    options = page.get_by_role("listbox", name="People to mention").get_by_role("option")
    expect(options).to_have_count(2)
    composer.press("Escape")
    composer.fill("")


def walk_whiteboard(page: Any, server: Server) -> None:
    board_id = new_whiteboard(server, "Policy board")
    page.goto(f"/rooms/{server.seed['room']}/documents/{board_id}/")
    canvas = page.locator(".board-canvas")
    expect(status_of(page)).to_have_attribute("data-status", "saved")
    box = canvas.bounding_box()
    page.get_by_role("button", name="Rectangle").click()
    drag(page, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    expect(canvas.locator("[data-shape-type=rect]")).to_have_count(1)
    # The in-place text editor is placed and sized through the CSSOM, which the policy allows.
    canvas.locator("[data-shape-type=rect] rect").dblclick(position={"x": 10, "y": 10})
    page.get_by_role("textbox", name="Label").fill("Policy label")
    page.keyboard.press("Escape")
    expect(canvas.locator("[data-shape-type=rect] text")).to_have_text("Policy label")
    page.get_by_role("button", name="Export board").click()
    with page.expect_download():
        page.get_by_role("menuitem", name="Whole board as PNG").click()
    history_button = page.get_by_role("button", name="History", exact=True)
    history_button.click()
    panel = page.get_by_role("complementary", name="Version history")
    panel.get_by_label("Name the current version").fill("One rectangle")
    panel.get_by_role("button", name="Save version").click()
    panel.get_by_role("list", name="Versions").get_by_role("button").first.click()
    expect(panel.locator("img.version-preview-board")).to_be_visible()


def walk_room_pages(page: Any, server: Server) -> None:
    room = server.seed["room"]
    page.goto(f"/rooms/{room}/")
    own_color = own_color_of(page)
    page.goto(f"/rooms/{room}/settings/")
    expect(page.get_by_role("heading", name="Room settings")).to_be_visible()
    new_invite = page.get_by_role("form", name="New invite link")
    new_invite.get_by_role("button", name="Create link").click()
    invites = page.get_by_role("list", name="Active invite links")
    expect(invites.get_by_role("listitem")).not_to_have_count(0)
    page.goto("/notifications/")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.goto("/accounts/profile/")
    expect(page.locator(".person-name")).to_have_css("color", rgb(own_color))
    page.goto("/accounts/password/change/")
    expect(page.get_by_label("Old password")).to_be_visible()


def wait_for_service_worker(page: Any) -> None:
    """The room page's service worker controls the page, and a reload is served through it."""
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)", polling=250)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_label("Message the room")).to_be_visible()


def walk_admin(page: Any, server: Server) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/auth/user/")
    page.get_by_role("link", name="owner", exact=True).click()
    expect(page.get_by_role("heading", name="owner")).to_be_visible()
    page.goto(f"/admin/rooms/room/{server.seed['room']}/change/")
    expect(page.locator("#content h1")).to_be_visible()
    page.goto("/admin/auth/user/add/")
    expect(page.get_by_label("Username")).to_be_visible()


def canary(page: Any) -> bool:
    """Put a script and a style inline; whether the script ran."""
    return bool(
        page.evaluate(
            """() => {
                const style = document.createElement('style');
                style.textContent = 'body { outline: 1px solid red }';
                document.head.append(style);
                const script = document.createElement('script');
                script.textContent = 'window.cspCanaryRan = true';
                document.body.append(script);
                return window.cspCanaryRan === true;
            }"""
        )
    )


def test_every_page_and_feature_works_under_the_policy_with_nothing_refused(
    browser: Any, app_server: Server, artifacts: Path
) -> None:
    create_superuser(app_server)
    context, page, console = new_context(browser, app_server)
    try:
        response = page.goto("/accounts/login/")
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy
        walk_signed_out_pages(page)
        sign_in(page, "owner", app_server.seed["password"])
        walk_editor_history_and_search(page, app_server)
        walk_comments(page)
        walk_chat(page)
        wait_for_service_worker(page)
        walk_whiteboard(page, app_server)
        walk_room_pages(page, app_server)
        walk_admin(page, app_server)
        assert console.messages == []

        page.goto(f"/?{CANARY}")
        assert not canary(page)
        deadline = time.monotonic() + 10
        while not any(CANARY in line for line in reported(app_server)):
            assert time.monotonic() < deadline, "the refused canary was not reported"
            time.sleep(0.1)
    finally:
        context.close()
    assert [line for line in reported(app_server) if CANARY not in line] == []
    assert len(console.messages) == 2, console.messages
    assert all("inline" in message for message in console.messages), console.messages
