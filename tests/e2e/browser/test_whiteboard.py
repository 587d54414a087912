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


def two_on_one_board(
    people: People, server: Server, title: str, first: str = "editor", second: str = "editor2"
) -> tuple[str, Any, Any, Any, Any]:
    """A new board open for two people, both in sync: (its id, page, canvas, page, canvas)."""
    board_id = new_whiteboard(server, title)
    one = people.sign_in(first)
    other = people.sign_in(second)
    canvas_one = open_board(one, server, board_id)
    canvas_other = open_board(other, server, board_id)
    for page in (one, other):
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    return board_id, one, canvas_one, other, canvas_other


def stored_shapes(server: Server, document_id: str) -> dict[str, Any]:
    """The board's shapes by id, as the server reads them from the Yjs document."""
    token = server.seed["tokens"]["owner"]
    path = f"documents/{document_id}/content?format=json"
    return dict(api_request(server.url, token, "GET", path)["content"]["shapes"])


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def test_a_shape_drawn_by_one_appears_for_the_other_and_moves_for_both(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(
        people, app_server, "Architecture sketch"
    )

    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Rectangle").click()
    drag(alice, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    rect_a = canvas_a.locator("[data-shape-type=rect]")
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rect_a).to_have_count(1)
    expect(rect_b.locator("rect")).to_have_attribute("width", "160")  # grown whole for Bob
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
    [rect] = stored_shapes(app_server, board_id).values()
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


def draw(page: Any, tool: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.get_by_role("button", name=tool, exact=True).click()
    drag(page, start, end)


def positions(canvas: Any, shape_type: str) -> dict[str, tuple[int, int]]:
    """Each shape of the type by id, at its (data-x, data-y)."""
    shapes = canvas.locator(f"[data-shape-type={shape_type}]")
    return {
        shapes.nth(i).get_attribute("data-shape-id"): (
            int(shapes.nth(i).get_attribute("data-x")),
            int(shapes.nth(i).get_attribute("data-y")),
        )
        for i in range(shapes.count())
    }


# Records, on every redraw of the shapes, how far each of the given shapes is from its start.
WATCH_OFFSETS = """(starts) => {
  window.boardOffsets = [];
  const layer = document.querySelector(".board-canvas .shapes");
  new MutationObserver(() => {
    window.boardOffsets.push(starts.map(([id, x]) =>
      Number(layer.querySelector(`[data-shape-id="${id}"]`).getAttribute("data-x")) - x));
  }).observe(layer, { childList: true });
}"""


def test_three_shapes_selected_with_a_marquee_move_together_for_the_other_person(
    people: People, app_server: Server, artifacts: Path
) -> None:
    _, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Selection board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    for x in (100, 250, 400):
        draw(alice, "Rectangle", (left + x, top + 80), (left + x + 100, top + 150))
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(3)
    before = positions(canvas_b, "rect")
    bob.evaluate(WATCH_OFFSETS, [[id, x] for id, (x, _) in before.items()])

    # A marquee from empty canvas around all three selects them...
    drag(alice, (left + 60, top + 40), (left + 560, top + 200))
    expect(canvas_a.locator(".selection .handle")).to_have_count(1)
    # ...and dragging one of them moves all three, for Bob too.
    drag(alice, (left + 300, top + 115), (left + 360, top + 175))
    moved = {id: (x + 60, y + 60) for id, (x, y) in before.items()}
    for id, (x, _) in moved.items():
        expect(canvas_b.locator(f"[data-shape-id='{id}']")).to_have_attribute("data-x", str(x))
    for page in (alice, bob):
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    assert positions(canvas_b, "rect") == moved
    assert positions(canvas_a, "rect") == moved
    # Each step of the move reached Bob as one change: he never saw the three apart.
    offsets = bob.evaluate("window.boardOffsets")
    assert len(offsets) > 1
    assert all(len(set(step)) == 1 for step in offsets), offsets
    # Bob sees Alice's selection of three, outlined in her colour.
    expect(canvas_b.locator(".remote rect")).to_have_count(3)
    alice.screenshot(path=str(artifacts / "whiteboard-selection-moved.png"))

    # Shift+arrow nudges the three by 10 px; the handle resizes them as one box, by half.
    alice.keyboard.press("Shift+ArrowRight")
    nudged = {id: (x + 10, y) for id, (x, y) in moved.items()}
    for id, (x, _) in nudged.items():
        expect(canvas_b.locator(f"[data-shape-id='{id}']")).to_have_attribute("data-x", str(x))
    handle = alice.locator(".selection .handle").bounding_box()
    corner = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    drag(alice, corner, (corner[0] + 200, corner[1] + 35))  # the box is 400 by 70
    outlines = canvas_b.locator("[data-shape-type=rect] rect")
    for i in range(3):
        expect(outlines.nth(i)).to_have_attribute("width", "150")
        expect(outlines.nth(i)).to_have_attribute("height", "105")

    # Shift-click takes one out; Delete removes the other two for both.
    first = next(iter(before))
    shift_at = canvas_a.locator(f"[data-shape-id='{first}'] rect")
    shift_at.click(modifiers=["Shift"], position={"x": 2, "y": 30})
    alice.keyboard.press("Delete")
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(1)
    expect(canvas_b.locator(f"[data-shape-id='{first}']")).to_have_count(1)


def test_shapes_copied_on_one_board_paste_into_another(people: People, app_server: Server) -> None:
    source_id = new_whiteboard(app_server, "Source board")
    target_id = new_whiteboard(app_server, "Target board")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    canvas_a = open_board(alice, app_server, source_id)
    canvas_b = open_board(bob, app_server, target_id)
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Ellipse", (left + 100, top + 100), (left + 220, top + 180))
    draw(alice, "Rectangle", (left + 300, top + 100), (left + 380, top + 160))
    canvas_a.focus()
    alice.keyboard.press("Control+a")
    alice.keyboard.press("Control+c")
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")

    canvas_a = open_board(alice, app_server, target_id)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    canvas_a.focus()
    alice.keyboard.press("Control+v")
    # Bob, on the target board, sees the copies: new shapes, 20 px further, the same size.
    expect(canvas_b.locator("[data-shape-type=ellipse]")).to_have_count(1)
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(1)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    target = stored_shapes(app_server, target_id)
    source = stored_shapes(app_server, source_id)
    assert not set(target) & set(source)
    copied = sorted((s["type"], s["x"] - 20, s["y"] - 20, s["w"], s["h"]) for s in target.values())
    originals = sorted((s["type"], s["x"], s["y"], s["w"], s["h"]) for s in source.values())
    assert copied == originals
    # Pasting again on the same board gives more copies, each with its own id.
    canvas_a.focus()
    alice.keyboard.press("Control+v")
    expect(canvas_b.locator("[data-shape-type=ellipse]")).to_have_count(2)


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        outer["x"] <= inner["x"]
        and outer["y"] <= inner["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def test_a_long_sticky_note_text_wraps_inside_the_note(
    people: People, app_server: Server, artifacts: Path
) -> None:
    _, alice, canvas_a, _, canvas_b = two_on_one_board(people, app_server, "Sticky board")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Sticky note").click()
    alice.mouse.click(box["x"] + 120, box["y"] + 100)
    editor = alice.get_by_role("textbox", name="Sticky note")
    editor.fill(
        "Remember to ask the design team about the onboarding flow before Thursday's review, "
        "and bring the numbers from last quarter's experiment with the shorter sign-up form."
    )
    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    for canvas in (canvas_a, canvas_b):
        note = canvas.locator("[data-shape-type=sticky]")
        expect(note.locator("tspan").nth(3)).to_be_attached()
        assert inside(note.locator("text").bounding_box(), note.locator("rect").bounding_box())
    # The note grew to fit its text.
    assert canvas_b.locator("[data-shape-type=sticky] rect").bounding_box()["height"] > 140
    alice.screenshot(path=str(artifacts / "whiteboard-sticky-wrapped.png"))


def test_a_chosen_style_draws_the_next_shapes_and_restyles_the_selection_for_both(
    people: People, app_server: Server
) -> None:
    _, alice, canvas_a, _, canvas_b = two_on_one_board(people, app_server, "Styled board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    alice.get_by_label("Stroke colour").fill("#ff00aa")
    alice.get_by_label("Stroke width").select_option(label="Extra bold")
    alice.get_by_label("Dash").select_option(label="Dashed")
    for x in (100, 300):
        draw(alice, "Rectangle", (left + x, top + 100), (left + x + 120, top + 180))
    outlines = canvas_b.locator("[data-shape-type=rect] rect")
    expect(outlines).to_have_count(2)
    for i in range(2):  # the style stayed for the second shape
        expect(outlines.nth(i)).to_have_attribute("stroke", "#ff00aa")
        expect(outlines.nth(i)).to_have_attribute("stroke-width", "8")
        expect(outlines.nth(i)).to_have_attribute("stroke-dasharray", "32 24")
    # With both selected, a fill and an opacity restyle both, for Bob too.
    canvas_a.focus()
    alice.keyboard.press("Control+a")
    alice.get_by_label("Fill", exact=True).check()
    alice.get_by_label("Fill colour").fill("#a5d8ff")
    alice.get_by_label("Opacity").fill("50")
    shapes = canvas_b.locator("[data-shape-type=rect]")
    for i in range(2):
        expect(outlines.nth(i)).to_have_attribute("fill", "#a5d8ff")
        expect(shapes.nth(i)).to_have_attribute("opacity", "0.5")
    # Shift+2 centres the selection on Alice's canvas (pan and zoom are hers alone).
    canvas_a.focus()
    alice.keyboard.press("Shift+Digit2")
    first = canvas_a.locator("[data-shape-type=rect]").first.bounding_box()
    last = canvas_a.locator("[data-shape-type=rect]").last.bounding_box()
    view = canvas_a.bounding_box()
    middle = (
        (first["x"] + last["x"] + last["width"]) / 2,
        (first["y"] + last["y"] + last["height"]) / 2,
    )
    assert abs(middle[0] - (view["x"] + view["width"] / 2)) < 3
    assert abs(middle[1] - (view["y"] + view["height"] / 2)) < 3


def connector_end(canvas: Any, shape_type: str = "arrow") -> tuple[float, float]:
    """Where the connector's end is drawn, in board coordinates."""
    end = canvas.locator(f"[data-shape-type={shape_type}]").get_attribute("data-end")
    x, y = (float(value) for value in end.split())
    return x, y


def on_outline(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    """Whether ``point`` lies on the sides of ``box`` (x, y, w, h), within a pixel."""
    (px, py), (x, y, w, h) = point, box
    within = x - 1 <= px <= x + w + 1 and y - 1 <= py <= y + h + 1
    return within and min(abs(px - x), abs(px - x - w), abs(py - y), abs(py - y - h)) <= 1


def test_a_connector_stays_attached_when_the_other_person_drags_its_shape(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(
        people, app_server, "Connector board"
    )
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 100), (left + 200, top + 160))
    draw(alice, "Rectangle", (left + 400, top + 100), (left + 500, top + 160))
    # An arrow from the middle of the first rectangle to the middle of the second binds both.
    draw(alice, "Arrow", (left + 150, top + 130), (left + 450, top + 130))
    expect(canvas_b.locator("[data-shape-type=arrow]")).to_have_count(1)
    expect(canvas_b.locator("[data-shape-type=arrow]")).to_have_attribute("data-end", "400 130")

    # Bob drags the second rectangle (by its right part) down and right.
    target = canvas_b.locator("[data-shape-type=rect]").nth(1)
    box_b = canvas_b.bounding_box()
    start = (box_b["x"] + 480, box_b["y"] + 130)
    drag(bob, start, (start[0] + 100, start[1] + 200))
    expect(target).to_have_attribute("data-x", "500")
    for page in (alice, bob):
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    moved = (500, 300, 100, 60)
    for canvas in (canvas_a, canvas_b):
        moved_rect = canvas.locator("[data-shape-type=rect]").nth(1)
        expect(moved_rect).to_have_attribute("data-y", "300")
        end = connector_end(canvas)
        assert on_outline(end, moved), (end, moved)
        # The start stayed on the first rectangle's outline.
        start_at = canvas.locator("[data-shape-type=arrow]").get_attribute("data-start")
        sx, sy = (float(value) for value in start_at.split())
        assert on_outline((sx, sy), (100, 100, 100, 60)), (sx, sy)
    # The arrow was not written to: its bindings route it (the server keeps both).
    arrow = next(s for s in stored_shapes(app_server, board_id).values() if s["type"] == "arrow")
    assert arrow["startBinding"]["anchor"] == {"x": 0.5, "y": 0.5}
    assert arrow["endBinding"]["anchor"] == {"x": 0.5, "y": 0.5}
    alice.screenshot(path=str(artifacts / "whiteboard-connector.png"))


def test_a_shape_moved_while_out_of_view_is_drawn_where_it_went_when_panned_back(
    people: People, app_server: Server
) -> None:
    _, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Culled board")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Rectangle").click()
    drag(alice, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    rect_a = canvas_a.locator("[data-shape-type=rect]")
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    # Drawn whole for Bob: it is added at the press with no size, and grows as the drag's
    # updates arrive (on a loaded run, a press on a box that had not grown yet missed it).
    expect(rect_b.locator("rect")).to_have_attribute("width", "160")
    x0 = int(rect_b.get_attribute("data-x"))
    y0 = int(rect_b.get_attribute("data-y"))

    # Alice pans far away: only the shapes near her view are drawn, so hers leaves the page.
    alice.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    alice.mouse.wheel(6000, 0)
    expect(rect_a).to_have_count(0)

    # Bob moves it meanwhile; panning back, Alice sees it where he put it.
    shown = rect_b.bounding_box()
    assert shown is not None
    middle = (shown["x"] + shown["width"] / 2, shown["y"] + shown["height"] / 2)
    drag(bob, middle, (middle[0] + 120, middle[1]))
    expect(rect_b).to_have_attribute("data-x", str(x0 + 120))
    alice.mouse.wheel(-6000, 0)
    expect(rect_a).to_have_count(1)
    expect(rect_a).to_have_attribute("data-x", str(x0 + 120))
    expect(rect_a).to_have_attribute("data-y", str(y0))


def view_of(canvas: Any) -> tuple[float, float, float]:
    """The canvas's pan (x, y) and zoom."""
    x, y = (float(value) for value in canvas.get_attribute("data-pan").split())
    return x, y, float(canvas.get_attribute("data-zoom"))


def test_follow_mode_tracks_the_other_persons_viewport_until_escape(
    people: People, app_server: Server, artifacts: Path
) -> None:
    _, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Follow board")
    alice.get_by_label("Follow", exact=True).select_option(label="editor2")
    banner = alice.get_by_role("status").filter(has_text="Following")
    expect(banner).to_have_text("Following editor2Stop following")

    # Bob pans with the wheel and zooms in twice; Alice's view tracks his.
    box = canvas_b.bounding_box()
    bob.mouse.move(box["x"] + 200, box["y"] + 200)
    bob.mouse.wheel(150, 90)
    for _ in range(2):
        bob.get_by_role("button", name="Zoom in").click()
    expect(canvas_b).to_have_attribute("data-zoom", "1.5625")
    expect(canvas_a).to_have_attribute("data-zoom", "1.5625")
    bob_view = view_of(canvas_b)
    alice_view = view_of(canvas_a)
    assert bob_view[0] != 0 and bob_view[1] != 0
    assert all(abs(a - b) < 1 for a, b in zip(alice_view, bob_view, strict=True)), (
        alice_view,
        bob_view,
    )
    alice.screenshot(path=str(artifacts / "whiteboard-follow.png"))

    # Escape on her canvas stops following: Bob's next zoom leaves her view as it was.
    canvas_a.focus()
    alice.keyboard.press("Escape")
    expect(banner).to_be_hidden()
    bob.get_by_role("button", name="Zoom out").click()
    expect(canvas_b).to_have_attribute("data-zoom", "1.25")
    bob.mouse.wheel(0, 100)
    expect(canvas_b).not_to_have_attribute("data-pan", f"{bob_view[0]} {bob_view[1]}")
    assert view_of(canvas_a) == alice_view


def test_a_pen_stroke_drawn_slowly_is_one_undo_step(people: People, app_server: Server) -> None:
    """A pause longer than the undo manager's merge interval (400 ms) inside one stroke (a
    loaded machine, a slow pen) still leaves one stroke that one Undo removes whole. Yjs reads
    the time through its own reference to Date.now, which Playwright's fake clock does not
    replace: the test pauses for real, once."""
    _, alice, canvas_a, _bob, canvas_b = two_on_one_board(people, app_server, "Slow pen")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Pen").click()
    alice.mouse.move(box["x"] + 100, box["y"] + 100)
    alice.mouse.down()
    alice.mouse.move(box["x"] + 160, box["y"] + 140, steps=3)
    alice.wait_for_timeout(600)
    alice.mouse.move(box["x"] + 220, box["y"] + 180, steps=3)
    alice.mouse.up()
    expect(canvas_b.locator("[data-shape-type=pen]")).to_have_count(1)

    alice.get_by_role("button", name="Undo").click()

    expect(canvas_a.locator("[data-shape-type=pen]")).to_have_count(0)
    expect(canvas_b.locator("[data-shape-type=pen]")).to_have_count(0)
