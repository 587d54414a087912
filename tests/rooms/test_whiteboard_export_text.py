"""The server's whiteboard exports draw a rectangle's or ellipse's label and the font size."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from rooms.documents.formats.whiteboard_export import MARGIN, whiteboard_png, whiteboard_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELLED = {
    "box": {
        "type": "rect",
        "x": 0,
        "y": 0,
        "w": 200,
        "h": 100,
        "color": "#1971c2",
        "text": "Checkout",
        "fontSize": 40,
        "z": 1,
    },
}


def test_svg_centres_a_rectangles_label_at_its_font_size() -> None:
    root = ET.fromstring(whiteboard_svg(LABELLED))
    [label] = root.iter(f"{SVG}text")
    assert label.get("text-anchor") == "middle"
    assert label.get("x") == "100"
    assert label.get("font-size") == "40"
    assert "".join(label.itertext()) == "Checkout"


def test_svg_gives_a_text_shape_its_font_size_and_ignores_one_out_of_range() -> None:
    sized = {"t": {"type": "text", "x": 0, "y": 0, "w": 100, "h": 30, "text": "Hi", "z": 1}}
    sized["t"]["fontSize"] = 24
    [label] = ET.fromstring(whiteboard_svg(sized)).iter(f"{SVG}text")
    assert label.get("font-size") == "24"
    sized["t"]["fontSize"] = 500
    [label] = ET.fromstring(whiteboard_svg(sized)).iter(f"{SVG}text")
    assert label.get("font-size") == "18"


def test_png_draws_the_label_inside_the_box() -> None:
    image = Image.open(io.BytesIO(whiteboard_png(LABELLED))).convert("RGB")
    # The label's ink sits around the box's centre, away from its outline.
    cx, cy = 100 + MARGIN, 50 + MARGIN
    inked = [
        (x, y)
        for x in range(cx - 80, cx + 80)
        for y in range(cy - 25, cy + 25)
        if image.getpixel((x, y)) != (255, 255, 255)
    ]
    assert len(inked) > 100
    xs = [x for x, _ in inked]
    assert abs((min(xs) + max(xs)) / 2 - cx) < 10
