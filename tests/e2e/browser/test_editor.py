"""The document editor in real Chromium against a real server: people typing at once,
carets, a viewer who cannot write, offline edits, and "saved" meaning committed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import (
    Server,
    content_text,
    content_write,
    document_create,
    stored_log_sqlite,
)

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

CONNECTED = re.compile(r"^(saving|saved)$")
TEXT = "collab.editor.getText({blockSeparator: '\\n'})"


def new_document(server: Server, title: str, markdown: str) -> str:
    document_id = document_create(server.url, server.seed, title)
    content_write(server.url, server.seed["tokens"]["owner"], document_id, markdown)
    return document_id


def open_document(page: Any, server: Server, document_id: str) -> None:
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    expect(page.locator(".ProseMirror")).to_be_visible()


def status_of(page: Any) -> Any:
    return page.get_by_test_id("sync-status")


def wait_for_text(page: Any, expected: str, timeout_ms: float = 30_000) -> None:
    """Wait until the editor holds ``expected``; on a timeout the error says what it held."""
    try:
        page.wait_for_function(
            f"expected => window.collab && {TEXT} === expected", arg=expected, timeout=timeout_ms
        )
    except Exception as error:
        held = page.evaluate(f"() => window.collab ? {TEXT} : null")
        raise AssertionError(f"the editor holds {held!r}, not {expected!r}") from error


# Where the editor's caret is: [which paragraph it is in, counted in document order as
# `.ProseMirror p` counts them (-1 outside any), whether it is at that paragraph's end].
CARET = (
    "() => { const { $head } = collab.editor.state.selection; let seen = -1, at = -1;"
    " collab.editor.state.doc.descendants((node, pos) => {"
    " if (node.type.name !== 'paragraph') return; seen += 1;"
    " if (pos + 1 === $head.start()) at = seen });"
    " return [at, $head.parentOffset === $head.parent.content.size] }"
)


def end_of_paragraph(page: Any, index: int) -> None:
    """Put the caret at the end of the editor's ``index``-th paragraph, and look that it is
    there before typing, as a person does. Under load a click that lands in the same instant
    as the other person's caret or edit can be lost (the caret stays where it was: seen as
    the second person's words ending up in the first paragraph), so it is clicked again."""
    for _ in range(5):
        page.locator(".ProseMirror p").nth(index).click()
        page.keyboard.press("End")
        page.wait_for_timeout(250)  # past the server's awareness coalescing
        if page.evaluate(CARET) == [index, True]:
            return
    raise AssertionError(f"the caret would not stay at the end of paragraph {index}")


def own_color(page: Any) -> str:
    return str(
        page.evaluate("JSON.parse(document.getElementById('room-context').textContent).user.color")
    )


def rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def caret_label(page: Any, name: str) -> Any:
    return page.locator(".collaboration-carets__label").filter(
        has_text=re.compile(f"^{re.escape(name)}$")
    )


def test_two_editors_typing_at_once_end_with_the_same_text_and_see_each_others_caret(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Launch plan", "Goals:\n\nRisks:")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Goals:\nRisks:")
        expect(status_of(page)).to_have_attribute("data-status", CONNECTED)
    end_of_paragraph(alice, 0)
    end_of_paragraph(bob, 1)

    # Interleaved, with no wait in between: each one's keystrokes cross the other's in flight.
    alice_words = [f" a{i}" for i in range(15)]
    bob_words = [f" b{i}" for i in range(15)]
    for alice_word, bob_word in zip(alice_words, bob_words, strict=True):
        alice.keyboard.type(alice_word)
        bob.keyboard.type(bob_word)

    expected = "Goals:" + "".join(alice_words) + "\nRisks:" + "".join(bob_words)
    wait_for_text(alice, expected)
    wait_for_text(bob, expected)
    expect(caret_label(alice, "editor2")).to_be_visible()
    expect(caret_label(bob, "editor")).to_be_visible()
    expect(caret_label(alice, "editor2")).to_have_css("background-color", rgb(own_color(bob)))
    expect(caret_label(bob, "editor")).to_have_css("background-color", rgb(own_color(alice)))
    for page in (alice, bob):
        expect(status_of(page)).to_have_attribute("data-status", "saved")
    stored = content_text(app_server.url, app_server.seed["tokens"]["owner"], document_id)
    assert stored.split("\n\n") == expected.split("\n")
    alice.screenshot(path=str(artifacts / "editor-two-people.png"))


