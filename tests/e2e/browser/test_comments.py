"""Comments in real Chromium with two people: a comment on a text range appears for the
other at once, stays anchored while the other types before it, notifies the person it
mentions and resolves for both; a link opens it; a comment on a whiteboard shape marks the
shape for the other."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import new_document, open_document, wait_for_text
from tests.e2e.browser.test_whiteboard import drag, two_on_one_board
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

# Selects the first occurrence of ``words`` in the editor, as a person dragging over them.
SELECT = (
    "words => { const { state } = collab.editor; let found = null;"
    " state.doc.descendants((node, pos) => { if (found || !node.isText) return;"
    " const at = node.text.indexOf(words); if (at >= 0) found = pos + at; });"
    " collab.editor.chain().focus().setTextSelection({ from: found, to: found + words.length })"
    ".run(); }"
)
SELECTED = (
    "() => { const { from, to } = collab.editor.state.selection;"
    " return collab.editor.state.doc.textBetween(from, to); }"
)


def select_words(page: Any, words: str) -> None:
    """Select ``words`` in the editor and wait until it has the focus (Tiptap focuses on the
    next frame), so the keys pressed next go to it."""
    page.evaluate(SELECT, words)
    editor = page.locator(".ProseMirror")
    if editor.get_attribute("contenteditable") == "true":  # a read-only editor takes no focus
        expect(editor).to_be_focused()
    page.wait_for_function(f"words => ({SELECTED})() === words", arg=words)


def thread_link(page: Any) -> str:
    """The link of the first thread of the document the page shows, as the API gives it."""
    url = page.evaluate(
        "() => fetch(location.pathname.replace(/^\\/rooms\\/[^/]+\\/documents\\/([^/]+)\\/$/,"
        " '/api/v1/documents/$1/comments')).then(r => r.json()).then(t => t[0].url)"
    )
    assert "?thread=" in url
    return str(url)


def highlight(page: Any) -> Any:
    return page.locator(".ProseMirror .comment-highlight")


def panel(page: Any) -> Any:
    return page.locator("#comments-panel")


def comment_on_selection(page: Any, body: str) -> None:
    page.keyboard.press("Control+Alt+m")
    box = panel(page).get_by_role("combobox", name="New comment")
    expect(box).to_be_focused()
    box.fill(body)
    panel(page).get_by_role("button", name="Comment", exact=True).click()


def test_a_comment_on_text_reaches_the_other_stays_anchored_notifies_and_resolves_for_both(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Comments", "alpha beta gamma\n\nsecond paragraph")
    olga = people.sign_in("owner")
    eddie = people.sign_in("editor")
    for page in (olga, eddie):
        open_document(page, app_server, document_id)
        wait_for_text(page, "alpha beta gamma\nsecond paragraph")
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    bell = eddie.locator("[data-notification-count]")
    unread_before = int(bell.text_content() or 0) if bell.is_visible() else 0

    select_words(olga, "beta")
    comment_on_selection(olga, "Is this the right word, @editor?")

    for page in (olga, eddie):
        expect(highlight(page)).to_have_text("beta")
        expect(page.get_by_role("button", name="Comments (1)")).to_be_visible()
    # The mentioned person's bell counts it at once; the notification leads to the thread.
    expect(bell).to_have_text(str(unread_before + 1))
    eddie.get_by_role("button", name="Comments (1)").click()
    thread = panel(eddie).get_by_test_id("comment-thread")
    expect(thread).to_have_count(1)
    expect(thread.locator(".comment-anchor q")).to_have_text("beta")
    expect(thread.locator(".comment-body")).to_have_text("Is this the right word, @editor?")

    # Eddie types before the commented word: the highlight stays on it for both.
    # At the paragraph's left: the open panel covers the right of the workspace.
    eddie.locator(".ProseMirror p").first.click(position={"x": 2, "y": 5})
    expect(eddie.locator(".ProseMirror")).to_be_focused()
    eddie.keyboard.press("Home")
    eddie.keyboard.type("Hello ")
    for page in (olga, eddie):
        wait_for_text(page, "Hello alpha beta gamma\nsecond paragraph")
        expect(highlight(page)).to_have_text("beta")

    thread.get_by_role("combobox", name="Reply").fill("Yes, keep it.")
    thread.get_by_role("button", name="Reply").click()
    olga_thread = panel(olga).get_by_test_id("comment-thread")
    expect(olga_thread.locator(".comment-body")).to_have_text(
        ["Is this the right word, @editor?", "Yes, keep it."]
    )
    olga.screenshot(path=str(artifacts / "comments-text.png"))

    # Olga deletes the commented word: the thread stays, detached, for both, also once her
    # undo has put the word back (new text to Yjs: both clients must agree). Her undo holds
    # this deletion alone (Eddie's typing is his own undo's).
    select_words(olga, "beta ")
    olga.keyboard.press("Delete")
    for page in (olga, eddie):
        wait_for_text(page, "Hello alpha gamma\nsecond paragraph")
        expect(highlight(page)).to_have_count(0)
        expect(panel(page).locator(".comment-detached")).to_have_text("Detached")
    olga.keyboard.press("Control+z")
    for page in (olga, eddie):
        wait_for_text(page, "Hello alpha beta gamma\nsecond paragraph")
        expect(panel(page).locator(".comment-detached")).to_have_text("Detached")
        expect(highlight(page)).to_have_count(0)

    thread.get_by_role("button", name="Resolve").click()
    for page in (olga, eddie):
        expect(highlight(page)).to_have_count(0)
        expect(page.get_by_role("button", name="Comments", exact=True)).to_be_visible()
        expect(panel(page).get_by_role("button", name="Resolved (1)")).to_be_visible()
    expect(panel(olga).get_by_test_id("comment-thread")).to_have_count(0)

    # The thread's link opens the document with the panel at the thread.
    eddie.goto(thread_link(eddie))
    expect(panel(eddie)).to_be_visible()
    expect(panel(eddie).locator(".comment-thread.active")).to_have_count(1)
    expect(panel(eddie).locator(".comment-thread.active .comment-body")).to_have_text(
        ["Is this the right word, @editor?", "Yes, keep it."]
    )


def test_a_comment_on_a_whiteboard_shape_marks_it_for_the_other(
    people: People, app_server: Server, artifacts: Path
) -> None:
    _, olga, canvas_o, eddie, canvas_e = two_on_one_board(
        people, app_server, "Commented board", "owner", "editor"
    )

    box = canvas_o.bounding_box()
    olga.get_by_role("button", name="Rectangle").click()
    drag(olga, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    expect(canvas_e.locator("[data-shape-type=rect]")).to_have_count(1)
    # The new rectangle is selected: comment on it.
    comment_on_selection(olga, "Should this be a database?")

    mark = canvas_e.locator(".board-comment-mark")
    expect(mark).to_have_count(1)
    shape_id = canvas_e.locator("[data-shape-type=rect]").get_attribute("data-shape-id")
    expect(mark).to_have_attribute("data-comment-shape", shape_id)
    mark.dispatch_event("pointerdown")
    thread = panel(eddie).get_by_test_id("comment-thread")
    expect(thread).to_have_count(1)
    expect(thread).to_have_class("comment-thread active")
    expect(thread.locator(".comment-body")).to_have_text("Should this be a database?")
    eddie.screenshot(path=str(artifacts / "comments-whiteboard.png"))


def test_a_commenter_comments_on_a_locked_document_and_a_viewer_only_reads(
    people: People, app_server: Server
) -> None:
    owner_token = app_server.seed["tokens"]["owner"]
    room = app_server.seed["room"]
    request = urllib.request.Request(
        f"{app_server.url}/api/v1/rooms/{room}/members",
        headers={"Authorization": f"Bearer {owner_token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        listed = json.loads(response.read())
    member_id = next(m["user"]["id"] for m in listed if m["user"]["username"] == "member")
    api_request(
        app_server.url,
        owner_token,
        "PATCH",
        f"rooms/{room}/members/{member_id}",
        {"role": "commenter"},
    )
    document_id = new_document(app_server, "Locked plan", "only the owners may edit this")
    api_request(app_server.url, owner_token, "POST", f"documents/{document_id}/lock")
    carl = people.sign_in("member")
    vera = people.sign_in("viewer")
    for page in (carl, vera):
        open_document(page, app_server, document_id)
        wait_for_text(page, "only the owners may edit this")
        expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(vera.get_by_role("button", name="Comment", exact=True)).to_be_hidden()

    select_words(carl, "owners")
    comment_on_selection(carl, "Commenters can still say something")

    expect(highlight(vera)).to_have_text("owners")
    vera.get_by_role("button", name="Comments (1)").click()
    thread = panel(vera).get_by_test_id("comment-thread")
    expect(thread.locator(".comment-body")).to_have_text("Commenters can still say something")
    expect(thread.get_by_role("combobox", name="Reply")).to_have_count(0)
    expect(thread.get_by_role("button", name="Resolve")).to_have_count(0)
    # The thread's link opens the document with the panel at the thread and its text selected.
    vera.goto(thread_link(vera))
    expect(panel(vera).locator(".comment-thread.active")).to_have_count(1)
    vera.wait_for_function(f"() => window.collab && ({SELECTED})() === 'owners'")
    # The commenter resolves their own thread.
    panel(carl).get_by_test_id("comment-thread").get_by_role("button", name="Resolve").click()
    expect(highlight(vera)).to_have_count(0)
    # And deletes it, through the confirmation: gone for the viewer too.
    panel(carl).get_by_role("button", name="Resolved (1)").click()
    panel(carl).get_by_test_id("comment-thread").get_by_role("button", name="Delete thread").click()
    carl.get_by_role("dialog").get_by_role("button", name="Delete thread").click()
    expect(panel(vera).get_by_role("button", name="Resolved (0)")).to_be_visible()
    expect(panel(vera).get_by_test_id("comment-thread")).to_have_count(0)
