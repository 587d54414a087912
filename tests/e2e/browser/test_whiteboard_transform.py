"""Rotating, grouping and locking whiteboard shapes in real Chromium, seen by a second person."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_whiteboard import drag, draw, stored_shapes, two_on_one_board
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def saved(*pages: Any) -> None:
    for page in pages:
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")


def test_a_shape_rotated_by_one_is_rotated_for_the_other(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Rotation")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 80), (left + 260, top + 180))  # 160 by 100
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rect_b).to_have_count(1)

    # The new rectangle is selected: drag its rotation handle from above its centre round to
    # the right of it, with Shift held, for a quarter turn clockwise.
    handle = canvas_a.locator(".selection [data-handle=rotate]")
    expect(handle).to_have_count(1)
    alice.keyboard.down("Shift")
    drag(alice, centre(handle), (left + 300, top + 135))
    alice.keyboard.up("Shift")
    expect(rect_b).to_have_attribute("data-rotation", "90")
    expect(canvas_a.locator("[data-shape-type=rect]")).to_have_attribute("data-rotation", "90")
    saved(alice, bob)
    [stored] = stored_shapes(app_server, board_id).values()
    assert stored["rotation"] == pytest.approx(math.pi / 2)
    assert (stored["x"], stored["y"], stored["w"], stored["h"]) == (100, 80, 160, 100)
    # Bob sees it standing: narrower than tall.
    drawn = rect_b.bounding_box()
    assert drawn["height"] > drawn["width"] + 40, drawn

    # Bob grabs it where only the turned shape reaches (above its unturned box) and drags it.
    left_b, top_b = canvas_b.bounding_box()["x"], canvas_b.bounding_box()["y"]
    drag(bob, (left_b + 180, top_b + 65), (left_b + 230, top_b + 65))
    expect(canvas_a.locator("[data-shape-type=rect]")).to_have_attribute("data-x", "150")
    expect(canvas_a.locator("[data-shape-type=rect]")).to_have_attribute("data-rotation", "90")
    alice.screenshot(path=str(artifacts / "whiteboard-rotated.png"))


def test_a_group_moves_together_for_the_other_person_and_ungroups(
    people: People, app_server: Server
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Groups")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 80), (left + 200, top + 160))
    draw(alice, "Ellipse", (left + 300, top + 80), (left + 400, top + 160))
    expect(canvas_b.locator("[data-shape-id]")).to_have_count(2)
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    ellipse_b = canvas_b.locator("[data-shape-type=ellipse]")

    # A marquee around both, Ctrl+G, then a click elsewhere to drop the selection.
    drag(alice, (left + 60, top + 40), (left + 450, top + 200))
    alice.keyboard.press("Control+g")
    expect(canvas_b.locator("[data-group-id]")).to_have_count(2)
    alice.keyboard.press("Escape")
    expect(canvas_a.locator(".selection .handle")).to_have_count(0)

    # Dragging the rectangle alone moves its whole group, for Bob too.
    drag(alice, (left + 102, top + 120), (left + 142, top + 170))
    expect(rect_b).to_have_attribute("data-x", "140")
    expect(ellipse_b).to_have_attribute("data-x", "340")
    expect(ellipse_b).to_have_attribute("data-y", "130")
    saved(alice, bob)
    stored = stored_shapes(app_server, board_id).values()
    assert len({shape["groupId"] for shape in stored}) == 1

    # Ctrl+D duplicates the group as a new group of its own.
    alice.keyboard.press("Control+d")
    expect(canvas_b.locator("[data-shape-id]")).to_have_count(4)
    saved(alice, bob)
    assert len({shape["groupId"] for shape in stored_shapes(app_server, board_id).values()}) == 2
    alice.keyboard.press("Delete")
    expect(canvas_b.locator("[data-shape-id]")).to_have_count(2)

    # Ungrouped (through the toolbar), the rectangle moves alone.
    alice.mouse.click(left + 142, top + 160)
    alice.get_by_role("button", name="Ungroup").click()
    expect(canvas_b.locator("[data-group-id]")).to_have_count(0)
    saved(alice, bob)
    assert all("groupId" not in shape for shape in stored_shapes(app_server, board_id).values())
    alice.mouse.click(left + 600, top + 400)  # on empty canvas: nothing selected
    drag(alice, (left + 142, top + 160), (left + 142, top + 260))
    expect(rect_b).to_have_attribute("data-y", "230")
    expect(ellipse_b).to_have_attribute("data-y", "130")


def test_a_locked_shape_cannot_be_dragged_or_deleted_until_unlocked(
    people: People, app_server: Server
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Locks")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 80), (left + 260, top + 180))
    rect_a = canvas_a.locator("[data-shape-type=rect]")
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rect_b).to_have_count(1)

    alice.keyboard.press("Control+Shift+L")
    expect(rect_b).to_have_attribute("data-locked", "true")
    alice.keyboard.press("Escape")

    # Neither Alice nor Bob can drag it; a click on it selects nothing for Delete to remove.
    drag(alice, (left + 104, top + 130), (left + 204, top + 230))
    left_b, top_b = canvas_b.bounding_box()["x"], canvas_b.bounding_box()["y"]
    drag(bob, (left_b + 104, top_b + 130), (left_b + 204, top_b + 230))
    alice.mouse.click(left + 104, top + 130)
    alice.keyboard.press("Delete")
    bob.mouse.click(left_b + 104, top_b + 130)
    bob.keyboard.press("Delete")
    saved(alice, bob)
    [stored] = stored_shapes(app_server, board_id).values()
    assert (stored["x"], stored["y"], stored["locked"]) == (100, 80, True)
    expect(rect_a).to_have_attribute("data-x", "100")
    expect(rect_b).to_have_count(1)

    # Hovering it shows its lock mark, and clicking the mark unlocks it.
    bob.mouse.move(left_b + 180, top_b + 130)
    mark = canvas_b.locator("[data-lock-mark]")
    expect(mark).to_have_count(1)
    mark.click()
    expect(rect_a).not_to_have_attribute("data-locked", "true")

    # Locked again through the toolbar, then "Unlock all" frees it: now it drags and deletes.
    alice.mouse.click(left + 104, top + 130)
    lock = alice.get_by_role("button", name="Lock", exact=True)
    lock.click()
    expect(rect_b).to_have_attribute("data-locked", "true")
    expect(lock).to_have_attribute("aria-pressed", "true")
    alice.get_by_role("button", name="Unlock all").click()
    expect(rect_b).not_to_have_attribute("data-locked", "true")
    drag(alice, (left + 104, top + 130), (left + 204, top + 230))
    expect(rect_b).to_have_attribute("data-x", "200")
    canvas_a.focus()
    alice.keyboard.press("Delete")
    expect(rect_b).to_have_count(0)
