"""Getting around the whiteboard in real Chromium: the minimap, touch and pinch, the shortcut
help, the keyboard-usable toolbar, and exporting the board or a selection (issue 25)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_whiteboard import (
    draw,
    new_whiteboard,
    open_board,
    two_on_one_board,
    view_of,
)
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def board_for(people: People, server: Server, title: str) -> tuple[Any, Any]:
    """A new board open for the editor, in sync: (page, canvas)."""
    board_id = new_whiteboard(server, title)
    page = people.sign_in("editor")
    canvas = open_board(page, server, board_id)
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    return page, canvas


def board_point_at_centre(canvas: Any) -> tuple[float, float]:
    """The board point at the middle of the canvas."""
    pan_x, pan_y, zoom = view_of(canvas)
    box = canvas.bounding_box()
    return (box["width"] / 2 - pan_x) / zoom, (box["height"] / 2 - pan_y) / zoom


def test_the_minimap_shows_the_board_and_a_click_in_it_moves_the_view(
    people: People, app_server: Server, artifacts: Path
) -> None:
    page, canvas = board_for(people, app_server, "Minimap board")
    box = canvas.bounding_box()
    draw(page, "Rectangle", (box["x"] + 100, box["y"] + 100), (box["x"] + 200, box["y"] + 160))
    draw(page, "Ellipse", (box["x"] + 500, box["y"] + 300), (box["x"] + 600, box["y"] + 380))
    minimap = page.get_by_role("img", name="Minimap of the board")
    expect(minimap).to_be_visible()
    expect(minimap).to_have_attribute("data-frame", re.compile(r"\S"))

    # A click on the ellipse's place in the minimap centres the view on it.
    origin_x, origin_y, scale, offset_x, offset_y = (
        float(value) for value in minimap.get_attribute("data-frame").split()
    )
    ellipse = canvas.locator("[data-shape-type=ellipse]")
    target = (int(ellipse.get_attribute("data-x")) + 50, int(ellipse.get_attribute("data-y")) + 40)
    minimap.click(
        position={
            "x": (target[0] - origin_x) * scale + offset_x,
            "y": (target[1] - origin_y) * scale + offset_y,
        }
    )
    expect(canvas).not_to_have_attribute("data-pan", "0 0")
    centre = board_point_at_centre(canvas)
    assert abs(centre[0] - target[0]) < 3 and abs(centre[1] - target[1]) < 3, (centre, target)
    page.screenshot(path=str(artifacts / "whiteboard-minimap.png"))

    # Hidden, it stays hidden on the next visit; M shows it again.
    toggle = page.get_by_role("button", name="Minimap")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(minimap).to_be_hidden()
    page.reload()
    expect(page.get_by_role("button", name="Minimap")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".board-minimap-canvas")).to_be_hidden()
    page.locator(".board-canvas").focus()
    page.keyboard.press("m")
    expect(page.get_by_role("img", name="Minimap of the board")).to_be_visible()


# True when the minimap has a pixel near (x, y) (CSS pixels) within ``tolerance`` of ``rgb``:
# its strokes are anti-aliased and the view's light fill lies over them.
MINIMAP_HAS_COLOUR_NEAR = """([x, y, rgb, tolerance]) => {
  const canvas = document.querySelector(".board-minimap-canvas");
  const ratio = canvas.width / canvas.clientWidth;
  const context = canvas.getContext("2d");
  for (let dx = -2; dx <= 2; dx++) {
    const at = [Math.round((x + dx) * ratio), Math.round(y * ratio)];
    const [r, g, b] = context.getImageData(at[0], at[1], 1, 1).data;
    if (Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]) < tolerance) return true;
  }
  return false;
}"""


def test_the_minimap_shows_the_other_persons_view_in_their_colour(
    people: People, app_server: Server
) -> None:
    _, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Minimap views")
    for _ in range(3):
        alice.get_by_role("button", name="Zoom out").click()
    expect(canvas_a).to_have_attribute("data-zoom", "0.512")
    box = canvas_b.bounding_box()
    bob.mouse.move(box["x"] + 300, box["y"] + 200)
    bob.mouse.wheel(200, 100)
    expect(canvas_b).to_have_attribute("data-pan", "-200 -100")
    cursor = canvas_a.locator(".remote-cursor[data-user=editor2] path").first
    colour = cursor.get_attribute("fill")
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), colour
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]

    # Bob's view is the board box from (200, 100), his canvas's size; its left edge on Alice's
    # minimap is drawn in his colour.
    minimap = alice.locator(".board-minimap-canvas")
    origin_x, origin_y, scale, offset_x, offset_y = (
        float(value) for value in minimap.get_attribute("data-frame").split()
    )
    left = (200 - origin_x) * scale + offset_x
    middle = (100 + box["height"] / 2 - origin_y) * scale + offset_y
    alice.wait_for_function(MINIMAP_HAS_COLOUR_NEAR, arg=[left, middle, rgb, 90])
    # and not where he is not looking (left of his box, inside Alice's own view).
    assert not alice.evaluate(MINIMAP_HAS_COLOUR_NEAR, [left - 12, middle, rgb, 90])


def touch(session: Any, kind: str, points: list[tuple[float, float]]) -> None:
    """One touch event of real fingers (Chromium turns them into touch pointer events)."""
    session.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": index} for index, (x, y) in enumerate(points)],
        },
    )


def test_one_finger_or_a_pen_draws_and_two_fingers_pinch_zoom_about_their_midpoint(
    people: People, app_server: Server
) -> None:
    page, canvas = board_for(people, app_server, "Touch board")
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    box = canvas.bounding_box()
    left, top = box["x"], box["y"]

    # One finger with the rectangle tool draws a rectangle, as the mouse does.
    page.get_by_role("button", name="Rectangle", exact=True).click()
    touch(session, "touchStart", [(left + 100, top + 100)])
    for step in range(1, 6):
        touch(session, "touchMove", [(left + 100 + step * 30, top + 100 + step * 20)])
    touch(session, "touchEnd", [])
    rect = canvas.locator("[data-shape-type=rect]")
    expect(rect).to_have_count(1)
    expect(canvas).to_have_attribute("data-zoom", "1")

    # Two fingers spread from 100 px apart to 200 px about (400, 300): the zoom doubles and the
    # board point under their midpoint stays under it (measured from where the canvas is now).
    box = canvas.bounding_box()
    mid = (box["x"] + 400, box["y"] + 300)
    touch(session, "touchStart", [(mid[0] - 50, mid[1])])
    touch(session, "touchStart", [(mid[0] - 50, mid[1]), (mid[0] + 50, mid[1])])
    for step in range(1, 6):
        spread = 50 + step * 10
        touch(session, "touchMove", [(mid[0] - spread, mid[1]), (mid[0] + spread, mid[1])])
    touch(session, "touchEnd", [])
    expect(canvas).to_have_attribute("data-zoom", "2")
    pan_x, pan_y, zoom = view_of(canvas)
    assert ((400 - pan_x) / zoom, (300 - pan_y) / zoom) == pytest.approx((400, 300), abs=0.5)
    # The pinch drew nothing and moved nothing.
    expect(canvas.locator("[data-shape-id]")).to_have_count(1)

    # Two fingers moving together pan by their movement.
    touch(session, "touchStart", [(mid[0] - 50, mid[1])])
    touch(session, "touchStart", [(mid[0] - 50, mid[1]), (mid[0] + 50, mid[1])])
    touch(session, "touchMove", [(mid[0] - 10, mid[1] + 30), (mid[0] + 90, mid[1] + 30)])
    touch(session, "touchEnd", [])
    expect(canvas).not_to_have_attribute("data-pan", f"{pan_x} {pan_y}")
    assert view_of(canvas) == pytest.approx((pan_x + 40, pan_y + 30, 2))
    expect(canvas.locator("[data-shape-id]")).to_have_count(1)

    # A pen (stylus) draws as the mouse does.
    page.get_by_role("button", name="Pen", exact=True).click()
    pen = {"pointerType": "pen", "button": "left", "clickCount": 1}
    session.send(
        "Input.dispatchMouseEvent", {"type": "mousePressed", "x": left + 150, "y": top + 450, **pen}
    )
    for step in range(1, 6):
        at = {"x": left + 150 + step * 20, "y": top + 450 - step * 10}
        session.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **at, **pen, "buttons": 1})
    session.send(
        "Input.dispatchMouseEvent",
        {"type": "mouseReleased", "x": left + 250, "y": top + 400, **pen},
    )
    expect(canvas.locator("[data-shape-type=pen]")).to_have_count(1)


def test_question_mark_opens_the_shortcut_help_listing_every_tool_key(
    people: People, app_server: Server, artifacts: Path
) -> None:
    page, canvas = board_for(people, app_server, "Help board")
    canvas.focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    tools = dialog.get_by_role("table", name="Tools")
    for label, key in [
        ("Select", "V"),
        ("Rectangle", "R"),
        ("Ellipse", "O"),
        ("Line", "L"),
        ("Arrow", "A"),
        ("Pen", "P"),
        ("Text", "T"),
        ("Sticky note", "S"),
    ]:
        expect(tools.get_by_role("row", name=f"{label} {key}", exact=True)).to_be_visible()
    expect(dialog.get_by_role("row", name="Zoom to fit the board")).to_contain_text("Shift+1")
    expect(dialog.get_by_role("row", name="Undo Ctrl+Z", exact=True)).to_be_visible()
    # Group, lock, arrange and grid keys come from the same table.
    arrange = dialog.get_by_role("table", name="Arrange")
    for row in [
        "Group Ctrl+G",
        "Ungroup Ctrl+Shift+G",
        "Lock or unlock the selection Ctrl+Shift+L",
        "Align left Alt+A",
        "Distribute vertically Alt+Shift+V",
    ]:
        expect(arrange.get_by_role("row", name=row, exact=True)).to_be_visible()
    expect(
        dialog.get_by_role("row", name="Show the grid and snap to it Ctrl+'", exact=True)
    ).to_be_visible()
    page.screenshot(path=str(artifacts / "whiteboard-shortcuts.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(canvas).to_be_focused()

    # The toolbar's Help button opens it too, and Close gives the focus back to the button.
    help_button = page.get_by_role("button", name="Keyboard shortcuts")
    help_button.click()
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_button).to_be_focused()


def test_the_toolbar_is_one_tab_stop_and_arrow_keys_and_enter_pick_a_tool(
    people: People, app_server: Server
) -> None:
    page, canvas = board_for(people, app_server, "Keyboard board")
    toolbar = page.get_by_role("toolbar", name="Whiteboard")
    select_tool = toolbar.get_by_role("button", name="Select", exact=True)
    rectangle = toolbar.get_by_role("button", name="Rectangle", exact=True)
    expect(rectangle).to_have_attribute("aria-keyshortcuts", "R")
    canvas.focus()
    page.keyboard.press("Shift+Tab")
    expect(select_tool).to_be_focused()
    expect(select_tool).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowRight")
    expect(rectangle).to_be_focused()
    page.keyboard.press("Enter")
    expect(rectangle).to_have_attribute("aria-pressed", "true")
    expect(select_tool).to_have_attribute("aria-pressed", "false")
    expect(canvas).to_have_attribute("data-tool", "rect")
    expect(page.locator("[aria-live=polite]").filter(has_text="Rectangle tool")).to_have_count(1)
    # One Tab stop: the next Tab leaves the toolbar for the canvas, and Shift+Tab comes back
    # to the control last used.
    page.keyboard.press("Tab")
    expect(canvas).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(rectangle).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(select_tool).to_be_focused()
    page.keyboard.press("ArrowLeft")  # wraps round to the last control
    expect(toolbar.get_by_role("button", name="Export board")).to_be_focused()
    page.keyboard.press("Home")
    expect(select_tool).to_be_focused()
    # The group, lock and arrange buttons are in the same Tab stop, with their keys named; the
    # align buttons, disabled without a selection, are skipped.
    group = toolbar.get_by_role("button", name="Group", exact=True)
    expect(group).to_have_attribute("aria-keyshortcuts", "Control+G")
    expect(toolbar.get_by_role("button", name="Lock", exact=True)).to_have_attribute(
        "aria-keyshortcuts", "Control+Shift+L"
    )
    toolbar.get_by_role("button", name="Send back").focus()
    page.keyboard.press("ArrowRight")
    expect(group).to_be_focused()
    toolbar.get_by_role("button", name="Undo").focus()
    page.keyboard.press("ArrowLeft")
    grid = toolbar.get_by_role("button", name="Grid")
    expect(grid).to_be_focused()
    expect(grid).to_have_attribute("aria-keyshortcuts", "Control+'")
    expect(toolbar.get_by_role("button", name="Align left")).to_have_attribute(
        "aria-keyshortcuts", "Alt+A"
    )


def download_of(page: Any, item: str) -> bytes:
    """Opens the Export menu, picks ``item`` and returns the downloaded file's bytes."""
    page.get_by_role("button", name="Export board").click()
    with page.expect_download() as downloading:
        page.get_by_role("menuitem", name=item).click()
    return Path(downloading.value.path()).read_bytes()


