"""The whiteboard in real Chromium: shapes drawn and moved by one appear for the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def new_whiteboard(server: Server, title: str) -> str:
    created = api_request(
        server.url,
        server.seed["tokens"]["owner"],
        "POST",
        f"rooms/{server.seed['room']}/documents",
        {"title": title, "kind": "whiteboard"},
    )
    return str(created["id"])


def open_board(page: Any, server: Server, document_id: str) -> Any:
    page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
    canvas = page.locator(".board-canvas")
    expect(canvas).to_be_visible()
    return canvas


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def test_a_shape_drawn_by_one_appears_for_the_other_and_moves_for_both(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id = new_whiteboard(app_server, "Architecture sketch")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    canvas_a = open_board(alice, app_server, board_id)
    canvas_b = open_board(bob, app_server, board_id)
    for page in (alice, bob):
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")

    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Rectangle").click()
    drag(alice, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    rect_a = canvas_a.locator("[data-shape-type=rect]")
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rect_a).to_have_count(1)
    expect(rect_b).to_have_count(1)
    x0 = int(rect_b.get_attribute("data-x"))
    y0 = int(rect_b.get_attribute("data-y"))
    expect(rect_a).to_have_attribute("data-x", str(x0))

    box_b = canvas_b.bounding_box()
    # Grab the rectangle on its left edge and drag it right and down.
    drag(
        bob, (box_b["x"] + x0, box_b["y"] + y0 + 50), (box_b["x"] + x0 + 120, box_b["y"] + y0 + 110)
    )
    expect(rect_b).to_have_attribute("data-x", str(x0 + 120))
    expect(rect_a).to_have_attribute("data-x", str(x0 + 120))
    expect(rect_a).to_have_attribute("data-y", str(y0 + 60))
    # Bob's pointer and selection show on Alice's board under his name.
    expect(canvas_a.locator(".remote-cursor[data-user=editor2]")).to_have_count(1)

    alice.get_by_role("button", name="Pen").click()
    drag(alice, (box["x"] + 400, box["y"] + 100), (box["x"] + 520, box["y"] + 220))
    expect(canvas_b.locator("[data-shape-type=pen]")).to_have_count(1)
    alice.get_by_role("button", name="Undo").click()
    expect(canvas_b.locator("[data-shape-type=pen]")).to_have_count(0)
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(1)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    stored = api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "GET",
        f"documents/{board_id}/content?format=json",
    )
    [rect] = stored["content"]["shapes"].values()
    assert (rect["type"], rect["x"], rect["y"]) == ("rect", x0 + 120, y0 + 60)
    alice.screenshot(path=str(artifacts / "whiteboard-two-people.png"))


def test_a_viewer_cannot_draw_on_the_whiteboard(people: People, app_server: Server) -> None:
    board_id = new_whiteboard(app_server, "Read-only board")
    viewer = people.sign_in("viewer")
    canvas = open_board(viewer, app_server, board_id)
    expect(viewer.get_by_test_id("sync-status")).to_have_attribute("data-status", "live")
    expect(viewer.get_by_role("button", name="Rectangle")).to_have_count(0)
    box = canvas.bounding_box()
    canvas.focus()
    viewer.keyboard.press("r")
    drag(viewer, (box["x"] + 100, box["y"] + 100), (box["x"] + 200, box["y"] + 200))
    expect(canvas.locator("[data-shape-id]")).to_have_count(0)
