"""Frames and images on the whiteboard in real Chromium, two people: a frame drawn around
shapes holds them and moves them for the other person; images picked, dropped and pasted by
one are stored as the document's images and load on the other's board, a viewer's and in an
export; a file that is no image or too large is refused with a message and adds nothing."""

from __future__ import annotations

import base64
import io
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_share_links import guest_page
from tests.e2e.browser.test_whiteboard import (
    WATCH_OFFSETS,
    drag,
    draw,
    new_whiteboard,
    open_board,
    positions,
    stored_shapes,
    two_on_one_board,
)
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

PNG = "image/png"

# Hands image files to the board the way Chromium delivers a drop from the desktop or a paste.
TRANSFER = """([kind, files, x, y]) => {
    const data = new DataTransfer();
    for (const [b64, name, type] of files) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], name, { type }));
    }
    const canvas = document.querySelector(".board-canvas");
    if (kind === "paste") {
        canvas.focus();
        document.dispatchEvent(new ClipboardEvent("paste",
            { clipboardData: data, bubbles: true, cancelable: true }));
    } else {
        canvas.dispatchEvent(new DragEvent("drop",
            { dataTransfer: data, bubbles: true, cancelable: true, clientX: x, clientY: y }));
    }
}"""


# How many pure red pixels an <img> shows, read through a canvas.
RED_PIXELS = """(image) => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i] > 200 && data[i + 1] < 50 && data[i + 2] < 50) red += 1;
    }
    return red;
}"""


def image_bytes(image_format: str, color: str, size: tuple[int, int] = (240, 120)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, image_format)
    return output.getvalue()


def transfer(page: Any, kind: str, at: tuple[float, float], *files: tuple[bytes, str, str]) -> None:
    encoded = [[base64.b64encode(data).decode(), name, type_] for data, name, type_ in files]
    page.evaluate(TRANSFER, [kind, encoded, at[0], at[1]])