def test_exporting_the_selection_gives_only_the_selected_shapes(
    people: People, app_server: Server
) -> None:
    page, canvas = board_for(people, app_server, "Export board")
    box = canvas.bounding_box()
    draw(page, "Rectangle", (box["x"] + 100, box["y"] + 100), (box["x"] + 200, box["y"] + 160))
    draw(page, "Ellipse", (box["x"] + 400, box["y"] + 100), (box["x"] + 500, box["y"] + 180))

    # With nothing selected, the selection's choices are unavailable.
    canvas.focus()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Export board").click()
    selection_svg = page.get_by_role("menuitem", name="Selection as SVG")
    expect(selection_svg).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Escape")
    expect(selection_svg).to_be_hidden()
    expect(page.get_by_role("button", name="Export board")).to_be_focused()

    page.mouse.click(box["x"] + 100, box["y"] + 130)  # the rectangle's left edge
    svg = download_of(page, "Selection as SVG").decode()
    assert 'data-shape-type="rect"' in svg
    assert 'data-shape-type="ellipse"' not in svg
    whole = download_of(page, "Whole board as SVG").decode()
    assert 'data-shape-type="rect"' in whole and 'data-shape-type="ellipse"' in whole

    pdf = download_of(page, "Selection as PDF")
    assert pdf.startswith(b"%PDF-") and b"/DCTDecode" in pdf
    server_pdf = download_of(page, "Whole board as PDF")
    assert server_pdf.startswith(b"%PDF-")
    png = download_of(page, "Selection as PNG")
    assert png.startswith(b"\x89PNG")

    # Ctrl+Shift+E opens the menu from the canvas, on its first choice.
    canvas.focus()
    page.keyboard.press("Control+Shift+E")
    expect(page.get_by_role("menuitem", name="Whole board as PNG")).to_be_focused()
