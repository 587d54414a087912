"""Version history in real Chromium: the list, a preview, keeping a named version, and a
restore that changes the other person's open editor. Also writes the README's screenshot."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import (
    end_of_paragraph,
    new_document,
    open_document,
    status_of,
    wait_for_text,
)
from tests.e2e.conftest import Server, api_request, content_text, content_write

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"

OUTLINE = "# Launch plan\n\nShip the editor in March."
CURRENT = (
    "# Launch plan\n\n"
    "Ship the editor in March and the whiteboard in April. Chat follows once presence is in.\n\n"
    "## Tasks\n\n"
    "- [x] Editor with live carets\n"
    "- [ ] Whiteboard: shapes, pen, sticky notes\n"
    "- [ ] Chat with threads and reactions\n\n"
    "> Saved means stored on the server, not merely sent."
)


def test_restoring_a_version_changes_the_other_persons_open_editor(
    people: People, app_server: Server, artifacts: Path
) -> None:
    owner_token = app_server.seed["tokens"]["owner"]
    document_id = new_document(app_server, "Launch plan", OUTLINE)
    api_request(
        app_server.url,
        owner_token,
        "POST",
        f"documents/{document_id}/versions",
        {"name": "First outline"},
    )
    content_write(app_server.url, owner_token, document_id, CURRENT)
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        expect(page.locator(".ProseMirror li")).to_have_count(3)
        expect(status_of(page)).to_have_attribute("data-status", "saved")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" Beta users get it first.")
    expect(bob.locator(".ProseMirror")).to_contain_text("Beta users get it first.")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")

    history_button = bob.get_by_role("button", name="History", exact=True)
    history_button.click()
    expect(history_button).to_have_attribute("aria-expanded", "true")
    panel = bob.get_by_role("complementary", name="Version history")
    expect(panel).to_be_visible()
    panel.get_by_label("Name the current version").fill("Before the restore")
    panel.get_by_role("button", name="Save version").click()
    versions = panel.get_by_role("list", name="Versions")
    expect(versions.get_by_role("button")).to_have_count(2)
    expect(versions.get_by_role("button").first).to_contain_text("Before the restore")
    expect(versions.get_by_role("button").first).to_contain_text("editor2")
    outline = versions.get_by_role("button", name=re.compile("First outline"))
    expect(outline).to_contain_text("owner")
    outline.click()
    expect(outline).to_have_attribute("aria-pressed", "true")
    preview = panel.get_by_label("Version content, read-only")
    expect(preview).to_contain_text("Ship the editor in March.")
    expect(preview).not_to_contain_text("whiteboard")
    expect(preview).to_have_attribute("contenteditable", "false")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    bob.screenshot(path=str(SCREENSHOTS / "room-editor.png"))
    bob.screenshot(path=str(artifacts / "history-preview.png"))

    panel.get_by_role("button", name="Restore this version").click()
    dialog = bob.get_by_role("dialog", name=re.compile("Restore .First outline."))
    dialog.get_by_role("button", name="Restore").click()
    expect(dialog).to_have_count(0)

    restored = "Launch plan\nShip the editor in March."
    wait_for_text(alice, restored)
    wait_for_text(bob, restored)
    expect(panel.get_by_role("status")).to_contain_text("Restored")
    for page in (alice, bob):
        expect(status_of(page)).to_have_attribute("data-status", "saved")
    assert content_text(app_server.url, owner_token, document_id) == (
        "Launch plan\n\nShip the editor in March."
    )
    # Both keep editing the restored content together.
    end_of_paragraph(alice, 0)  # the first <p>; the title is an <h1>
    alice.keyboard.type(" Then April.")
    wait_for_text(bob, "Launch plan\nShip the editor in March. Then April.")

    panel.get_by_role("button", name="Close version history").click()
    expect(panel).to_be_hidden()
    expect(history_button).to_be_focused()


def test_a_viewer_sees_the_history_but_cannot_restore_or_keep_versions(
    people: People, app_server: Server
) -> None:
    owner_token = app_server.seed["tokens"]["owner"]
    document_id = new_document(app_server, "Handbook", "Chapter one")
    api_request(
        app_server.url,
        owner_token,
        "POST",
        f"documents/{document_id}/versions",
        {"name": "Chapter one only"},
    )
    viewer = people.sign_in("viewer")
    open_document(viewer, app_server, document_id)
    viewer.get_by_role("button", name="History", exact=True).click()
    panel = viewer.get_by_role("complementary", name="Version history")
    panel.get_by_role("button", name=re.compile("Chapter one only")).click()
    expect(panel.get_by_label("Version content, read-only")).to_contain_text("Chapter one")
    expect(panel.get_by_role("button", name="Restore this version")).to_be_hidden()
    expect(panel.get_by_label("Name the current version")).to_be_hidden()
    viewer.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def versions_of(app_server: Server, document_id: str) -> list[dict]:
    request = urllib.request.Request(
        f"{app_server.url}/api/v1/documents/{document_id}/versions",
        headers={"Authorization": f"Bearer {app_server.seed['tokens']['owner']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(json.loads(response.read())["results"])


WIPED = "# Release notes\n\nThe editor ships in March with live carets.\n\nThe whiteboard follows."


def test_after_one_person_wipes_a_document_the_other_restores_it_in_one_step(
    people: People, app_server: Server, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Release notes", WIPED)
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        expect(page.locator(".ProseMirror")).to_contain_text("The whiteboard follows.")
    alice.locator(".ProseMirror").click()
    alice.keyboard.press("ControlOrMeta+a")
    alice.keyboard.press("Delete")
    wait_for_text(bob, "")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    # The wipe guard keeps the version within COLLAB_WIPE_CHECK_SECONDS of the commit.
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not any(v["kind"] == "before_wipe" for v in versions_of(app_server, document_id)):
        assert time.monotonic() < deadline, "no version was kept before the wipe"
        bob.wait_for_timeout(100)

    bob.get_by_role("button", name="History", exact=True).click()
    panel = bob.get_by_role("complementary", name="Version history")
    entry = panel.get_by_role("button", name=re.compile("Before most of the content was removed"))
    entry.click()
    changes = panel.get_by_role("region", name="Changes")
    # Against the current, empty document: all of it deleted, block by block.
    expect(changes.locator("del")).to_have_count(3)
    expect(changes.locator("del").nth(1)).to_have_text(
        "The editor ships in March with live carets."
    )
    panel.get_by_role("button", name="Restore this version").click()
    bob.get_by_role("dialog").get_by_role("button", name="Restore").click()

    restored = "Release notes\nThe editor ships in March with live carets.\nThe whiteboard follows."
    wait_for_text(alice, restored)
    wait_for_text(bob, restored)
    # The restore is an entry of its own, selected, and its changes are what came back.
    latest = panel.get_by_role("list", name="Versions").get_by_role("button").first
    expect(latest).to_contain_text("Restored the version of")
    expect(latest).to_contain_text("editor2")
    expect(latest).to_have_attribute("aria-pressed", "true")
    expect(changes.locator("ins")).to_have_count(3)
    expect(changes).to_contain_text("words added")
    expect(changes.locator("ins").nth(1)).to_have_text(
        "The editor ships in March with live carets."
    )
    bob.screenshot(path=str(artifacts / "history-restored-wipe.png"))
    kinds = [version["kind"] for version in versions_of(app_server, document_id)]
    assert kinds == ["restore", "before_restore", "before_wipe"]