def fetch_image(server: Server, document_id: str, image_id: str) -> tuple[int, str, bytes]:
    """The stored image as the API serves its display rendition to the room's owner."""
    request = urllib.request.Request(
        f"{server.url}/api/v1/documents/{document_id}/images/{image_id}",
        headers={"Authorization": f"Bearer {server.seed['tokens']['owner']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def frame_members(canvas: Any, frame_id: str) -> Any:
    return canvas.locator(f"[data-in-frame='{frame_id}'] [data-shape-type=rect]")


def test_a_frame_drawn_around_two_shapes_holds_them_and_moves_them_for_the_other_person(
    people: People, app_server: Server, artifacts: Path
) -> None:
    board_id, alice, canvas_a, bob, canvas_b = two_on_one_board(people, app_server, "Frames")
    box = canvas_a.bounding_box()
    left, top = box["x"], box["y"]
    draw(alice, "Rectangle", (left + 100, top + 100), (left + 180, top + 160))
    draw(alice, "Rectangle", (left + 220, top + 100), (left + 300, top + 160))
    draw(alice, "Frame", (left + 60, top + 60), (left + 360, top + 220))

    frame_b = canvas_b.locator("[data-shape-type=frame]")
    expect(frame_b).to_have_count(1)
    frame_id = frame_b.get_attribute("data-shape-id")
    expect(frame_b.locator(".frame-title")).to_have_text("Frame 1")
    expect(frame_members(canvas_b, frame_id)).to_have_count(2)
    # The frame is drawn under the shapes it holds.
    assert bob.evaluate(
        "() => [...document.querySelectorAll('.board-canvas .shapes [data-shape-type]')]"
        ".map(el => el.dataset.shapeType)"
    ) == ["frame", "rect", "rect"]

    rects = positions(canvas_b, "rect")
    frame_x = int(frame_b.get_attribute("data-x"))
    bob.evaluate(WATCH_OFFSETS, [[frame_id, frame_x], *([id, x] for id, (x, _) in rects.items())])
    # Bob drags the frame by its title: it moves with both of its shapes, for Alice too.
    title = canvas_b.locator(".frame-title").bounding_box()
    start = (title["x"] + 10, title["y"] + title["height"] / 2)
    drag(bob, start, (start[0] + 150, start[1] + 60))
    moved = {id: (x + 150, y + 60) for id, (x, y) in rects.items()}
    expect(canvas_a.locator("[data-shape-type=frame]")).to_have_attribute(
        "data-x", str(frame_x + 150)
    )
    for id, (x, y) in moved.items():
        expect(canvas_a.locator(f"[data-shape-id='{id}']")).to_have_attribute("data-x", str(x))
        expect(canvas_a.locator(f"[data-shape-id='{id}']")).to_have_attribute("data-y", str(y))
    assert positions(canvas_a, "rect") == moved
    # Each step of the move was one change: Bob never saw the frame and its shapes apart.
    offsets = bob.evaluate("window.boardOffsets")
    assert len(offsets) > 1
    assert all(len(set(step)) == 1 for step in offsets), offsets
    for page in (alice, bob):
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    stored = stored_shapes(app_server, board_id)
    assert stored[frame_id]["type"] == "frame"
    assert stored[frame_id]["text"] == "Frame 1"
    assert {stored[id]["frameId"] for id in rects} == {frame_id}
    alice.screenshot(path=str(artifacts / "whiteboard-frame.png"))

    # Alice drags one shape wholly out: it leaves the frame. Double-click renames the frame.
    first, second = sorted(moved, key=lambda id: moved[id][0])
    x, y = moved[second]
    drag(alice, (left + x + 2, top + y + 30), (left + x + 400, top + y + 30))
    expect(frame_members(canvas_b, frame_id)).to_have_count(1)
    canvas_a.locator(".frame-title").dblclick()
    title = alice.get_by_role("textbox", name="Frame name")
    expect(title).to_have_value("Frame 1")
    title.fill("Sprint board")
    alice.keyboard.press("Enter")  # a title is one line: Enter ends its edit
    expect(title).to_have_count(0)
    expect(canvas_b.locator(".frame-title")).to_have_text("Sprint board")

    # The frames list zooms to a frame and selects it; deleting it keeps its shape.
    pan = canvas_a.get_attribute("data-pan")
    alice.get_by_label("Go to frame").select_option(label="Sprint board")
    expect(canvas_a).not_to_have_attribute("data-pan", pan)
    expect(canvas_b.locator(".remote rect")).to_have_count(1)  # Alice's selection: the frame
    alice.keyboard.press("Delete")
    expect(canvas_b.locator("[data-shape-type=frame]")).to_have_count(0)
    expect(canvas_b.locator("[data-shape-type=rect]")).to_have_count(2)
    expect(canvas_b.locator("[data-in-frame]")).to_have_count(0)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    stored = stored_shapes(app_server, board_id)
    assert [shape.get("frameId") for shape in stored.values()] == [None, None]
    assert first in stored


def test_images_picked_dropped_and_pasted_are_stored_and_load_for_the_other_person(
    people: People, app_server: Server, tmp_path: Path
) -> None:
    board_id, alice, canvas_a, _, canvas_b = two_on_one_board(people, app_server, "Pictures")
    picked = tmp_path / "chart.png"
    picked.write_bytes(image_bytes("PNG", "red"))
    alice.get_by_test_id("board-image-picker").set_input_files(str(picked))

    image_b = canvas_b.locator("[data-shape-type=image]")
    expect(image_b).to_have_count(1)
    expect(image_b).to_have_attribute("data-image-state", "ready")
    expect(image_b).to_have_attribute("data-natural-width", "240")
    expect(image_b.locator("image")).to_have_count(1)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    [shape] = stored_shapes(app_server, board_id).values()
    assert (shape["type"], shape["w"], shape["h"]) == ("image", 240, 120)
    status, content_type, data = fetch_image(app_server, board_id, shape["imageId"])
    assert (status, content_type) == (200, PNG)
    assert Image.open(io.BytesIO(data)).size == (240, 120)

    # The export carries the picture's pixels, not a URL only this session may read.
    alice.get_by_role("button", name="Export board").click()
    with alice.expect_download() as download:
        alice.get_by_role("menuitem", name="Whole board as SVG").click()
    exported = Path(download.value.path()).read_text()
    assert exported.count("data:image/png;base64,") == 1
    assert f"/images/{shape['imageId']}" not in exported

    # A viewer, and a guest who followed a view link, see it load too.
    viewer = people.sign_in("viewer")
    viewer_canvas = open_board(viewer, app_server, board_id)
    expect(viewer_canvas.locator("[data-shape-type=image]")).to_have_attribute(
        "data-image-state", "ready"
    )
    link = api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "POST",
        f"documents/{board_id}/share-links",
        {"role": "viewer"},
    )
    guest = guest_page(people)
    guest.goto(link["url"].removeprefix(app_server.url))
    guest_image = guest.locator(".share-board [data-shape-type=image]")
    expect(guest_image).to_have_attribute("data-image-state", "ready")
    expect(guest_image).to_have_attribute("data-natural-width", "240")

    # A drop lands where it was dropped, a paste in the view; both reach Bob and load.
    box = canvas_a.bounding_box()
    drop_at = (box["x"] + 500, box["y"] + 300)
    transfer(alice, "drop", drop_at, (image_bytes("JPEG", "blue"), "d.jpg", "image/jpeg"))
    expect(image_b).to_have_count(2)
    transfer(
        alice, "paste", (0, 0), (image_bytes("WEBP", "green", (200, 100)), "p.webp", "image/webp")
    )
    expect(image_b).to_have_count(3)
    for index in range(3):
        expect(image_b.nth(index)).to_have_attribute("data-image-state", "ready")
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    stored = stored_shapes(app_server, board_id)
    assert len({shape["imageId"] for shape in stored.values()}) == 3
    # The dropped one is centred where it was dropped (to the pixel: the canvas has a border).
    assert any(
        abs(s["x"] + s["w"] / 2 - 500) <= 1 and abs(s["y"] + s["h"] / 2 - 300) <= 1
        for s in stored.values()
        if s["w"] == 240
    )

    # The pasted image is selected: resizing it keeps its proportions.
    [pasted] = [id for id, shape in stored.items() if shape["w"] == 200]
    handle = canvas_a.locator(".selection .handle").bounding_box()
    corner = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    drag(alice, corner, (corner[0] + 120, corner[1] + 10))
    expect(canvas_b.locator(f"[data-shape-id='{pasted}'] image")).to_have_attribute("width", "320")
    expect(canvas_b.locator(f"[data-shape-id='{pasted}'] image")).to_have_attribute("height", "160")


def test_a_saved_versions_preview_shows_the_boards_image(
    people: People, app_server: Server
) -> None:
    board_id = new_whiteboard(app_server, "Pictured history")
    alice = people.sign_in("editor")
    canvas = open_board(alice, app_server, board_id)
    transfer(alice, "paste", (0, 0), (image_bytes("PNG", "red"), "chart.png", PNG))
    expect(canvas.locator("[data-shape-type=image]")).to_have_attribute("data-image-state", "ready")
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    assert [shape["type"] for shape in stored_shapes(app_server, board_id).values()] == ["image"]

    alice.get_by_role("button", name="History", exact=True).click()
    panel = alice.get_by_role("complementary", name="Version history")
    panel.get_by_label("Name the current version").fill("With the chart")
    panel.get_by_role("button", name="Save version").click()
    panel.get_by_role("list", name="Versions").get_by_role("button").first.click()
    preview = panel.locator("img.version-preview-board")
    expect(preview).to_be_visible()
    # A picture shown as an image loads nothing itself: the red pixels must be in the picture
    # (a missing image is drawn as a grey placeholder).
    expect(preview).to_have_js_property("complete", True)
    assert preview.evaluate(RED_PIXELS) > 1000


def test_a_file_that_is_no_image_or_too_large_is_refused_with_a_message_and_adds_nothing(
    people: People, app_server: Server
) -> None:
    board_id, alice, _, _, canvas_b = two_on_one_board(people, app_server, "Refusals")
    picker = alice.get_by_test_id("board-image-picker")
    error = alice.get_by_test_id("board-image-error")

    picker.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"})
    expect(error).to_contain_text("notes.txt is not a PNG, JPEG, GIF or WebP image")
    huge = b"\x89PNG" + bytes(11 * 1024 * 1024)
    picker.set_input_files({"name": "huge.png", "mimeType": PNG, "buffer": huge})
    expect(error).to_contain_text("huge.png is 11.0 MB: images may be at most 10.0 MB.")
    # Labelled a PNG, so the browser sends it: the server decodes it and refuses it.
    picker.set_input_files({"name": "fake.png", "mimeType": PNG, "buffer": b"not a picture"})
    expect(error).to_contain_text("Only PNG, JPEG, GIF and WebP images can be uploaded")
    expect(alice.get_by_test_id("board-image-status")).to_be_hidden()

    expect(alice.locator("[data-shape-type=image]")).to_have_count(0)
    expect(canvas_b.locator("[data-shape-type=image]")).to_have_count(0)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    assert stored_shapes(app_server, board_id) == {}


def test_an_image_copied_to_another_board_is_stored_again_for_that_board(
    people: People, app_server: Server, tmp_path: Path
) -> None:
    target_id, alice, _, _, canvas_b = two_on_one_board(people, app_server, "Target")
    source_id = new_whiteboard(app_server, "Source")
    canvas_a = open_board(alice, app_server, source_id)
    picked = tmp_path / "logo.png"
    picked.write_bytes(image_bytes("PNG", "purple", (160, 80)))
    alice.get_by_test_id("board-image-picker").set_input_files(str(picked))
    expect(canvas_a.locator("[data-shape-type=image]")).to_have_attribute(
        "data-image-state", "ready"
    )
    canvas_a.focus()
    alice.keyboard.press("Control+c")
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    [source_image] = stored_shapes(app_server, source_id).values()

    canvas_a = open_board(alice, app_server, target_id)
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    canvas_a.focus()
    alice.keyboard.press("Control+v")
    # Bob, on the other board, sees the copy load: its image is the target board's own.
    pasted = canvas_b.locator("[data-shape-type=image]")
    expect(pasted).to_have_attribute("data-image-state", "ready")
    expect(pasted).to_have_attribute("data-natural-width", "160")
    expect(alice.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    [copy] = stored_shapes(app_server, target_id).values()
    assert copy["imageId"] != source_image["imageId"]
    assert (copy["w"], copy["h"]) == (source_image["w"], source_image["h"])
    status, content_type, _ = fetch_image(app_server, target_id, copy["imageId"])
    assert (status, content_type) == (200, PNG)
