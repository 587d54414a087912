"""Small things a person notices in the first minutes, in real Chromium against a real server:
the formatting toolbar reached with Tab and moved in with arrows, typing after a link, the
layout of a phone and a desktop screen, icons drawn rather than emoji, and system messages in
search."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request, content_write, document_create

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

TEXT = "collab.editor.getText({blockSeparator: '\\n'})"


def open_new_document(page: Any, server: Server, title: str, markdown: str) -> str:
    document_id = document_create(server.url, server.seed, title)
    content_write(server.url, server.seed["tokens"]["owner"], document_id, markdown)
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    return document_id


def focused_name(page: Any) -> str:
    """The focused element's accessible name (its aria-label), or its tag when it has none."""
    return str(
        page.evaluate(
            "() => document.activeElement.getAttribute('aria-label') ||"
            " document.activeElement.tagName"
        )
    )


def in_toolbar(page: Any) -> bool:
    return bool(page.evaluate("() => !!document.activeElement.closest('[role=toolbar]')"))


def test_tab_from_the_page_start_reaches_the_toolbar_once_and_arrow_keys_move_in_it(
    people: People, app_server: Server
) -> None:
    alice = people.sign_in("editor", viewport={"width": 1280, "height": 800})
    open_new_document(alice, app_server, "Keyboard only", "")
    toolbar = alice.get_by_role("toolbar", name="Formatting")
    # A fresh page: nothing to undo or redo, so the tab stop is the first button that works.
    expect(toolbar.get_by_role("button", name="Undo")).to_be_disabled()

    stops: list[str] = []
    for _ in range(40):
        alice.keyboard.press("Tab")
        stops.append(focused_name(alice))
        if in_toolbar(alice):
            break
    assert in_toolbar(alice), f"Tab went {stops} and never reached the toolbar"
    assert focused_name(alice) == "Paragraph"

    alice.keyboard.press("ArrowRight")
    assert focused_name(alice) == "Heading 1"
    alice.keyboard.press("End")
    assert focused_name(alice) == "Insert table"
    # Disabled buttons are passed over by arrows too, and said to be disabled.
    alice.keyboard.press("ArrowRight")
    assert focused_name(alice) == "Undo"
    alice.keyboard.press("ArrowRight")
    assert focused_name(alice) == "Redo"
    alice.keyboard.press("ArrowLeft")
    alice.keyboard.press("ArrowLeft")
    assert focused_name(alice) == "Insert table"

    # One tab stop: Tab leaves the toolbar for the text, Shift+Tab comes back where it was.
    alice.keyboard.press("Tab")
    expect(alice.get_by_role("textbox", name="Keyboard only, document text")).to_be_focused()
    alice.keyboard.press("Shift+Tab")
    assert focused_name(alice) == "Insert table"

    # The keyboard alone formats: the focused button runs on Enter and gives the text focus back.
    alice.keyboard.press("Home")
    alice.keyboard.press("ArrowRight")
    alice.keyboard.press("ArrowRight")
    alice.keyboard.press("ArrowRight")
    assert focused_name(alice) == "Heading 1"
    alice.keyboard.press("Enter")
    alice.keyboard.type("Typed by keyboard")
    expect(alice.locator(".ProseMirror h1")).to_have_text("Typed by keyboard")
    # Undo works now, and the tab stop stays where the person left it.
    expect(toolbar.get_by_role("button", name="Undo")).to_be_enabled()
    alice.keyboard.press("Shift+Tab")
    assert focused_name(alice) == "Heading 1"


def test_typing_at_the_end_of_a_link_does_not_extend_it(people: People, app_server: Server) -> None:
    alice = people.sign_in("editor")
    open_new_document(alice, app_server, "Links", "Read [the guide](https://example.com/guide)")
    editor = alice.locator(".ProseMirror")
    expect(editor.locator("a")).to_have_text("the guide")

    editor.locator("p").first.click()
    alice.keyboard.press("End")
    alice.keyboard.type(" today")
    alice.wait_for_function(f"() => {TEXT} === 'Read the guide today'")
    expect(editor.locator("a")).to_have_text("the guide")

    # A link made from the dialog with nothing selected: the address is its text, no more.
    alice.keyboard.press("Enter")
    alice.keyboard.press("Control+k")
    dialog = alice.get_by_role("dialog", name="Link")
    dialog.get_by_label("Address").fill("example.com/more")
    dialog.get_by_role("button", name="Apply").click()
    alice.keyboard.type(" and more")
    alice.wait_for_function(
        f"() => {TEXT} === 'Read the guide today\\nhttps://example.com/more and more'"
    )
    expect(editor.locator("a")).to_have_text(["the guide", "https://example.com/more"])
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    assert "more and more" not in alice.locator(".ProseMirror a").last.inner_text()


# Each toolbar button's box, whether it lies inside the toolbar and the screen, and whether it
# is what a tap at its centre reaches (nothing clips or covers it).
TOOLBAR_BUTTONS = """() => {
  const toolbar = document.querySelector('[role=toolbar][aria-label=Formatting]');
  const bar = toolbar.getBoundingClientRect();
  return [...toolbar.querySelectorAll('button')].map((button) => {
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return {
      name: button.getAttribute('aria-label'),
      inside: box.left >= bar.left && box.right <= bar.right && box.left >= 0
        && box.right <= innerWidth && box.top >= bar.top && box.bottom <= bar.bottom,
      reachable: button === hit || button.contains(hit),
    };
  });
}"""


