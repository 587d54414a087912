"""Room settings and the room list in real Chromium: invite links made and copied, a role
change that turns a member's open editor read-only (and back), locking a document, errors
from the API shown at the control, creating and joining rooms."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
from tests.e2e.conftest import Server, content_text

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def open_settings(page: Any, server: Server) -> None:
    page.goto(f"/rooms/{server.seed['room']}/")
    page.get_by_role("link", name="Room settings").click()
    expect(page.get_by_role("heading", name="Room settings")).to_be_visible()
    expect(page.get_by_role("list", name="Members").get_by_role("listitem")).not_to_have_count(0)


def test_an_invite_link_is_created_copied_and_lets_someone_join(
    people: People, app_server: Server, artifacts: Path
) -> None:
    owner = people.sign_in("owner")
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    open_settings(owner, app_server)

    new_invite = owner.get_by_role("form", name="New invite link")
    new_invite.get_by_label("Role", exact=True).select_option("commenter")
    new_invite.get_by_label("Expires").select_option(label="In a day")
    new_invite.get_by_role("button", name="Create link").click()
    invites = owner.get_by_role("list", name="Active invite links")
    row = invites.get_by_role("listitem").first
    link_input = row.get_by_role("textbox", name=re.compile("Invite link"))
    expect(link_input).to_have_value(re.compile(rf"^{re.escape(app_server.url)}/invite/[^/]+/$"))
    expect(link_input).to_be_focused()
    expect(row).to_contain_text("Commenter")
    link = link_input.input_value()

    row.get_by_role("button", name="Copy link").click()
    expect(row.get_by_role("button", name="Copied")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == link
    owner.screenshot(path=str(artifacts / "room-settings.png"), full_page=True)

    outsider = people.sign_in("outsider")
    outsider.goto(link)
    outsider.get_by_role("button", name="Accept invitation").click()
    expect(outsider).to_have_url(re.compile(rf"/rooms/{app_server.seed['room']}/$"))
    expect(outsider.locator(".room-meta")).to_contain_text("Commenter")

    row.get_by_role("button", name=re.compile("Revoke")).click()
    owner.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(invites.get_by_role("listitem")).to_have_count(0)
    expect(owner.get_by_text("No active invite links.")).to_be_visible()


def test_a_role_changed_to_viewer_makes_the_members_open_editor_read_only(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Budget", "Budget")
    member = people.sign_in("member")
    closes: list[int] = []
    member.on("websocket", lambda socket: socket.on("close", lambda _: closes.append(1)))
    open_document(member, app_server, document_id)
    wait_for_text(member, "Budget")
    expect(status_of(member)).to_have_attribute("data-status", "saved")
    editable = member.locator(".ProseMirror")
    expect(editable).to_have_attribute("contenteditable", "true")

    owner = people.sign_in("owner")
    open_settings(owner, app_server)
    role = owner.get_by_label("Role of member")
    role.select_option("viewer")
    expect(owner.get_by_role("status").filter(has_text="member is now a viewer")).to_be_visible()

    # The page learns it within seconds (it asks every 3 s), without the member typing.
    expect(editable).to_have_attribute("contenteditable", "false", timeout=15_000)
    expect(member.get_by_role("note")).to_contain_text("Your role in this room changed")
    expect(member.get_by_test_id("read-only")).to_be_visible()
    expect(member.get_by_role("toolbar", name="Formatting")).to_have_count(0)
    expect(status_of(member)).to_have_attribute("data-status", "live")
    member.locator(".ProseMirror p").first.click()
    member.keyboard.type(" more")
    expect(status_of(member)).to_have_attribute("data-status", "live")
    assert content_text(app_server.url, app_server.seed["tokens"]["owner"], document_id) == "Budget"

    role.select_option("editor")
    expect(editable).to_have_attribute("contenteditable", "true", timeout=15_000)
    expect(member.get_by_role("note")).to_contain_text("You can edit this document again")
    expect(member.get_by_test_id("read-only")).to_be_hidden()
    expect(status_of(member)).to_have_attribute("data-status", "saved")
    end_of_paragraph(member, 0)
    member.keyboard.type(" for 2025")
    wait_for_text(member, "Budget for 2025")
    expect(status_of(member)).to_have_attribute("data-status", "saved", timeout=20_000)
    assert content_text(app_server.url, app_server.seed["tokens"]["owner"], document_id) == (
        "Budget for 2025"
    )
    # Re-mounting opened one new socket each time, never a reconnect loop.
    assert len(closes) <= 2


def test_locking_a_document_makes_an_editors_open_editor_read_only(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Contract", "Final wording")
    editor = people.sign_in("editor2")
    open_document(editor, app_server, document_id)
    expect(status_of(editor)).to_have_attribute("data-status", "saved")

    owner = people.sign_in("owner")
    open_settings(owner, app_server)
    lock = owner.get_by_role("checkbox", name="Lock Contract")
    lock.check()
    expect(lock).to_be_checked()
    expect(lock).to_be_enabled()
    expect(editor.locator(".ProseMirror")).to_have_attribute(
        "contenteditable", "false", timeout=15_000
    )
    expect(editor.get_by_role("note")).to_contain_text("This document was locked")
    expect(editor.locator("[data-flag=locked]")).to_be_visible()
    lock.uncheck()
    expect(editor.locator(".ProseMirror")).to_have_attribute(
        "contenteditable", "true", timeout=15_000
    )


def test_api_errors_are_shown_next_to_the_control(people: People, app_server: Server) -> None:
    owner = people.sign_in("owner")
    open_settings(owner, app_server)
    owner.get_by_label("Username").fill("nobody-by-that-name")
    owner.get_by_role("button", name="Add", exact=True).click()
    error = owner.locator("#add-member-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(owner.get_by_label("Username")).to_have_attribute("aria-invalid", "true")

    # The last owner cannot make themselves an editor: the select goes back, with the reason.
    own_role = owner.get_by_label("Role of owner")
    own_role.select_option("editor")
    expect(owner.locator(f"#member-error-{own_user_id(owner)}")).to_be_visible()
    expect(own_role).to_have_value("owner")


def own_user_id(page: Any) -> int:
    return int(
        page.evaluate("JSON.parse(document.getElementById('settings-context').textContent).user.id")
    )


def test_archiving_the_room_makes_it_read_only_until_restored(
    people: People, app_server: Server
) -> None:
    owner = people.sign_in("owner")
    open_settings(owner, app_server)
    owner.get_by_role("button", name="Archive the room").click()
    owner.get_by_role("dialog").get_by_role("button", name="Archive").click()
    expect(owner.get_by_role("button", name="Restore the room")).to_be_visible()
    owner.goto(f"/rooms/{app_server.seed['room']}/")
    expect(owner.locator(".room-meta")).to_contain_text("Archived")
    owner.get_by_role("link", name="Room settings").click()
    owner.get_by_role("button", name="Restore the room").click()
    expect(owner.get_by_role("button", name="Archive the room")).to_be_visible()
    owner.goto(f"/rooms/{app_server.seed['room']}/")
    expect(owner.locator(".room-meta")).not_to_contain_text("Archived")


def test_a_room_created_from_the_room_list_opens_and_others_can_join_it(
    people: People, app_server: Server, artifacts: Path
) -> None:
    alice = people.sign_in("editor")
    alice.get_by_label("Name").fill("Design reviews")
    alice.get_by_label("Description").fill("Weekly critique of new screens.")
    alice.get_by_role("checkbox", name=re.compile("Public")).check()
    alice.get_by_role("button", name="Create room").click()
    expect(alice).to_have_url(re.compile(r"/rooms/[0-9a-f-]{36}/$"))
    expect(alice.get_by_role("heading", name="Design reviews", level=1)).to_be_visible()
    expect(alice.locator(".room-meta")).to_contain_text("Owner")
    alice.get_by_role("link", name="Rooms", exact=True).click()
    mine = alice.get_by_role("list", name="Your rooms")
    expect(mine.get_by_role("link", name=re.compile("Design reviews"))).to_contain_text("Owner")

    bob = people.sign_in("editor2")
    public = bob.get_by_role("list", name="Public rooms")
    expect(public.get_by_role("listitem").filter(has_text="Design reviews")).to_be_visible()
    bob.screenshot(path=str(artifacts / "room-list.png"), full_page=True)
    public.get_by_role("button", name="Join Design reviews").click()
    expect(bob.get_by_role("heading", name="Design reviews", level=1)).to_be_visible()
    # A public room makes whoever joins it a viewer unless its owners chose otherwise.
    expect(bob.locator(".room-meta")).to_contain_text("Viewer")
    bob.get_by_role("link", name="Rooms", exact=True).click()
    expect(
        bob.get_by_role("list", name="Your rooms").get_by_role("link", name=re.compile("Design"))
    ).to_be_visible()
