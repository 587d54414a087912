"""Import and export in real Chromium: a Word file picked with the room's Import button becomes
a document whose heading, list and table show in the editor; the document's Export menu
downloads it as Word and PDF, read back here with python-docx and pypdf, and a whiteboard as
the SVG and PNG the server draws."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_whiteboard import drag, new_whiteboard, open_board
from tests.e2e.conftest import Server
from tests.rooms.formats_samples import png_bytes, word_file

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def import_word_file(page: Any, server: Server, tmp_path: Path) -> None:
    """Open the seeded room and import a Word file through its Import button."""
    source = tmp_path / "Quarterly report.docx"
    source.write_bytes(word_file(picture=png_bytes(60, 40), picture_alt="Sales chart"))
    page.goto(f"/rooms/{server.seed['room']}/")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a file…").click()
    chooser.value.set_files(str(source))
    expect(page.locator("h1.doc-title")).to_have_text("Quarterly report")
    expect(page.locator(".ProseMirror")).to_be_visible()
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")


def test_an_imported_word_file_shows_in_the_editor(
    people: People, app_server: Server, artifacts: Path, tmp_path: Path
) -> None:
    page = people.sign_in("editor")

    import_word_file(page, app_server, tmp_path)

    editor = page.locator(".ProseMirror")
    expect(editor.locator("h1")).to_have_text("Quarterly report")
    expect(editor.locator("ul > li").first).to_contain_text("First point")
    expect(editor.locator("ul ul > li")).to_have_text("Sub point")
    expect(editor.locator("ol > li")).to_have_text("Step one")
    expect(editor.locator("table th")).to_have_text(["Region", "Sales"])
    expect(editor.locator("table td")).to_have_text(["North", "12"])
    expect(editor.locator("a[href='https://example.com/q3']")).to_have_text("the site")
    # The picture went to the new document's image store and loads from it.
    picture = editor.locator("img[src^='/api/v1/documents/']")
    expect(picture).to_have_attribute("alt", "Sales chart")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    page.screenshot(path=str(artifacts / "import-word-file.png"))


def test_a_refused_import_says_why_and_creates_nothing(
    people: People, app_server: Server, tmp_path: Path
) -> None:
    page = people.sign_in("editor")
    page.goto(f"/rooms/{app_server.seed['room']}/")
    documents = page.locator(".doc-list li").count()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word file")

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a file…").click()
    chooser.value.set_files(str(broken))

    expect(page.locator(".import-document .form-error")).to_have_text(
        "The file is not a readable Word (.docx) document."
    )
    page.reload()
    expect(page.locator(".doc-list li")).to_have_count(documents)


def download(page: Any, label: str) -> tuple[bytes, str]:
    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as downloading:
        page.get_by_role("menuitem", name=label).click()
    return Path(downloading.value.path()).read_bytes(), downloading.value.suggested_filename


def test_a_document_exports_as_word_and_pdf(
    people: People, app_server: Server, tmp_path: Path
) -> None:
    page = people.sign_in("editor")
    import_word_file(page, app_server, tmp_path)

    word, word_name = download(page, "Word (.docx)")
    pdf, pdf_name = download(page, "PDF (.pdf)")

    assert (word_name, pdf_name) == ("Quarterly report.docx", "Quarterly report.pdf")
    read = docx.Document(io.BytesIO(word))
    paragraphs = [(p.style.name, p.text) for p in read.paragraphs]
    assert ("Heading 1", "Quarterly report") in paragraphs
    assert ("List Bullet", "First point") in paragraphs
    assert ("List Bullet 2", "Sub point") in paragraphs
    assert ("List Number", "Step one") in paragraphs
    assert [[c.text for c in row.cells] for row in read.tables[0].rows] == [
        ["Region", "Sales"],
        ["North", "12"],
    ]
    assert [(h.text, h.address) for p in read.paragraphs for h in p.hyperlinks] == [
        ("the site", "https://example.com/q3")
    ]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    lines = "\n".join(p.extract_text() for p in reader.pages).splitlines()
    for expected in ("Quarterly report", "- First point", "- Sub point", "1. Step one",
                     "Region Sales", "North 12"):  # fmt: skip
        assert expected in lines


def test_a_whiteboard_exports_as_the_servers_svg_and_png(
    people: People, app_server: Server
) -> None:
    board_id = new_whiteboard(app_server, "Exported board")
    page = people.sign_in("editor")
    canvas = open_board(page, app_server, board_id)
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    box = canvas.bounding_box()
    page.get_by_role("button", name="Ellipse").click()
    drag(page, (box["x"] + 100, box["y"] + 80), (box["x"] + 260, box["y"] + 180))
    expect(canvas.locator("[data-shape-type=ellipse]")).to_have_count(1)
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")

    svg, svg_name = download(page, "SVG image (.svg)")
    png, png_name = download(page, "PNG image (.png)")

    assert (svg_name, png_name) == ("Exported board.svg", "Exported board.png")
    root = ET.fromstring(svg)
    drawn = [g.get("data-shape-type") for g in root.iter("{http://www.w3.org/2000/svg}g")]
    assert drawn == ["ellipse"]
    [ellipse] = root.iter("{http://www.w3.org/2000/svg}ellipse")
    assert float(ellipse.get("rx")) > 10 and float(ellipse.get("ry")) > 10
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (int(root.get("width")), int(root.get("height"))))
