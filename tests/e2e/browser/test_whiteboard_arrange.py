"""Arranging the whiteboard in real Chromium, two people on one board: align and distribute,
snapping to other shapes (with guides) and to the grid, and text pasted from another app."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_whiteboard import draw, stored_shapes, two_on_one_board
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def saved(*pages: Any) -> None:
    for page in pages:
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")


def test_three_shapes_aligned_left_line_up_for_the_other_person(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Align board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    for x, y, w, h in ((100, 60, 120, 60), (300, 180, 80, 50), (180, 330, 160, 70)):
        draw(alice, "Rectangle", (left + x, top + y), (left + x + w, top + y + h))
    rects_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rects_b).to_have_count(3)
    align_left = alice.get_by_role("button", name="Align left")
    distribute = alice.get_by_role("button", name="Distribute vertically")

    # One selected shape has nothing to align with: the buttons wait for two (and three).
    expect(align_left).to_be_disabled()
    canvas_a.focus()
    alice.keyboard.press("Control+a")
    expect(align_left).to_be_enabled()
    expect(distribute).to_be_enabled()
    align_left.click()
    for i in range(3):
        expect(rects_b.nth(i)).to_have_attribute("data-x", str(100))
    saved(alice, bob)
    assert sorted(shape["x"] for shape in stored_shapes(app_server, board_id).values()) == [100] * 3

    # Alt+Shift+V spaces them with equal gaps between the top and bottom ones, for Bob too:
    # from y 60 to 400 with 180 of shapes, two gaps of 80.
    canvas_a.focus()
    alice.keyboard.press("Alt+Shift+V")
    expect(rects_b.nth(1)).to_have_attribute("data-y", str(60 + 60 + 80))
    saved(alice, bob)
    shapes = sorted(stored_shapes(app_server, board_id).values(), key=lambda shape: shape["y"])
    gaps = [lower["y"] - (upper["y"] + upper["h"]) for upper, lower in pairwise(shapes)]
    assert gaps == [80, 80], shapes
    # Alt+D puts their right edges on the rightmost one's.
    alice.keyboard.press("Alt+D")
    expect(rects_b.nth(1)).to_have_attribute("data-x", str(100 + 160 - 80))
    alice.screenshot(path=str(artifacts / "whiteboard-aligned.png"))


def test_a_dragged_shape_snaps_to_another_shapes_edge_with_a_guide(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, _, canvas_b = two_on_one_board(people, app_server, "Snap board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 100), (left + 220, top + 160))
    draw(alice, "Ellipse", (left + 400, top + 300), (left + 460, top + 340))
    saved(alice)
    shapes = {shape["type"]: shape for shape in stored_shapes(app_server, board_id).values()}
    edge = int(shapes["rect"]["x"] + shapes["rect"]["w"])
    ellipse = {key: int(shapes["ellipse"][key]) for key in ("x", "y")}
    grab = (left + ellipse["x"] + 30, top + ellipse["y"] + 20)

    # Dragged so that its left edge would land 3 px right of the rectangle's right edge...
    alice.mouse.move(*grab)
    alice.mouse.down()
    alice.mouse.move(grab[0] + edge + 3 - ellipse["x"], grab[1] - 100, steps=10)
    # ...it sits exactly on that edge while a guide marks it, for Bob as well.
    guide = canvas_a.locator(".snap-guides line[data-axis=x]")
    expect(guide).to_have_count(1)
    expect(guide).to_have_attribute("data-at", str(edge))
    ellipse_b = canvas_b.locator("[data-shape-type=ellipse]")
    expect(ellipse_b).to_have_attribute("data-x", str(edge))
    alice.screenshot(path=str(artifacts / "whiteboard-snap-guide.png"))
    alice.mouse.up()
    expect(canvas_a.locator(".snap-guides line")).to_have_count(0)
    saved(alice)
    assert (
        stored_shapes(app_server, board_id)[ellipse_b.get_attribute("data-shape-id")]["x"] == edge
    )

    # With Alt held, it goes exactly where the pointer puts it.
    moved = canvas_a.locator("[data-shape-type=ellipse]")
    start = (left + edge + 30, top + ellipse["y"] - 100 + 20)
    alice.mouse.move(*start)
    alice.mouse.down()
    alice.keyboard.down("Alt")
    alice.mouse.move(start[0] - 6, start[1], steps=3)
    alice.mouse.up()
    alice.keyboard.up("Alt")
    expect(moved).to_have_attribute("data-x", str(edge - 6))
    expect(canvas_a.locator(".snap-guides line")).to_have_count(0)


def test_the_grid_shows_snaps_and_is_remembered(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, _, canvas_b = two_on_one_board(people, app_server, "Grid board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    grid = alice.get_by_role("button", name="Grid")
    expect(grid).to_have_attribute("aria-pressed", "false")
    expect(canvas_a.locator(".board-grid")).to_be_hidden()
    grid.click()
    expect(grid).to_have_attribute("aria-pressed", "true")
    expect(canvas_a).to_have_attribute("data-grid", "on")
    expect(canvas_a.locator(".board-grid")).to_be_visible()

    draw(alice, "Rectangle", (left + 103, top + 107), (left + 203, top + 167))
    rect = canvas_b.locator("[data-shape-type=rect]")
    expect(rect).to_have_count(1)
    x0 = int(rect.get_attribute("data-x"))
    # A drag by (57, 38) puts its top-left corner on the nearest grid point.
    alice.mouse.move(left + x0 + 50, top + 130)
    alice.mouse.down()
    alice.mouse.move(left + x0 + 107, top + 168, steps=8)
    alice.mouse.up()
    expect(rect).to_have_attribute("data-x", str(round((x0 + 57) / 20) * 20))
    alice.screenshot(path=str(artifacts / "whiteboard-grid.png"))
    saved(alice)
    [stored] = stored_shapes(app_server, board_id).values()
    assert stored["x"] % 20 == 0 and stored["y"] % 20 == 0, stored

    # Bob's board has no grid: it is each person's own; Alice's stays on after a reload.
    expect(canvas_b).to_have_attribute("data-grid", "off")
    alice.reload()
    expect(alice.locator(".board-canvas")).to_have_attribute("data-grid", "on")
    alice.locator(".board-canvas").focus()
    alice.keyboard.press("Control+'")
    expect(alice.locator(".board-canvas")).to_have_attribute("data-grid", "off")


# A paste from another app, as the browser delivers it: a paste event with only text/plain.
PASTE_TEXT = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.querySelector(".board-canvas").dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def test_text_pasted_from_another_app_becomes_a_text_shape_for_the_other_person(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Paste board")
    box = canvas_a.bounding_box()
    canvas_a.focus()
    alice.mouse.move(box["x"] + 300, box["y"] + 200)
    alice.evaluate(PASTE_TEXT, "Ship the beta on Friday")
    text_b = canvas_b.locator("[data-shape-type=text]")
    expect(text_b).to_have_count(1)
    expect(text_b).to_contain_text("Ship the beta on Friday")

    # A long paragraph wraps in a sensible width; a link is pasted as its text.
    paragraph = " ".join(["The quick brown fox jumps over the lazy dog."] * 12)
    canvas_a.focus()
    alice.mouse.move(box["x"] + 700, box["y"] + 450)
    alice.evaluate(PASTE_TEXT, paragraph)
    alice.mouse.move(box["x"] + 300, box["y"] + 700)
    alice.evaluate(PASTE_TEXT, "https://example.com/specs/board?section=arrange")
    expect(text_b).to_have_count(3)
    saved(alice, bob)
    stored = stored_shapes(app_server, board_id).items()
    by_text = {shape["text"]: {**shape, "id": id} for id, shape in stored}
    assert set(by_text) == {
        "Ship the beta on Friday",
        paragraph,
        "https://example.com/specs/board?section=arrange",
    }
    first = by_text["Ship the beta on Friday"]
    # Centred where the pointer was.
    assert (
        abs(first["x"] + first["w"] / 2 - 300) <= 1 and abs(first["y"] + first["h"] / 2 - 200) <= 1
    )
    long = by_text[paragraph]
    assert long["w"] == 480 and long["h"] > 100, long
    lines = canvas_b.locator(f"[data-shape-id='{long['id']}'] tspan")
    assert lines.count() > 4
    alice.screenshot(path=str(artifacts / "whiteboard-pasted-text.png"))
