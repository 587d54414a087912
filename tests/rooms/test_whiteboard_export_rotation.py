"""The server's whiteboard exports draw a rotated shape turned, as the web app does."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

from PIL import Image

from rooms.documents.formats.whiteboard_export import MARGIN, whiteboard_png, whiteboard_svg

SVG = "{http://www.w3.org/2000/svg}"
# A 200 by 20 bar about (100, 10), turned a quarter: it stands from x 90 to 110, y -90 to 110.
STANDING = {
    "bar": {
        "type": "rect",
        "x": 0,
        "y": 0,
        "w": 200,
        "h": 20,
        "color": "#e03131",
        "z": 1,
        "rotation": math.pi / 2,
    },
}


def test_svg_turns_a_rotated_shape_about_its_centre_and_frames_it_as_drawn() -> None:
    root = ET.fromstring(whiteboard_svg(STANDING))
    [turned] = root.findall(f"{SVG}g")
    assert turned.get("transform") == "rotate(90 100 10)"
    assert turned.find(f"{SVG}rect") is not None
    # The frame reaches the bar's top, 90 above the board's origin, plus the margin.
    assert root.get("viewBox", "").split()[1] == f"{-90 - MARGIN:g}"


def test_a_line_keeps_its_ends_whatever_its_rotation() -> None:
    line = {"l": {"type": "line", "x": 0, "y": 0, "w": 100, "h": 0, "z": 1, "rotation": 1.0}}
    assert "rotate(" not in whiteboard_svg(line)


def test_png_draws_a_rotated_shape_standing() -> None:
    image = Image.open(io.BytesIO(whiteboard_png(STANDING))).convert("RGB")
    left, top = -MARGIN, -90 - MARGIN  # the board point at the image's top-left pixel

    def red(x: float, y: float) -> bool:
        """Whether the stroke (2 px, smoothed by the turn) covers the board point (x, y)."""
        pixels = [image.getpixel((round(x - left) + dx, round(y - top))) for dx in (-1, 0, 1)]
        return any(r > 150 and g < 120 and b < 120 for r, g, b in pixels)

    # The standing bar's left side runs down x = 90; the upright bar would lie along y 0..20.
    assert all(red(90, y) for y in (-60, 50, 90))
    assert not red(125, 10)
    assert not red(100, 50)  # inside the bar: unfilled


# A text shape whose six lines run far past its 20-high box (as a REST write may leave it).
OVERFLOWING = {
    "t": {
        "type": "text",
        "x": 0,
        "y": 0,
        "w": 200,
        "h": 20,
        "color": "#000000",
        "z": 1,
        "text": "one\ntwo\nthree\nfour\nfive\nsix",
    },
}


def _dark_rows(image: Image.Image) -> list[int]:
    """The rows of the image holding a dark pixel (the text)."""
    gray = image.convert("L")
    return [
        y for y in range(gray.height) if gray.crop((0, y, gray.width, y + 1)).getextrema()[0] < 100
    ]


def test_png_draws_text_that_runs_past_its_box_whole() -> None:
    image = Image.open(io.BytesIO(whiteboard_png(OVERFLOWING)))
    rows = _dark_rows(image)
    # Six lines of 18 px text, 23.4 apart, from the box's top: the last ends near 140 on the
    # board, 164 in the image (its top is the margin above 0), and the image holds it.
    assert rows[-1] - MARGIN > 125
    assert image.height >= rows[-1] + MARGIN


def test_png_draws_the_overflowing_text_of_a_turned_shape_whole() -> None:
    turned = {"t": {**OVERFLOWING["t"], "rotation": math.pi}}
    upright_rows = _dark_rows(Image.open(io.BytesIO(whiteboard_png(OVERFLOWING))))
    rows = _dark_rows(Image.open(io.BytesIO(whiteboard_png(turned))))
    # Turned a half turn about (100, 10), the text runs upwards from the box as far as it ran
    # downwards: as many rows of text, none cut at the layer's edge.
    assert rows[-1] - rows[0] == upright_rows[-1] - upright_rows[0]