def test_a_viewer_cannot_change_the_document(people: People, app_server: Server) -> None:
    document_id = new_document(app_server, "Policy", "Read me, do not edit me.")
    viewer = people.sign_in("viewer")
    sent: list[bytes] = []
    viewer.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    open_document(viewer, app_server, document_id)
    wait_for_text(viewer, "Read me, do not edit me.")
    expect(viewer.locator(".ProseMirror")).to_have_attribute("contenteditable", "false")
    expect(viewer.get_by_role("toolbar", name="Formatting")).to_have_count(0)
    expect(viewer.get_by_test_id("read-only")).to_be_visible()
    expect(status_of(viewer)).to_have_attribute("data-status", "live")
    assert app_server.data_dir is not None
    database = app_server.data_dir / "db.sqlite3"
    seq_before = stored_log_sqlite(database, document_id).last_seq

    viewer.locator(".ProseMirror p").first.click()
    viewer.keyboard.press("End")
    viewer.keyboard.type(" vandalism")
    viewer.keyboard.press("Enter")
    viewer.keyboard.press("Control+a")
    viewer.keyboard.press("Backspace")
    # A later write by the owner reaches the viewer: by then whatever the viewer's socket sent
    # before it has been reported and handled.
    owner_token = app_server.seed["tokens"]["owner"]
    content_write(app_server.url, owner_token, document_id, "Read me, do not edit me.\n\nv2")
    wait_for_text(viewer, "Read me, do not edit me.\nv2")

    assert content_text(app_server.url, owner_token, document_id) == (
        "Read me, do not edit me.\n\nv2"
    )
    assert stored_log_sqlite(database, document_id).last_seq == seq_before + 1  # the owner's
    frames = [bytes(frame) for frame in sent if isinstance(frame, bytes)]
    assert frames, "the viewer's socket sent nothing at all"
    sync_frames = [frame for frame in frames if frame[0] == 0]
    # Only sync step 1 and an empty step 2 (the Yjs empty update: two zero bytes).
    assert all(frame[1] == 0 or frame == b"\x00\x01\x02\x00\x00" for frame in sync_frames), [
        frame.hex() for frame in sync_frames
    ]


def test_offline_edits_are_kept_and_merge_when_the_connection_returns(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Agenda", "Agenda\n\nNotes")
    owner_token = app_server.seed["tokens"]["owner"]
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Agenda\nNotes")
        expect(status_of(page)).to_have_attribute("data-status", "saved")

    alice.context.set_offline(True)
    expect(status_of(alice)).to_have_attribute("data-status", "offline")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" (written offline)")
    end_of_paragraph(bob, 1)
    bob.keyboard.type(" (written online)")
    wait_for_text(bob, "Agenda\nNotes (written online)")
    expect(status_of(bob)).to_have_attribute("data-status", "saved")
    wait_for_text(alice, "Agenda (written offline)\nNotes")
    alice.screenshot(path=str(artifacts / "editor-offline.png"))
    assert "written offline" not in content_text(app_server.url, owner_token, document_id)

    alice.context.set_offline(False)
    expected = "Agenda (written offline)\nNotes (written online)"
    wait_for_text(alice, expected)
    wait_for_text(bob, expected)
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    stored = content_text(app_server.url, owner_token, document_id)
    assert stored == "Agenda (written offline)\n\nNotes (written online)"


def test_an_offline_edit_survives_closing_the_tab_and_reaches_the_others_later(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Field notes", "Field notes")
    owner_token = app_server.seed["tokens"]["owner"]
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Field notes")
        expect(status_of(page)).to_have_attribute("data-status", "saved")

    alice.context.set_offline(True)
    expect(status_of(alice)).to_have_attribute("data-status", "offline")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" kept on this device")
    wait_for_text(alice, "Field notes kept on this device")
    stored_locally = alice.evaluate(
        """async () => {
            const ids = JSON.parse(document.getElementById('room-context').textContent);
            const name = `collab:${ids.user.id}:${ids.current.id}`;
            const db = await new Promise((ok, fail) => {
                const request = indexedDB.open(name);
                request.onsuccess = () => ok(request.result);
                request.onerror = () => fail(request.error);
            });
            const count = await new Promise((ok) => {
                const request = db.transaction('updates').objectStore('updates').count();
                request.onsuccess = () => ok(request.result);
            });
            db.close();
            return count;
        }"""
    )
    assert stored_locally > 0
    alice.close()
    assert "kept on this device" not in content_text(app_server.url, owner_token, document_id)

    alice.context.set_offline(False)
    again = alice.context.new_page()
    open_document(again, app_server, document_id)
    wait_for_text(again, "Field notes kept on this device")
    wait_for_text(bob, "Field notes kept on this device")
    expect(status_of(again)).to_have_attribute("data-status", "saved")
    assert content_text(app_server.url, owner_token, document_id) == (
        "Field notes kept on this device"
    )


