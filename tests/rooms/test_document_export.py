"""Export: a document downloaded as Markdown, HTML, PDF and DOCX, each read back with a reader
that is not the writer (python-docx, pypdf, the standard HTML parser), and a whiteboard as
SVG, PNG and PDF."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import docx
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rooms.documents.content import tree
from rooms.documents.formats.docx_export import document_docx
from rooms.documents.formats.images import picture_type
from rooms.documents.formats.pdf_export import document_pdf
from rooms.documents.models import DocumentKind
from rooms.documents.payloads import document_image_url
from rooms.documents.services.content import document_update_append
from rooms.documents.services.images import document_image_upload
from rooms.documents.services.transfer import export_filename
from tests.factories import DocumentFactory, DocumentUpdateFactory
from tests.rooms.formats_samples import (
    IMAGE_SRC,
    RICH_BLOCKS,
    png_bytes,
    text_document,
)

DOCUMENT = {"type": "doc", "content": RICH_BLOCKS}


def export(room_with_everyone, document, fmt, who="viewer"):
    return room_with_everyone.client(who).get(
        f"/api/v1/documents/{document.pk}/export?format={fmt}"
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rich(room_with_everyone):
    return text_document(
        room_with_everyone.room,
        RICH_BLOCKS,
        actor=room_with_everyone.users["editor"],
        title="Launch: plan/2026?",
    )


def test_docx_export_reads_back_with_headings_lists_table_and_link(room_with_everyone, rich):
    response = export(room_with_everyone, rich, "docx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="Launch plan2026.docx"'
    read = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in read.paragraphs]
    assert ("Heading 1", "Launch plan") in paragraphs
    assert ("List Bullet", "Outer point") in paragraphs
    assert ("List Number 2", "Inner step") in paragraphs
    assert ("List Bullet", "☑ Ship it") in paragraphs
    assert ("Quote", "Quoted words") in paragraphs
    links = [link for p in read.paragraphs for link in p.hyperlinks]
    assert [(link.text, link.address) for link in links] == [
        ("the brief", "https://example.com/plan")
    ]
    [table] = read.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Owner", "Due"],
        ["Ann", "Friday"],
    ]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    # IMAGE_SRC is no stored image of this document: a placeholder names it.
    assert ("Normal", "[image: The diagram]") in paragraphs


def stored_image(room_with_everyone, document, color):
    """An image uploaded into ``document`` by its editor, and its ``src``."""
    image = document_image_upload(
        actor=room_with_everyone.users["editor"],
        document_id=document.pk,
        upload=SimpleUploadedFile("a.png", png_bytes(40, 30, color)),
    )
    return image, document_image_url(image)


def test_docx_export_embeds_the_documents_stored_images_only(room_with_everyone, media_root):
    room = room_with_everyone.room
    document = DocumentFactory(room=room)
    image, src = stored_image(room_with_everyone, document, "blue")
    # The viewer may read the other document too, but its image is not this document's.
    _, elsewhere = stored_image(room_with_everyone, DocumentFactory(room=room), "red")
    blocks = [
        {"type": "image", "attrs": {"src": src, "alt": "Blue box"}},
        {"type": "image", "attrs": {"src": elsewhere, "alt": "Red box"}},
    ]
    document_update_append(
        actor=room_with_everyone.users["editor"],
        document_id=document.pk,
        if_match=None,
        build=lambda _, doc: tree.replace_blocks(doc, blocks),
    )

    response = export(room_with_everyone, document, "docx")

    assert response.status_code == 200
    read = docx.Document(io.BytesIO(response.content))
    [shape] = read.inline_shapes
    assert shape._inline.docPr.get("descr") == "Blue box"
    picture = read.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    with image.display.open("rb") as display:
        assert picture.blob == display.read()
    assert Image.open(io.BytesIO(picture.blob)).convert("RGB").getpixel((5, 5)) == (0, 0, 255)
    assert "[image: Red box]" in [p.text for p in read.paragraphs]


def test_docx_embeds_the_images_it_can_read():
    picture = png_bytes(40, 30)

    written = document_docx(
        DOCUMENT, title="t", read_image=lambda src: picture if src == IMAGE_SRC else None
    )

    read = docx.Document(io.BytesIO(written))
    [shape] = read.inline_shapes
    blob = read.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == picture
    assert shape._inline.docPr.get("descr") == "The diagram"


def test_pdf_export_reads_back_with_headings_lists_table_and_link(room_with_everyone, rich):
    response = export(room_with_everyone, rich, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Launch plan2026.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    lines = "\n".join(page.extract_text() for page in reader.pages).splitlines()
    assert lines[0] == "Launch plan"
    for expected in ("- Outer point", "1. Inner step", "[x] Ship it", "Quoted words",
                     "print(1)", "Owner Due", "Ann Friday", "[image: The diagram]"):  # fmt: skip
        assert expected in lines
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    assert uris == ["https://example.com/plan"]


def test_pdf_embeds_the_images_it_can_read():
    written = document_pdf(DOCUMENT, title="t", read_image=lambda src: png_bytes(40, 30, "blue"))

    [page] = pypdf.PdfReader(io.BytesIO(written)).pages
    [image] = page.images
    assert image.image.size == (40, 30)
    # Printed at 96 pixels an inch: 40 px is 30 pt wide (the page's matrix scales it).
    assert "q 30.00 0 0 22.50 " in page.get_contents().get_data().decode("latin-1")
    assert image.image.convert("RGB").getpixel((5, 5)) == (0, 0, 255)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def test_html_export_is_a_standalone_page(room_with_everyone, rich):
    response = export(room_with_everyone, rich, "html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    body = response.content.decode()
    assert body.startswith("<!DOCTYPE html>")
    outline = _Outline()
    outline.feed(body)
    assert outline.tags[:4] == ["html", "head", "meta", "title"]
    assert {"h1", "ul", "ol", "li", "blockquote", "pre", "table", "th", "td"} <= set(outline.tags)
    assert outline.images == [IMAGE_SRC]
    assert "Owner" in outline.text and "Friday" in outline.text
    assert "script" not in outline.tags
    assert outline.hrefs == ["https://example.com/plan"]
    assert "Outer point" in outline.text and "Inner step" in outline.text


def test_html_export_embeds_the_documents_stored_images_only(room_with_everyone, media_root):
    room = room_with_everyone.room
    document = DocumentFactory(room=room)
    image, src = stored_image(room_with_everyone, document, "blue")
    _, elsewhere = stored_image(room_with_everyone, DocumentFactory(room=room), "red")
    blocks = [
        {"type": "image", "attrs": {"src": src, "alt": "Blue box"}},
        {"type": "image", "attrs": {"src": elsewhere, "alt": "Red box"}},
    ]
    document_update_append(
        actor=room_with_everyone.users["editor"],
        document_id=document.pk,
        if_match=None,
        build=lambda _, doc: tree.replace_blocks(doc, blocks),
    )

    response = export(room_with_everyone, document, "html")

    outline = _Outline()
    outline.feed(response.content.decode())
    embedded, kept = outline.images
    media_type, _, encoded = embedded.removeprefix("data:").partition(";base64,")
    assert media_type == image.display_content_type
    with image.display.open("rb") as display:
        assert base64.b64decode(encoded) == display.read()
    assert kept == elsewhere  # another document's image is not read, only pointed at


@pytest.mark.parametrize(
    ("image_format", "media_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_a_pictures_type_is_read_from_its_first_bytes(image_format, media_type):
    output = io.BytesIO()
    Image.new("RGB", (4, 4)).save(output, image_format)
    assert picture_type(output.getvalue()) == media_type
    assert picture_type(b"<svg") is None


def test_markdown_export_is_the_documents_markdown(room_with_everyone, rich):
    response = export(room_with_everyone, rich, "markdown")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Launch plan2026.md"'
    body = response.content.decode()
    assert body.startswith(
        "# Launch plan\n\nRead [the brief](https://example.com/plan) and **act**"
    )
    assert "- Outer point" in body and "[x] Ship it" in body


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [
        (DocumentKind.TEXT, "png"),
        (DocumentKind.TEXT, "rtf"),
        (DocumentKind.TEXT, ""),
        (DocumentKind.WHITEBOARD, "docx"),
        (DocumentKind.WHITEBOARD, "markdown"),
    ],
)
def test_a_format_the_kind_has_not_is_400(room_with_everyone, kind, fmt):
    document = DocumentFactory(room=room_with_everyone.room, kind=kind)

    response = export(room_with_everyone, document, fmt)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_format"


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("anonymous", 401)])
def test_only_readers_export(room_with_everyone, rich, who, status):
    assert export(room_with_everyone, rich, "docx", who=who).status_code == status


def test_filename_keeps_only_safe_characters():
    assert export_filename('a/b\\c:d*e?"f<g>h|i') == "abcdefghi"
    assert export_filename("..") == "document"
    assert export_filename("Grüße (v2)") == "Grüße (v2)"


# --- whiteboards ---------------------------------------------------------------------------

SHAPES = {
    "r": {"type": "rect", "x": 10, "y": 10, "w": 100, "h": 50, "color": "#e03131", "z": 1},
    "e": {"type": "ellipse", "x": 150, "y": 10, "w": 60, "h": 60, "color": "#2f6fdf", "z": 2},
    "a": {"type": "arrow", "x": 0, "y": 200, "w": 150, "h": -40, "color": "#1b2230", "z": 3},
    "p": {"type": "pen", "x": 5, "y": 90, "points": [0, 0, 10, 10, 20, 5], "z": 4},
    "s": {"type": "sticky", "x": 250, "y": 40, "w": 120, "h": 80, "text": "Ship <it>", "z": 5},
    "bad": {"type": "rect", "x": 0, "y": 0, "w": 5, "h": 5, "color": '"/><script>', "z": 6},
}


@pytest.fixture
def board(room_with_everyone):
    document = DocumentFactory(
        room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD, title="Board", last_seq=1
    )
    source = tree.load(None)
    shapes = source.get(tree.SHAPES, type=tree.Map)
    with source.transaction():
        for key, value in SHAPES.items():
            shapes[key] = tree.Map(value)
    DocumentUpdateFactory(document=document, seq=1, data=source.get_update())
    return document


def test_whiteboard_svg_has_every_shape_and_escapes_text(room_with_everyone, board):
    response = export(room_with_everyone, board, "svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="Board.svg"'
    root = ET.fromstring(response.content)
    ns = "{http://www.w3.org/2000/svg}"
    drawn = [
        (group.get("data-shape-id"), [child.tag.removeprefix(ns) for child in group])
        for group in root.findall(f"{ns}g")
    ]
    assert drawn == [
        ("r", ["rect"]),
        ("e", ["ellipse"]),
        ("a", ["line", "path"]),
        ("p", ["path"]),
        ("s", ["rect", "text"]),
        ("bad", ["rect"]),
    ]
    assert root.find(f"{ns}g[@data-shape-id='r']/{ns}rect").get("stroke") == "#e03131"
    # A colour that is not one is the default.
    assert root.find(f"{ns}g[@data-shape-id='bad']/{ns}rect").get("stroke") == "#1b2230"
    assert "".join(root.itertext()).strip() == "Ship <it>"
    assert not root.findall(f".//{ns}script")


def test_whiteboard_png_draws_the_shapes(room_with_everyone, board):
    response = export(room_with_everyone, board, "png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    # The frame is from (-24, -24) to (394, 224): the shapes plus a margin.
    assert image.size == (418, 248)
    assert image.getpixel((24 + 50, 24 + 10)) == (224, 49, 49)  # the rectangle's top edge
    assert image.getpixel((24 + 300, 24 + 80)) == (255, 243, 191)  # inside the sticky note
    assert image.getpixel((24 + 50, 24 + 35)) == (255, 255, 255)  # inside the rectangle


def test_whiteboard_pdf_is_one_page_of_the_board(room_with_everyone, board):
    response = export(room_with_everyone, board, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    [page] = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (418, 248)
    assert "Ship <it>" in page.extract_text()


def test_pdf_prints_typography_as_typed_and_a_character_no_font_has_as_a_placeholder():
    words = {"type": "text", "text": "\u201cQuoted\u201d \u2013 dash \u2026 café 🌍"}
    document = {"type": "doc", "content": [{"type": "paragraph", "content": [words]}]}

    written = document_pdf(document, title="t", read_image=lambda src: None)

    [page] = pypdf.PdfReader(io.BytesIO(written)).pages
    assert page.extract_text() == "\u201cQuoted\u201d \u2013 dash \u2026 café \ufffd"
