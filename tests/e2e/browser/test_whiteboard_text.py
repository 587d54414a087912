"""Text on the whiteboard in real Chromium, two people on one board: font size and alignment,
labels that wrap inside rectangles and grow them, and curved connectors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_whiteboard import (
    connector_end,
    draw,
    inside,
    on_outline,
    stored_shapes,
    two_on_one_board,
)
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def saved(*pages: Any) -> None:
    for page in pages:
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")


def test_font_size_and_alignment_set_on_a_text_shape_reach_the_other_person(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Type board")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Text", exact=True).click()
    alice.mouse.click(box["x"] + 120, box["y"] + 100)
    editor = alice.get_by_role("textbox", name="Text", exact=True)
    editor.fill("Quarterly goals")
    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    text_b = canvas_b.locator("[data-shape-type=text] text")
    expect(text_b).to_have_attribute("font-size", "18")
    expect(text_b).to_have_attribute("text-anchor", "start")

    # The new text shape is still selected: XL and centre restyle it, for Bob too.
    extra_large = alice.get_by_role("button", name="Extra large text (36)")
    extra_large.click()
    alice.get_by_role("button", name="Centre text").click()
    expect(text_b).to_have_attribute("font-size", "36")
    expect(text_b).to_have_attribute("text-anchor", "middle")
    expect(extra_large).to_have_attribute("aria-pressed", "true")
    expect(alice.get_by_label("Font size", exact=True)).to_have_value("36")
    saved(alice, bob)
    [shape] = stored_shapes(app_server, board_id).values()
    assert (shape["fontSize"], shape["align"]) == (36, "center")
    # Its width doubled with its size (from 18 px), so the line breaks where it did; its
    # height grew to fit the larger line.
    assert (shape["w"], shape["h"]) == (400, 55)

    # Any size from the field, and the style stays for the next text shape drawn.
    size_field = alice.get_by_label("Font size", exact=True)
    size_field.fill("64")
    size_field.press("Tab")
    expect(text_b).to_have_attribute("font-size", "64")
    alice.get_by_role("button", name="Text", exact=True).click()
    alice.mouse.click(box["x"] + 120, box["y"] + 320)
    editor.fill("Next")
    alice.keyboard.press("Escape")
    expect(canvas_b.locator("[data-shape-type=text]")).to_have_count(2)
    expect(canvas_b.locator("[data-shape-type=text] text").nth(1)).to_have_attribute(
        "font-size", "64"
    )
    expect(canvas_b.locator("[data-shape-type=text] text").nth(1)).to_have_attribute(
        "text-anchor", "middle"
    )
    saved(alice, bob)
    sizes = sorted(s["fontSize"] for s in stored_shapes(app_server, board_id).values())
    assert sizes == [64, 64]
    bob.screenshot(path=str(artifacts / "whiteboard-text-size.png"))


def test_text_is_restyled_while_it_is_typed_without_ending_the_edit(
    people: People, app_server: Server
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Style board")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Text", exact=True).click()
    alice.mouse.click(box["x"] + 120, box["y"] + 100)
    editor = alice.get_by_role("textbox", name="Text", exact=True)
    alice.keyboard.type("Big")
    height = editor.bounding_box()["height"]

    # The size and alignment buttons act on the text being typed and leave the caret in it.
    alice.get_by_role("button", name="Extra large text (36)").click()
    alice.get_by_role("button", name="Centre text").click()
    expect(editor).to_be_focused()
    text_b = canvas_b.locator("[data-shape-type=text] text")
    expect(text_b).to_have_attribute("font-size", "36")
    expect(text_b).to_have_attribute("text-anchor", "middle")
    assert editor.bounding_box()["height"] > height  # the editor shows the new size
    alice.keyboard.type(" news")
    expect(text_b).to_have_text("Big news")
    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    saved(alice, bob)
    [shape] = stored_shapes(app_server, board_id).values()
    assert (shape["text"], shape["fontSize"], shape["align"]) == ("Big news", 36, "center")


def test_a_long_label_wraps_inside_a_rectangle_that_grows_for_both(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Label board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 100), (left + 260, top + 160))
    rect_b = canvas_b.locator("[data-shape-type=rect]")
    expect(rect_b.locator("rect")).to_have_attribute("height", "60")

    label = (
        "Checkout service: validates the basket, reserves stock, takes the payment "
        "and sends the confirmation email"
    )
    canvas_a.locator("[data-shape-type=rect] rect").dblclick()
    editor = alice.get_by_role("textbox", name="Label")
    editor.fill(label)
    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    for canvas in (canvas_a, canvas_b):
        shape = canvas.locator("[data-shape-type=rect]")
        expect(shape.locator("tspan").nth(3)).to_be_attached()
        expect(shape.locator("rect")).not_to_have_attribute("height", "60")
        assert inside(shape.locator("text").bounding_box(), shape.locator("rect").bounding_box())
        assert shape.locator("text").get_attribute("text-anchor") == "middle"
    heights = {
        float(c.locator("[data-shape-type=rect] rect").get_attribute("height"))
        for c in (canvas_a, canvas_b)
    }
    assert len(heights) == 1 and heights.pop() > 60
    saved(alice, bob)
    [stored] = stored_shapes(app_server, board_id).values()
    assert stored["text"] == label
    assert (stored["w"], stored["x"], stored["y"]) == (160, 100, 100)
    assert stored["h"] > 60

    # Enter on the selected rectangle edits the same label again.
    canvas_a.focus()
    alice.keyboard.press("Enter")
    expect(editor).to_have_value(label)
    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)

    # An ellipse's label wraps inside the box the ellipse holds, and the ellipse grows too.
    draw(alice, "Ellipse", (left + 400, top + 100), (left + 560, top + 160))
    canvas_a.focus()
    alice.keyboard.press("Enter")  # the new ellipse is selected
    editor.fill("Payment provider, called over HTTPS with retries")
    alice.mouse.click(left + 300, top + 420)  # on empty canvas: the edit ends
    expect(editor).to_have_count(0)
    ellipse_b = canvas_b.locator("[data-shape-type=ellipse]")
    expect(ellipse_b.locator("tspan").nth(2)).to_be_attached()
    expect(ellipse_b.locator("ellipse")).not_to_have_attribute("ry", "30")
    outline = ellipse_b.locator("ellipse").bounding_box()
    half = (1 - 2**-0.5) / 2  # the held box's margin on each side, as a share of the ellipse
    held = {
        "x": outline["x"] + outline["width"] * half - 1,
        "y": outline["y"] + outline["height"] * half - 1,
        "width": outline["width"] * 2**-0.5 + 2,
        "height": outline["height"] * 2**-0.5 + 2,
    }
    assert inside(ellipse_b.locator("text").bounding_box(), held)
    alice.screenshot(path=str(artifacts / "whiteboard-label-wrapped.png"))


def test_a_note_edited_in_place_shows_each_keystroke_to_the_other_person_and_undoes_at_once(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Live board")
    box = canvas_a.bounding_box()
    alice.get_by_role("button", name="Sticky note").click()
    alice.mouse.click(box["x"] + 120, box["y"] + 100)
    editor = alice.get_by_role("textbox", name="Sticky note")
    editor.fill("Plan")
    alice.keyboard.press("Escape")
    note_a = canvas_a.locator("[data-shape-type=sticky]")
    note_b = canvas_b.locator("[data-shape-type=sticky]")
    expect(note_b.locator("text")).to_have_text("Plan")
    place = note_a.get_attribute("data-x"), note_a.get_attribute("data-y")

    # Alice edits the note in place: the editor lies over the note, its drawn text hidden, and
    # Bob sees her text arrive while she is still typing.
    note_a.locator("rect").dblclick(position={"x": 20, "y": 20})
    expect(editor).to_be_focused()
    expect(editor).to_have_value("Plan")
    expect(note_a.locator("text")).to_be_hidden()
    assert inside(editor.bounding_box(), note_a.locator("rect").bounding_box())
    alice.keyboard.type(" for")
    expect(note_b.locator("text")).to_have_text("Plan for")
    expect(editor).to_be_visible()
    # Delete and the arrows are the editor's keys: they edit the text, not the note.
    alice.keyboard.type(" Mondayy")
    alice.keyboard.press("ArrowLeft")
    alice.keyboard.press("Delete")
    expect(note_b.locator("text")).to_have_text("Plan for Monday")
    expect(note_b).to_have_count(1)
    assert (note_a.get_attribute("data-x"), note_a.get_attribute("data-y")) == place
    # A zoom while typing: the editor follows the view, still over the note and larger.
    height = editor.bounding_box()["height"]
    outline = note_a.locator("rect").bounding_box()
    alice.mouse.move(outline["x"] + outline["width"] / 2, outline["y"] + outline["height"] - 20)
    alice.keyboard.down("Control")
    alice.mouse.wheel(0, -200)
    alice.keyboard.up("Control")
    expect(canvas_a).not_to_have_attribute("data-zoom", "1")
    expect(editor).to_be_focused()
    assert inside(editor.bounding_box(), note_a.locator("rect").bounding_box())
    assert editor.bounding_box()["height"] > height
    alice.screenshot(path=str(artifacts / "whiteboard-text-in-place.png"))

    alice.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(note_a.locator("text")).to_be_visible()
    expect(canvas_a).to_be_focused()
    saved(alice, bob)
    [stored] = stored_shapes(app_server, board_id).values()
    assert stored["text"] == "Plan for Monday"

    # The whole edit is one undo step: one Ctrl+Z takes all that was typed back, for Bob too.
    alice.keyboard.press("Control+z")
    expect(note_b.locator("text")).to_have_text("Plan")
    expect(note_a.locator("text")).to_have_text("Plan")

    # Both edit the note at once: each editor shows the other's typing, and Alice's caret
    # stays where it was (after "Plan"), so her "?" lands before Bob's "!".
    note_a.locator("rect").dblclick(position={"x": 20, "y": 20})
    expect(editor).to_be_focused()
    note_b.locator("rect").dblclick(position={"x": 20, "y": 20})
    editor_b = bob.get_by_role("textbox", name="Sticky note")
    expect(editor_b).to_be_focused()
    bob.keyboard.type("!")
    expect(editor).to_have_value("Plan!")
    alice.keyboard.type("?")
    expect(editor_b).to_have_value("Plan?!")
    bob.keyboard.press("Escape")

    # Bob deletes the note while Alice still edits it: her editor just closes.
    note_b.locator("rect").click(position={"x": 20, "y": 20})
    bob.keyboard.press("Delete")
    expect(editor).to_have_count(0)
    expect(note_a).to_have_count(0)


def cubic(d: str) -> list[tuple[float, float]]:
    """The start and control points and end of a path ``M x y C x y x y x y``."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    assert d.startswith("M") and " C" in d and len(numbers) == 8, d
    return [(numbers[i], numbers[i + 1]) for i in range(0, 8, 2)]


