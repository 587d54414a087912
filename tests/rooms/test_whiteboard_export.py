"""The server's drawing of the whiteboard fields added in issue 25 (rotation, frames, images,
font size and alignment, labels in rectangles and ellipses, curved routes, style), read back
from the SVG's elements and the PNG's pixels; and an exported board's uploaded image."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rooms.documents.formats.whiteboard_export import whiteboard_pdf, whiteboard_png, whiteboard_svg
from rooms.documents.models import DocumentKind
from rooms.documents.services.board_content import whiteboard_shapes_put
from rooms.documents.services.images import document_image_upload
from tests.factories import DocumentFactory
from tests.rooms.formats_samples import png_bytes

NS = "{http://www.w3.org/2000/svg}"
IMAGE_ID = "6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
BOARD = {
    "f": {"type": "frame", "x": 0, "y": 0, "w": 300, "h": 200, "text": "Sprint <1>", "z": 9},
    "r": {
        "type": "rect",
        "x": 20,
        "y": 20,
        "w": 100,
        "h": 60,
        "text": "Review",
        "rotation": 0.5,
        "fill": "#2f6fdf",
        "opacity": 0.5,
        "dash": "dashed",
        "strokeWidth": 4,
        "frameId": "f",
        "z": 1,
    },
    "e": {
        "type": "ellipse",
        "x": 160,
        "y": 20,
        "w": 100,
        "h": 80,
        "text": "Ship",
        "fontSize": 30,
        "align": "left",
        "z": 2,
    },
    "c": {
        "type": "arrow",
        "x": 0,
        "y": 0,
        "w": 1,
        "h": 1,
        "route": "curved",
        "text": "then",
        "startBinding": {"shapeId": "r", "anchor": {"x": 1, "y": 0.5}},
        "endBinding": {"shapeId": "e", "anchor": {"x": 0, "y": 0.5}},
        "z": 3,
    },
    "i": {
        "type": "image",
        "x": 20,
        "y": 120,
        "w": 60,
        "h": 40,
        "imageId": IMAGE_ID,
        "alt": "Logo",
        "z": 4,
    },
    "gone": {"type": "image", "x": 100, "y": 120, "w": 60, "h": 40, "alt": "Lost picture", "z": 5},
    "s": {
        "type": "sticky",
        "x": 250,
        "y": 150,
        "w": 100,
        "h": 100,
        "text": "Clipped",
        "frameId": "f",
        "z": 6,
    },
}


def picture(image_id: str) -> bytes | None:
    return png_bytes(30, 20, (47, 111, 223)) if image_id == IMAGE_ID else None


def svg_of(shapes, read_image=picture):
    return ET.fromstring(whiteboard_svg(shapes, read_image))


def group(root, shape_id):
    return root.find(f".//{NS}g[@data-shape-id='{shape_id}']")


def test_frames_are_drawn_first_with_their_title_and_clip_their_shapes():
    root = svg_of(BOARD)
    groups = [g.get("data-shape-id") for g in root.iter(f"{NS}g") if g.get("data-shape-id")]

    assert groups[0] == "f"
    assert [t.text for t in group(root, "f").iter(f"{NS}tspan")] == ["Sprint <1>"]
    [clip] = root.iter(f"{NS}clipPath")
    assert clip[0].attrib == {"x": "0", "y": "0", "width": "300", "height": "200"}
    clipped = [g for g in root if g.get("clip-path") == f"url(#{clip.get('id')})"]
    assert [g[0].get("data-shape-id") for g in clipped] == ["r", "s"]


def test_rotation_opacity_fill_and_dash_are_drawn():
    shape = group(svg_of(BOARD), "r")

    assert shape.get("transform") == "rotate(28.6479 70 50)"
    assert shape.get("opacity") == "0.5"
    rect = shape.find(f"{NS}rect")
    assert (rect.get("fill"), rect.get("stroke-width"), rect.get("stroke-dasharray")) == (
        "#2f6fdf",
        "4",
        "16 12",
    )


def test_labels_wrap_inside_rectangles_and_take_font_size_and_alignment():
    root = svg_of(BOARD)
    label = group(root, "r").find(f"{NS}text")
    ship = group(root, "e").find(f"{NS}text")

    assert (label.get("text-anchor"), label.get("x"), label[0].text) == ("middle", "70", "Review")
    assert (ship.get("font-size"), ship.get("text-anchor"), ship[0].text) == ("30", "start", "Ship")
    long = {
        "r": {
            "type": "rect",
            "x": 0,
            "y": 0,
            "w": 120,
            "h": 200,
            "text": "one two three four five six",
        }
    }
    assert len(list(svg_of(long).iter(f"{NS}tspan"))) > 1


def test_a_curved_connector_is_bound_to_its_shapes_and_labelled():
    connector = group(svg_of(BOARD), "c")
    path, head = connector.findall(f"{NS}path")
    points = path.get("d").split(" L")

    assert points[0] == "M120 50"  # the right side of the (unturned) rectangle's box
    assert points[-1] == "160 60"  # the left end of the ellipse
    assert len(points) == 33
    assert head.get("stroke-dasharray") is None
    assert [t.text for t in connector.iter(f"{NS}tspan")] == ["then", "then"]  # halo, text


def test_an_image_embeds_its_picture_and_a_missing_one_shows_its_alt_text():
    root = svg_of(BOARD)
    image = group(root, "i").find(f"{NS}image")
    href = image.get("href")

    assert href.startswith("data:image/png;base64,")
    assert base64.b64decode(href.split(",", 1)[1]) == picture(IMAGE_ID)
    assert image.get("aria-label") == "Logo"
    assert [t.text for t in group(root, "gone").iter(f"{NS}tspan")] == ["Lost picture"]


def test_the_png_draws_the_picture_the_fill_and_clips_to_the_frame():
    image = Image.open(io.BytesIO(whiteboard_png(BOARD, picture))).convert("RGB")
    left, top = 24, 24 + 14 * 1.4  # the margin; the frame's title above it

    def at(x, y):
        return image.getpixel((round(x + left), round(y + top)))

    assert at(50, 140) == (47, 111, 223)  # inside the picture
    assert at(70, 70) not in ((255, 255, 255), (47, 111, 223))  # the half-clear fill, blended
    assert at(280, 180) == (255, 243, 191)  # the note inside the frame
    assert at(320, 230) == (255, 255, 255)  # the note past the frame is clipped


def test_the_pdf_has_the_new_texts():
    [page] = pypdf.PdfReader(io.BytesIO(whiteboard_pdf(BOARD, title="b", read_image=picture))).pages
    text = page.extract_text()

    for words in ("Sprint <1>", "Review", "Ship", "then", "Lost picture"):
        assert words in text


def test_an_exported_board_embeds_the_documents_uploaded_image(
    room_with_everyone, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = room_with_everyone.users["editor"]
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD)
    uploaded = document_image_upload(
        actor=editor,
        document_id=board.pk,
        upload=SimpleUploadedFile("a.png", png_bytes(40, 30, "red")),
    )
    shape = {"type": "image", "x": 0, "y": 0, "w": 40, "h": 30, "imageId": str(uploaded.pk)}
    whiteboard_shapes_put(actor=editor, document_id=board.pk, shapes={"i": shape})

    response = room_with_everyone.client("viewer").get(
        f"/api/v1/documents/{board.pk}/export?format=png"
    )

    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.getpixel((24 + 20, 24 + 15)) == (255, 0, 0)
