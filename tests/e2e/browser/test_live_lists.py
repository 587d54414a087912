"""Lists that update themselves, in real Chromium with two people: what one does shows in the
other's sidebar, members list and room list within a second, without a reload."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

# What the issue asks: another person's change shows within a second.
LIVE_MS = 1_000


def api_delete(server: Server, token: str, path: str) -> None:
    request = urllib.request.Request(
        f"{server.url}/api/v1/{path}",
        method="DELETE",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204


def room_page(page: Any, server: Server) -> None:
    page.goto(f"/rooms/{server.seed['room']}/")
    # The room socket is subscribed once the presence bar shows who is here.
    expect(page.locator('[data-region="presence"]')).not_to_contain_text("will show")


def room_card(page: Any, server: Server) -> Any:
    return page.locator(f'[data-room-list="mine"] [data-room-id="{server.seed["room"]}"]')


def test_a_document_made_renamed_archived_and_deleted_by_one_shows_in_the_others_sidebar(
    people: People, app_server: Server, artifacts: Path
) -> None:
    ann = people.sign_in("editor")
    bob = people.sign_in("editor2")
    room_page(ann, app_server)
    room_page(bob, app_server)
    documents = bob.get_by_role("list", name="Documents")

    new = ann.get_by_role("form", name="New", exact=True)
    new.get_by_label("Title").fill("Launch plan")
    new.get_by_role("button", name="Create").click()
    expect(ann).to_have_url(re.compile(r"/rooms/[^/]+/documents/[^/]+/$"))
    # Ann's new page has its own room socket: subscribed once her presence bar shows people.
    expect(ann.locator('[data-region="presence"] .presence-person')).not_to_have_count(0)
    created = documents.get_by_role("link", name="Launch plan")
    expect(created).to_be_visible(timeout=LIVE_MS)
    document_id = ann.url.rstrip("/").rsplit("/", 1)[1]
    expect(created).to_have_attribute("href", re.compile(rf"/documents/{document_id}/$"))
    bob.screenshot(path=str(artifacts / "live-sidebar.png"))

    token = app_server.seed["tokens"]["editor"]
    api_request(app_server.url, token, "PATCH", f"documents/{document_id}", {"title": "Launch"})
    renamed = documents.locator(f'[data-document-id="{document_id}"]')
    expect(renamed.get_by_role("link", name="Launch", exact=True)).to_be_visible(timeout=LIVE_MS)
    # The one who has it open sees its new title too.
    expect(ann.locator(".doc-title")).to_have_text("Launch", timeout=LIVE_MS)

    api_request(app_server.url, token, "POST", f"documents/{document_id}/lock")
    expect(renamed).to_contain_text("Locked", timeout=LIVE_MS)

    # Archived, it moves to the Archived list; restored, it comes back.
    archived = bob.get_by_role("list", name="Archived")
    api_request(app_server.url, token, "POST", f"documents/{document_id}/archive")
    expect(archived.get_by_role("link", name=re.compile("^Launch"))).to_be_visible(timeout=LIVE_MS)
    expect(renamed).to_have_count(0)
    api_request(app_server.url, token, "POST", f"documents/{document_id}/restore")
    expect(renamed).to_be_visible(timeout=LIVE_MS)
    expect(archived).to_be_hidden()

    api_delete(app_server, token, f"documents/{document_id}")
    expect(renamed).to_have_count(0, timeout=LIVE_MS)
    expect(ann.get_by_role("alert")).to_contain_text("This document was deleted", timeout=LIVE_MS)

    # A whiteboard lands in its own list.
    board = api_request(
        app_server.url,
        token,
        "POST",
        f"rooms/{app_server.seed['room']}/documents",
        {"title": "Sketches", "kind": "whiteboard"},
    )
    whiteboards = bob.get_by_role("list", name="Whiteboards")
    expect(whiteboards.get_by_role("link", name="Sketches")).to_be_visible(timeout=LIVE_MS)
    api_delete(app_server, token, f"documents/{board['id']}")


def test_a_rename_while_the_room_socket_was_away_shows_in_the_open_documents_title(
    people: People, app_server: Server
) -> None:
    ann = people.sign_in("editor")
    token = app_server.seed["tokens"]["editor"]
    sockets: list[Any] = []
    renamed: list[str] = []

    def room_socket(route: Any) -> None:
        # Ann's room socket passes through; the connection that follows a drop is made only
        # after the document was renamed, so the rename's event cannot reach her.
        if sockets and not renamed:
            api_request(
                app_server.url, token, "PATCH", f"documents/{document_id}", {"title": "Final"}
            )
            renamed.append("Final")
        route.connect_to_server()
        sockets.append(route)

    document_id = api_request(
        app_server.url,
        token,
        "POST",
        f"rooms/{app_server.seed['room']}/documents",
        {"title": "Draft"},
    )["id"]
    ann.route_web_socket(re.compile(r"/ws/rooms/"), room_socket)
    ann.goto(f"/rooms/{app_server.seed['room']}/documents/{document_id}/")
    presence = ann.locator('[data-region="presence"]')
    expect(presence.locator(".presence-person")).to_have_count(1)
    expect(ann.locator(".doc-title")).to_have_text("Draft")

    sockets[0].close(code=1012, reason="restarting")  # the server went away for a moment
    # Back, the socket's snapshot reads the documents again, and the header follows.
    expect(ann.locator(".doc-title")).to_have_text("Final")
    assert renamed == ["Final"] and len(sockets) == 2
    expect(ann).to_have_title(re.compile(r"^Final · "))
    sidebar = ann.get_by_role("list", name="Documents")
    expect(sidebar.get_by_role("link", name="Final", exact=True)).to_be_visible()


def test_a_document_archived_from_the_settings_page_moves_in_the_others_sidebar(
    people: People, app_server: Server
) -> None:
    owner = people.sign_in("owner")
    editor = people.sign_in("editor")
    room_page(editor, app_server)
    owner.goto(f"/rooms/{app_server.seed['room']}/settings/")
    documents = editor.get_by_role("list", name="Documents")
    archived = editor.get_by_role("list", name="Archived")
    expect(documents.get_by_role("link", name="awareness")).to_be_visible()

    owner.get_by_role("button", name="Archive awareness").click()
    expect(owner.get_by_role("button", name="Restore awareness")).to_be_visible()
    expect(archived.get_by_role("link", name="awareness")).to_be_visible(timeout=LIVE_MS)
    expect(documents.get_by_role("link", name="awareness")).to_have_count(0)

    owner.get_by_role("button", name="Restore awareness").click()
    expect(documents.get_by_role("link", name="awareness")).to_be_visible(timeout=LIVE_MS)
    expect(archived).to_be_hidden()


def test_an_unread_badge_appears_on_the_others_room_list_without_a_reload(
    people: People, app_server: Server
) -> None:
    ann = people.sign_in("editor")  # the room list is where signing in lands
    bob = people.sign_in("editor2")
    badge = room_card(ann, app_server).locator("[data-unread-room]")
    expect(room_card(ann, app_server)).to_be_visible()
    before = int(badge.text_content() or 0)

    room_page(bob, app_server)
    composer = bob.get_by_label("Message the room")
    composer.fill("Is the release on track?")
    composer.press("Enter")
    expect(bob.locator(".chat-message").filter(has_text="on track")).to_be_visible()

    expect(badge).to_have_text(str(before + 1), timeout=LIVE_MS)
    expect(badge).to_have_attribute(
        "aria-label", f"{before + 1} unread message" + "s" * (before > 0)
    )

    # Reading the room elsewhere clears it.
    room_page(ann.context.new_page(), app_server)
    expect(badge).to_be_hidden()


def test_a_member_added_appears_in_the_members_lists_and_a_role_change_too(
    people: People, app_server: Server
) -> None:
    owner = people.sign_in("owner")
    editor = people.sign_in("editor")
    outsider = people.sign_in("outsider")
    room_page(editor, app_server)
    expect(room_card(outsider, app_server)).to_have_count(0)

    owner.goto(f"/rooms/{app_server.seed['room']}/settings/")
    members = owner.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem")).not_to_have_count(0)
    form = owner.get_by_role("form", name="Add a member")
    form.get_by_label("Username").fill("outsider")
    form.get_by_label("Role").select_option("commenter")
    form.get_by_role("button", name="Add").click()
    expect(members.locator("[data-user-id]").filter(has_text="@outsider")).to_have_count(1)

    sidebar = editor.locator(".member-list")
    expect(sidebar.get_by_text("outsider", exact=True)).to_be_visible(timeout=LIVE_MS)
    expect(sidebar.locator("li").filter(has_text="outsider")).to_contain_text("Commenter")
    # Their own room list gains the room.
    expect(room_card(outsider, app_server)).to_be_visible(timeout=LIVE_MS)
    expect(room_card(outsider, app_server)).to_contain_text("Commenter")

    # A role changed through the API shows on the settings page and in the sidebar.
    api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "PATCH",
        f"rooms/{app_server.seed['room']}/members/{user_id(owner, 'outsider')}",
        {"role": "viewer"},
    )
    expect(owner.get_by_label("Role of outsider")).to_have_value("viewer", timeout=LIVE_MS)
    expect(sidebar.locator("li").filter(has_text="outsider")).to_contain_text(
        "Viewer", timeout=LIVE_MS
    )
    expect(room_card(outsider, app_server)).to_contain_text("Viewer", timeout=LIVE_MS)


def user_id(page: Any, username: str) -> str:
    row = page.get_by_role("list", name="Members").locator("[data-user-id]")
    return str(row.filter(has_text=f"@{username}").get_attribute("data-user-id"))


def test_a_person_removed_from_a_room_sees_it_leave_their_room_list(
    people: People, app_server: Server
) -> None:
    viewer = people.sign_in("viewer")
    card = room_card(viewer, app_server)
    expect(card).to_be_visible()
    owner_token = app_server.seed["tokens"]["owner"]
    members = api_request_list(app_server, owner_token, f"rooms/{app_server.seed['room']}/members")
    viewer_id = next(m["user"]["id"] for m in members if m["user"]["username"] == "viewer")

    api_delete(app_server, owner_token, f"rooms/{app_server.seed['room']}/members/{viewer_id}")

    expect(card).to_have_count(0, timeout=LIVE_MS)
    expect(viewer.get_by_text("You are in no room yet.")).to_be_visible()


def api_request_list(server: Server, token: str, path: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{server.url}/api/v1/{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(json.loads(response.read())["results"])