def bottom_of(page: Any, selector: str) -> float:
    script = f"() => document.querySelector('{selector}').getBoundingClientRect().bottom"
    return float(page.evaluate(script))


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
    ids=["phone", "desktop"],
)
def test_the_editor_fills_the_screen_and_every_toolbar_button_is_in_reach(
    people: People, app_server: Server, artifacts: Path, viewport: dict[str, int]
) -> None:
    page = people.sign_in("editor", viewport=viewport)
    open_new_document(page, app_server, "Layout", "A short note.")
    width, height = viewport["width"], viewport["height"]

    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    buttons = page.evaluate(TOOLBAR_BUTTONS)
    assert len(buttons) == 20
    assert [b["name"] for b in buttons if not (b["inside"] and b["reachable"])] == []

    # The workspace reaches the bottom of the screen, and so does the text's area: a click
    # anywhere below the text puts the caret in it.
    assert bottom_of(page, ".room-main") == pytest.approx(height, abs=1)
    assert bottom_of(page, ".editor-surface") == pytest.approx(height, abs=1)
    page.locator("#workspace").evaluate("element => element.blur()")
    page.mouse.click(width * 0.4, height - 20)
    expect(page.get_by_role("textbox", name="Layout, document text")).to_be_focused()
    page.keyboard.type(" More.")
    page.wait_for_function(f"() => {TEXT} === 'A short note. More.'")
    page.screenshot(path=str(artifacts / f"editor-layout-{width}x{height}.png"))


PICTOGRAPHS = r"/[\p{Extended_Pictographic}\u2600-\u27BF]/u"


# Records each layout shift that moved the workspace (the document under the presence bar).
WORKSPACE_SHIFTS = """window.__workspaceShifts = [];
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        for (const source of entry.sources) {
            if (source.node && source.node.id === "workspace") {
                window.__workspaceShifts.push([source.previousRect.y, source.currentRect.y]);
            }
        }
    }
}).observe({ type: "layout-shift", buffered: true });"""


def test_the_document_stays_put_while_the_presence_bar_fills(
    people: People, app_server: Server
) -> None:
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    document_id = open_new_document(bob, app_server, "Steady page", "Text")
    alice.add_init_script(WORKSPACE_SHIFTS)
    alice.goto(f"/rooms/{app_server.seed['room']}/documents/{document_id}/")
    # The bar fills with Alice's own chip and Bob's (a name and the document he is on).
    expect(alice.locator(".presence-person[data-user=editor2]")).to_contain_text("Steady page")
    expect(alice.locator(".presence-person[data-user=editor]")).to_be_visible()
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    # One more frame, so a shift of the last layout is reported too.
    alice.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    assert alice.evaluate("() => window.__workspaceShifts") == []


def test_icons_are_drawings_with_names_and_reactions_stay_emoji(
    people: People, app_server: Server
) -> None:
    api_request(
        app_server.url,
        app_server.seed["tokens"]["editor2"],
        "POST",
        f"rooms/{app_server.seed['room']}/messages",
        {"body": "Icons, please."},
    )
    alice = people.sign_in("editor")
    refused: list[str] = []
    alice.on(
        "response",
        lambda response: refused.append(response.url) if response.status >= 400 else None,
    )
    alice.goto(f"/rooms/{app_server.seed['room']}/")
    message = alice.locator(".chat-message").filter(has_text="Icons, please.")
    expect(message).to_be_visible()

    bell = alice.get_by_role("link", name=re.compile("^Notifications"))
    expect(bell.locator("svg")).to_have_count(1)
    expect(alice.locator(".sidebar-toggle svg")).to_have_count(1)
    add_reaction = message.get_by_role("button", name="Add a reaction")
    expect(add_reaction.locator("svg")).to_have_count(1)
    # No emoji anywhere in the page's own controls (the reaction picker's choices are content).
    chrome_text = alice.evaluate(
        """() => {
          const copy = document.body.cloneNode(true);
          const content = '.chat-body, .chat-picker-menu, .chat-reactions';
          copy.querySelectorAll(content).forEach((element) => element.remove());
          return copy.textContent;
        }"""
    )
    assert alice.evaluate(f"text => text.match({PICTOGRAPHS})", chrome_text) is None

    add_reaction.click()
    message.get_by_role("button", name="React with 👍").click()
    expect(message.locator(".chat-reaction")).to_have_text("👍 1")
    assert refused == []


def test_search_shows_system_messages_as_collabs_own(people: People, app_server: Server) -> None:
    alice = people.sign_in("editor")
    alice.goto(f"/rooms/{app_server.seed['room']}/")
    box = alice.get_by_role("searchbox", name="Search this room")
    box.click()
    box.fill("owner added editor2")
    hit = alice.get_by_test_id("search-message").filter(has_text="owner added editor2.")
    expect(hit).to_have_count(1)
    expect(hit.locator(".search-result-title")).to_have_text("Collab")
    expect(alice.locator(".search-results")).not_to_contain_text("Someone")
    expect(hit.locator(".search-result-title")).to_have_css("color", "rgb(138, 148, 163)")
