"""A share link in real Chromium against a real server: the owner makes a view link in the
document's header, a fresh browser with no account opens it, sees the live document as a guest
and watches the owner's typing arrive; revoking the link (in the header's list) closes the
guest page's connection at once and the page says so. A guest also sees the document's images
load (its session followed the link), until the link is revoked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_document_images import (
    ALL_LOADED,
    IMAGES,
    PNG,
    image_bytes,
    images_of,
    transfer,
)
from tests.e2e.browser.test_editor import new_document, open_document
from tests.e2e.browser.test_live_lists import api_delete
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


# The guest editor's text without the others' carets (their name labels sit in the text);
# null while no editor is on the page (after a navigation), so a wait goes on waiting.
TEXT = (
    "() => { const editor = document.querySelector('.ProseMirror');"
    " if (!editor) return null; const copy = editor.cloneNode(true);"
    " copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());"
    " return copy.textContent; }"
)


def wait_for_text(page: Any, expected: str) -> None:
    try:
        page.wait_for_function(f"expected => ({TEXT})() === expected", arg=expected)
    except Exception as error:
        raise AssertionError(f"the guest sees {page.evaluate(TEXT)!r}, not {expected!r}") from error


def guest_page(people: People) -> Any:
    """A new browser context that never signed in."""
    context = people.browser.new_context(base_url=people.server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", people._console)
    people.contexts.append(context)
    return context.new_page()


def test_a_guest_watches_a_live_edit_through_a_view_link_until_it_is_revoked(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Shared plan", "Hello")
    owner = people.sign_in("owner")
    open_document(owner, app_server, document_id)
    owner.get_by_text("Share link", exact=True).click()
    owner.get_by_label("What the link allows").select_option("viewer")
    owner.get_by_role("button", name="Make link").click()
    made = owner.get_by_label("The new link (shown once)")
    expect(made).to_have_value(re.compile(r"/s/csl_"))
    url = made.input_value().removeprefix(app_server.url)
    rows = owner.locator(".share-link-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Can view")
    share_toggle = owner.get_by_text("Share link", exact=True)
    share_toggle.click()  # closed again, off the text

    guest = guest_page(people)
    guest.goto(url)
    text = guest.locator(".ProseMirror")
    wait_for_text(guest, "Hello")
    expect(text).to_have_attribute("contenteditable", "false")
    expect(guest.get_by_test_id("sync-status")).to_have_text("Live")
    owner.wait_for_function(  # the guest is among the document's people, as "Guest"
        "() => [...collab.connection.provider.awareness.getStates().values()]"
        ".some((state) => state.user && state.user.name === 'Guest')"
    )

    owner.locator(".ProseMirror p").first.click()
    owner.keyboard.press("End")
    owner.keyboard.type(" everyone")
    wait_for_text(guest, "Hello everyone")
    expect(guest.locator(".collaboration-carets__label")).to_have_text("owner")  # presence

    share_toggle.click()
    rows.first.get_by_role("button", name="Revoke").click()
    expect(owner.locator(".share-links .empty-note")).to_have_text("No links yet.")
    closed = guest.get_by_test_id("share-closed")
    expect(closed).to_be_visible()
    expect(closed).to_contain_text("revoked or has expired")
    expect(guest.get_by_test_id("sync-status")).to_have_text("Closed")
    share_toggle.click()
    owner.locator(".ProseMirror p").first.click()
    owner.keyboard.press("End")
    owner.keyboard.type(" again")
    expect(owner.locator(".ProseMirror")).to_contain_text("Hello everyone again")
    assert guest.evaluate(TEXT) == "Hello everyone"  # its socket is closed: nothing arrives

    gone = guest.goto(url)
    assert gone is not None and gone.status == 410
    expect(guest.get_by_role("alert")).to_have_text("This link was revoked.")


def test_a_guest_sees_a_whiteboard_through_a_link(people: People, app_server: Server) -> None:
    token = app_server.seed["tokens"]["owner"]
    room = app_server.seed["room"]
    board = api_request(
        app_server.url,
        token,
        "POST",
        f"rooms/{room}/documents",
        {"title": "Map", "kind": "whiteboard"},
    )
    link = api_request(
        app_server.url, token, "POST", f"documents/{board['id']}/share-links", {"role": "viewer"}
    )
    guest = guest_page(people)
    guest.goto(link["url"].removeprefix(app_server.url))
    expect(guest.get_by_role("img", name="Map, whiteboard")).to_be_visible()
    expect(guest.get_by_test_id("sync-status")).to_have_text("Live")


# The status the server answers now for an image's URL, asked by the page (its cookies go).
STATUS_OF = "(src) => fetch(src, { cache: 'no-store' }).then((response) => response.status)"


def test_a_guest_sees_the_documents_images_load_until_the_link_is_revoked(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Pictured plan", "Before the picture")
    owner = people.sign_in("owner")
    open_document(owner, app_server, document_id)
    owner.locator(".ProseMirror").click()
    owner.keyboard.press("End")
    transfer(owner, "paste", (image_bytes("PNG", "green"), "plan.png", PNG))
    expect(images_of(owner)).to_have_count(1)
    src = images_of(owner).first.get_attribute("src")
    assert src is not None and src.startswith(f"/api/v1/documents/{document_id}/images/")
    token = app_server.seed["tokens"]["owner"]
    link = api_request(
        app_server.url, token, "POST", f"documents/{document_id}/share-links", {"role": "viewer"}
    )

    guest = guest_page(people)
    guest.goto(link["url"].removeprefix(app_server.url))
    expect(images_of(guest)).to_have_count(1)
    guest.wait_for_function(ALL_LOADED)
    natural_width = guest.evaluate(
        "(selector) => document.querySelector(selector).naturalWidth", IMAGES
    )
    assert natural_width == 240  # the picture's own width: its bytes came
    assert "csl_" not in src  # the image's URL carries no secret

    api_delete(app_server, token, f"documents/{document_id}/share-links/{link['id']}")
    assert guest.evaluate(STATUS_OF, src) == 404


# The viewport point in the middle of the first occurrence of ``words`` in the editor.
WORD_AT = (
    "words => { const walker = document.createTreeWalker("
    " document.querySelector('.ProseMirror'), NodeFilter.SHOW_TEXT);"
    " for (let node = walker.nextNode(); node; node = walker.nextNode()) {"
    " const at = node.textContent.indexOf(words); if (at < 0) continue;"
    " const range = document.createRange(); range.setStart(node, at);"
    " range.setEnd(node, at + words.length); const box = range.getBoundingClientRect();"
    " return { x: box.x + box.width / 2, y: box.y + box.height / 2 }; } return null; }"
)


def comment_link(app_server: Server, document_id: str, role: str = "commenter") -> dict[str, Any]:
    token = app_server.seed["tokens"]["owner"]
    return api_request(
        app_server.url, token, "POST", f"documents/{document_id}/share-links", {"role": role}
    )


def comment_on_word(page: Any, word: str, body: str) -> None:
    """Select ``word`` as a person does (a double-click on it), then comment on it."""
    point = page.evaluate(WORD_AT, word)
    page.mouse.dblclick(point["x"], point["y"])
    page.wait_for_function("w => String(getSelection()).trim() === w", arg=word)
    page.get_by_role("button", name="Comment", exact=True).click()
    box = page.locator("#comments-panel").get_by_role("combobox", name="New comment")
    box.fill(body)
    page.locator("#comments-panel").get_by_role("button", name="Comment", exact=True).click()


def test_a_signed_in_outsider_comments_through_a_comment_link_and_the_owner_sees_it_live(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Reviewed plan", "alpha beta gamma")
    link = comment_link(app_server, document_id)
    owner = people.sign_in("owner")
    open_document(owner, app_server, document_id)
    expect(owner.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")

    outsider = people.sign_in("outsider")
    outsider.goto(link["url"].removeprefix(app_server.url))
    wait_for_text(outsider, "alpha beta gamma")
    expect(outsider.get_by_test_id("sync-status")).to_have_text("Live")
    expect(outsider.get_by_test_id("share-sign-in")).to_have_count(0)
    comment_on_word(outsider, "beta", "Should this be delta?")

    mine = outsider.locator("#comments-panel").get_by_test_id("comment-thread")
    expect(mine.locator(".comment-anchor q")).to_have_text("beta")
    expect(outsider.locator(".ProseMirror .comment-highlight")).to_have_text("beta")
    # The owner's open document hears it at once (the room socket), without a reload.
    toggle = owner.get_by_role("button", name="Comments (1)")
    expect(toggle).to_be_visible()
    toggle.click()
    theirs = owner.locator("#comments-panel").get_by_test_id("comment-thread")
    expect(theirs.locator(".comment-body")).to_have_text("Should this be delta?")
    expect(theirs.locator(".comment-author")).to_have_text("outsider")
    expect(owner.locator(".ProseMirror .comment-highlight")).to_have_text("beta")

    # The owner's reply reaches the outsider's share page live (its comment socket).
    theirs.get_by_role("combobox", name="Reply").fill("Yes, please.")
    theirs.get_by_role("button", name="Reply", exact=True).click()
    expect(mine.locator(".comment-body")).to_have_text(["Should this be delta?", "Yes, please."])


def test_a_view_link_has_no_comment_ui(people: People, app_server: Server) -> None:
    document_id = new_document(app_server, "Read only plan", "alpha beta gamma")
    link = comment_link(app_server, document_id, role="viewer")
    outsider = people.sign_in("outsider")
    outsider.goto(link["url"].removeprefix(app_server.url))
    wait_for_text(outsider, "alpha beta gamma")
    expect(outsider.get_by_test_id("sync-status")).to_have_text("Live")

    expect(outsider.get_by_role("button", name="Comment", exact=True)).to_have_count(0)
    expect(outsider.get_by_role("button", name=re.compile("^Comments"))).to_have_count(0)
    expect(outsider.locator("#comments-panel")).to_have_count(0)
    assert (
        outsider.evaluate(
            f"() => fetch('/api/v1/documents/{document_id}/comments').then((r) => r.status)"
        )
        == 404
    )


def test_a_guest_reads_a_comment_links_comments_and_signs_in_to_comment(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Open plan", "alpha beta gamma")
    link = comment_link(app_server, document_id)
    owner = people.sign_in("owner")
    open_document(owner, app_server, document_id)
    expect(owner.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    point = owner.evaluate(WORD_AT, "gamma")
    owner.mouse.dblclick(point["x"], point["y"])
    owner.get_by_role("button", name="Comment", exact=True).click()
    owner.locator("#comments-panel").get_by_role("combobox", name="New comment").fill("Owner note")
    owner.locator("#comments-panel").get_by_role("button", name="Comment", exact=True).click()
    expect(owner.get_by_role("button", name="Comments (1)")).to_be_visible()

    guest = guest_page(people)
    url = link["url"].removeprefix(app_server.url)
    guest.goto(url)
    wait_for_text(guest, "alpha beta gamma")
    guest.get_by_role("button", name="Comments (1)").click()
    thread = guest.locator("#comments-panel").get_by_test_id("comment-thread")
    expect(thread.locator(".comment-body")).to_have_text("Owner note")
    expect(thread.get_by_role("combobox", name="Reply")).to_have_count(0)  # read-only
    expect(guest.get_by_role("button", name="Comment", exact=True)).to_be_hidden()

    guest.get_by_test_id("share-sign-in").click()
    guest.get_by_label("Username").fill("outsider")
    guest.get_by_label("Password").fill(app_server.seed["password"])
    guest.get_by_role("button", name="Sign in").click()
    expect(guest).to_have_url(re.compile(re.escape(url) + "$"))  # back on the link
    wait_for_text(guest, "alpha beta gamma")
    expect(guest.get_by_test_id("share-sign-in")).to_have_count(0)
    comment_on_word(guest, "alpha", "Signed in now")
    expect(owner.get_by_role("button", name="Comments (2)")).to_be_visible()


def test_commenting_after_the_link_is_revoked_fails_with_a_clear_message(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Revoked plan", "alpha beta gamma")
    link = comment_link(app_server, document_id)
    outsider = people.sign_in("outsider")
    outsider.goto(link["url"].removeprefix(app_server.url))
    wait_for_text(outsider, "alpha beta gamma")
    expect(outsider.get_by_test_id("sync-status")).to_have_text("Live")

    api_delete(
        app_server,
        app_server.seed["tokens"]["owner"],
        f"documents/{document_id}/share-links/{link['id']}",
    )
    expect(outsider.get_by_test_id("share-closed")).to_contain_text("revoked or has expired")
    comment_on_word(outsider, "beta", "Too late?")

    error = outsider.locator("#comments-panel .comment-error")
    expect(error).to_have_text("The share link you opened was revoked.")
    assert (
        api_request(
            app_server.url,
            app_server.seed["tokens"]["owner"],
            "GET",
            f"documents/{document_id}/comments",
        )["results"]
        == []
    )