def point_on(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
    return (
        sum(w * p[0] for w, p in zip(weights, points, strict=True)),
        sum(w * p[1] for w, p in zip(weights, points, strict=True)),
    )


def test_a_curved_arrow_between_two_shapes_stays_attached_when_one_moves(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Curve board")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    alice.get_by_label("Route").select_option(label="Curved")
    draw(alice, "Rectangle", (left + 100, top + 100), (left + 200, top + 160))
    draw(alice, "Rectangle", (left + 400, top + 260), (left + 500, top + 320))
    draw(alice, "Arrow", (left + 150, top + 130), (left + 450, top + 290))
    arrow_b = canvas_b.locator("[data-shape-type=arrow]")
    expect(arrow_b).to_have_count(1)
    saved(alice, bob)
    shapes = stored_shapes(app_server, board_id)
    rects = sorted((s["y"], id) for id, s in shapes.items() if s["type"] == "rect")
    [arrow] = [s for s in shapes.values() if s["type"] == "arrow"]
    assert arrow["route"] == "curved"
    assert arrow["startBinding"]["shapeId"] == rects[0][1]
    assert arrow["endBinding"]["shapeId"] == rects[1][1]

    # Drawn as a cubic that leaves the first box's right side and enters the second's left.
    start, c1, c2, end = cubic(arrow_b.locator("path.connector-path").get_attribute("d"))
    assert abs(start[0] - 200) < 0.01 and c1[1] == start[1] and c1[0] > start[0]
    assert abs(end[0] - 400) < 0.01 and c2[1] == end[1] and c2[0] < end[0]

    # Bob drags the second box down; the curve's end follows it on both screens. (Alice's
    # pointer, and the name tag beside it that Bob could click, rest away from the box.)
    alice.mouse.move(left + 700, top + 40)
    box_b = canvas_b.bounding_box()
    grab = (box_b["x"] + 405, box_b["y"] + 315)
    bob.mouse.move(*grab)
    bob.mouse.down()
    bob.mouse.move(grab[0] + 40, grab[1] + 120, steps=8)
    bob.mouse.up()
    moved = (440, 380, 100, 60)
    for canvas in (canvas_a, canvas_b):
        expect(canvas.locator("[data-shape-type=rect]").nth(1)).to_have_attribute("data-y", "380")
        end_at = connector_end(canvas)
        assert on_outline(end_at, moved), (end_at, moved)
        d = canvas.locator("[data-shape-type=arrow] path.connector-path").get_attribute("d")
        assert cubic(d)[3] == end_at
    saved(alice, bob)
    [arrow] = [s for s in stored_shapes(app_server, board_id).values() if s["type"] == "arrow"]
    assert arrow["endBinding"]["shapeId"] == rects[1][1]
    alice.screenshot(path=str(artifacts / "whiteboard-curved-connector.png"))

    # A click on the curve a quarter of the way along (well off the straight line between its
    # ends) picks the arrow: Delete then removes it, and only it, for Bob too.
    canvas_a.locator("[data-shape-type=rect]").first.click()
    curve = cubic(
        canvas_a.locator("[data-shape-type=arrow] path.connector-path").get_attribute("d")
    )
    x, y = point_on(curve, 0.25)
    alice.mouse.click(left + x, top + y)
    alice.keyboard.press("Delete")
    expect(arrow_b).to_have_count(0)
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(2)