def test_the_status_says_saved_once_the_server_has_committed_the_edit(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Minutes", "Minutes")
    alice = people.sign_in("editor")
    open_document(alice, app_server, document_id)
    wait_for_text(alice, "Minutes")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")

    end_of_paragraph(alice, 0)
    alice.keyboard.type(" of the meeting")
    expect(status_of(alice)).to_have_attribute("data-status", "saved", timeout=60_000)
    expect(status_of(alice)).to_have_text("Saved")
    # "Saved" is a promise that the server has the edit: read it back at once.
    owner_token = app_server.seed["tokens"]["owner"]
    assert content_text(app_server.url, owner_token, document_id) == "Minutes of the meeting"


def test_the_room_works_on_a_narrow_screen_and_creates_a_document_from_the_sidebar(
    people: People, app_server: Server, artifacts: Path
) -> None:
    phone = people.sign_in("editor", viewport={"width": 390, "height": 844})
    phone.goto(f"/rooms/{app_server.seed['room']}/")
    toggle = phone.get_by_role("button", name="E2E room")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_label("Title")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    phone.get_by_label("Title").fill("Written on a phone")
    phone.get_by_role("button", name="Create").click()

    expect(phone).to_have_url(re.compile(r"/documents/[0-9a-f-]{36}/$"))
    expect(phone.get_by_role("heading", name="Written on a phone")).to_be_visible()
    expect(phone.locator(".ProseMirror")).to_have_attribute("contenteditable", "true")
    phone.locator(".ProseMirror").click()
    phone.keyboard.type("Typed with the keyboard of a phone.")
    expect(status_of(phone)).to_have_attribute("data-status", "saved")
    phone.screenshot(path=str(artifacts / "room-narrow.png"), full_page=True)


def test_undo_takes_back_only_ones_own_edits(people: People, app_server: Server) -> None:
    document_id = new_document(app_server, "Undo", "Mine:\n\nTheirs:")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Mine:\nTheirs:")
    # Each types their word as one input (as a paste or an IME does): one undo step however
    # slowly a loaded machine delivers keys (keys more than 500 ms apart are steps of their own).
    end_of_paragraph(alice, 0)
    alice.keyboard.insert_text(" alice")
    wait_for_text(bob, "Mine: alice\nTheirs:")
    end_of_paragraph(bob, 1)
    bob.keyboard.insert_text(" bob")
    wait_for_text(alice, "Mine: alice\nTheirs: bob")

    alice.get_by_role("button", name="Undo").click()
    wait_for_text(alice, "Mine:\nTheirs: bob")
    wait_for_text(bob, "Mine:\nTheirs: bob")
    alice.get_by_role("button", name="Redo").click()
    wait_for_text(bob, "Mine: alice\nTheirs: bob")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")


def test_the_toolbar_formats_text_and_the_other_person_sees_the_structure(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Release notes", "")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    open_document(alice, app_server, document_id)
    open_document(bob, app_server, document_id)
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    toolbar = alice.get_by_role("toolbar", name="Formatting")
    alice.locator(".ProseMirror").click()

    toolbar.get_by_role("button", name="Heading 1").click()
    alice.keyboard.type("Release 2.0")
    alice.keyboard.press("Enter")
    alice.keyboard.type("Read the ")
    toolbar.get_by_role("button", name="Bold").click()
    alice.keyboard.type("important")
    toolbar.get_by_role("button", name="Bold").click()
    alice.keyboard.type(" parts. See ")
    toolbar.get_by_role("button", name="Link").click()
    dialog = alice.get_by_role("dialog", name="Link")
    dialog.get_by_label("Address").fill("example.com/changes")
    dialog.get_by_role("button", name="Apply").click()
    expect(dialog).to_have_count(0)
    alice.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Task list").click()
    alice.keyboard.type("Ship the editor")
    alice.keyboard.press("Enter")
    alice.keyboard.type("Ship the whiteboard")
    alice.keyboard.press("Enter")
    alice.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Quote").click()
    alice.keyboard.type("Edits are saved only once the server has them.")
    alice.keyboard.press("Enter")
    alice.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Code block").click()
    alice.keyboard.type("npm run build")

    other = bob.locator(".ProseMirror")
    expect(other.locator("h1")).to_have_text("Release 2.0")
    expect(other.locator("strong")).to_have_text("important")
    expect(other.locator("a[href='https://example.com/changes']")).to_have_text(
        "https://example.com/changes"
    )
    expect(other.locator("ul[data-type=taskList] > li")).to_have_count(2)
    expect(other.locator("blockquote")).to_contain_text("saved only once")
    expect(other.locator("pre code")).to_contain_text("npm run build")
    alice.locator("ul[data-type=taskList] > li").first.locator("input[type=checkbox]").check()
    expect(other.locator("ul[data-type=taskList] > li").first).to_have_attribute(
        "data-checked", "true"
    )
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    alice.screenshot(path=str(artifacts / "editor-formatting.png"))
