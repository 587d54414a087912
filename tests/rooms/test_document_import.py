"""Import: Markdown, HTML and Word files become a new document, or a live edit of an existing
one; a file that is corrupt, of an unknown format or too large is refused and nothing is
created or changed."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from rooms.documents.formats.docx_import import blocks_from_docx, docx_open
from rooms.documents.formats.html_import import blocks_from_html
from rooms.documents.models import Document, DocumentImage, DocumentKind
from rooms.sync import log
from rooms.sync.models import DocumentUpdate
from tests.conftest import client_for
from tests.factories import DocumentFactory
from tests.rooms.formats_samples import paragraph, png_bytes, text, text_document, word_file


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def import_new(room_with_everyone, name, data, who="editor", **fields):
    return room_with_everyone.client(who).post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/documents/import",
        {"file": upload(name, data), **fields},
        format="multipart",
    )


def content_json(room_with_everyone, document_id):
    response = room_with_everyone.client("viewer").get(
        f"/api/v1/documents/{document_id}/content?format=json"
    )
    return response.json()["content"]["content"]


def outline(blocks):
    """Each block's type and its text, nested lists and cells flattened in order."""
    found = []
    for block in blocks:
        words = "".join(
            n.get("text", "") for n in block.get("content") or [] if n["type"] == "text"
        )
        found.append((block["type"], words))
        if block["type"] not in ("paragraph", "heading"):
            found.extend(outline(block.get("content") or []))
    return found


def test_a_word_file_becomes_a_new_document(room_with_everyone):
    response = import_new(room_with_everyone, "Report.docx", word_file(), title="Q3")

    assert response.status_code == 201
    assert (response.json()["title"], response.json()["kind"]) == ("Q3", "text")
    blocks = content_json(room_with_everyone, response.json()["id"])
    assert blocks[0] == {
        "type": "heading",
        "attrs": {"level": 1},
        "content": [{"type": "text", "text": "Quarterly report"}],
    }
    assert blocks[1]["content"][1] == {"type": "text", "text": "good", "marks": [{"type": "bold"}]}
    assert outline(blocks[2:4]) == [
        ("bulletList", ""),
        ("listItem", ""),
        ("paragraph", "First point"),
        ("bulletList", ""),
        ("listItem", ""),
        ("paragraph", "Sub point"),
        ("orderedList", ""),
        ("listItem", ""),
        ("paragraph", "Step one"),
    ]
    table = blocks[4]
    assert [[cell["type"] for cell in row["content"]] for row in table["content"]] == [
        ["tableHeader", "tableHeader"],
        ["tableCell", "tableCell"],
    ]
    assert [p for p in outline([table]) if p[0] == "paragraph"] == [
        ("paragraph", "Region"),
        ("paragraph", "Sales"),
        ("paragraph", "North"),
        ("paragraph", "12"),
    ]
    assert blocks[5]["content"][1] == {
        "type": "text",
        "text": "the site",
        "marks": [{"type": "link", "attrs": {"href": "https://example.com/q3"}}],
    }


def test_a_word_files_pictures_are_stored_as_document_images():
    picture = png_bytes(20, 10)
    stored = []

    def store(data, filename):
        stored.append((data, filename))
        return "/api/v1/documents/d1/images/i1"

    blocks = blocks_from_docx(docx_open(word_file(picture=picture)), store_image=store)

    assert stored == [(picture, "image1.png")]
    assert {"type": "image", "attrs": {"src": "/api/v1/documents/d1/images/i1", "alt": None}} in (
        blocks
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_word_files_picture_becomes_an_image_of_the_new_document(room_with_everyone, media_root):
    word = word_file(picture=png_bytes(20, 10, "blue"), picture_alt="Chart")

    response = import_new(room_with_everyone, "Report.docx", word)

    assert response.status_code == 201
    document_id = response.json()["id"]
    image = DocumentImage.objects.get()
    assert (str(image.document_id), image.uploaded_by) == (
        document_id,
        room_with_everyone.users["editor"],
    )
    src = f"/api/v1/documents/{document_id}/images/{image.pk}"
    blocks = content_json(room_with_everyone, document_id)
    assert {"type": "image", "attrs": {"alt": "Chart", "src": src}} in blocks
    shown = room_with_everyone.client("viewer").get(src)
    assert shown.status_code == 200
    assert (image.width, image.height) == (20, 10)


def test_a_picture_the_image_store_refuses_keeps_its_alt_text(
    room_with_everyone, media_root, settings
):
    settings.COLLAB_MAX_IMAGE_BYTES = 10
    word = word_file(picture=png_bytes(20, 10), picture_alt="Chart")

    response = import_new(room_with_everyone, "Report.docx", word)

    assert response.status_code == 201
    assert DocumentImage.objects.count() == 0
    blocks = content_json(room_with_everyone, response.json()["id"])
    assert ("paragraph", "[image: Chart]") in outline(blocks)
    assert "image" not in [block["type"] for block in blocks]


def test_markdown_becomes_a_new_document_named_after_the_file(room_with_everyone):
    response = import_new(room_with_everyone, "notes.md", b"# Notes\n\n- one\n- two\n")

    assert response.status_code == 201
    assert response.json()["title"] == "notes"
    assert outline(content_json(room_with_everyone, response.json()["id"])) == [
        ("heading", "Notes"),
        ("bulletList", ""),
        ("listItem", ""),
        ("paragraph", "one"),
        ("listItem", ""),
        ("paragraph", "two"),
    ]


HOSTILE_HTML = b"""<!doctype html><html><head><title>t</title><style>p{}</style>
<script>alert(1)</script></head><body onload="x()">
<h2>Agenda <em>today</em></h2>
<p>Go <a href="javascript:alert(1)">here</a> or <a href="https://example.com">there</a></p>
<ul data-type="taskList"><li data-checked="true"><p>Done</p></li></ul>
<table><tr><th>A</th></tr><tr><td>1</td></tr></table>
<img src="https://example.com/a.png" alt="A"><img src="javascript:x"><iframe src="x">in</iframe>
</body></html>"""


def test_html_is_sanitized_and_mapped_to_the_schema(room_with_everyone):
    response = import_new(room_with_everyone, "page.html", HOSTILE_HTML)

    assert response.status_code == 201
    blocks = content_json(room_with_everyone, response.json()["id"])
    assert outline(blocks) == [
        ("heading", "Agenda today"),
        ("paragraph", "Go here or there"),
        ("taskList", ""),
        ("taskItem", ""),
        ("paragraph", "Done"),
        ("table", ""),
        ("tableRow", ""),
        ("tableHeader", ""),
        ("paragraph", "A"),
        ("tableRow", ""),
        ("tableCell", ""),
        ("paragraph", "1"),
        ("image", ""),
    ]
    assert blocks[1]["content"] == [
        {"type": "text", "text": "Go here or "},
        {
            "type": "text",
            "text": "there",
            "marks": [{"type": "link", "attrs": {"href": "https://example.com"}}],
        },
    ]
    assert blocks[2]["content"][0]["attrs"]["checked"] is True
    assert blocks[-1]["attrs"]["src"] == "https://example.com/a.png"


def test_an_html_data_picture_goes_to_the_image_store():
    source = "<p>x</p><img alt='dot' src='data:image/png;base64,iVBORw0KGgo='>"
    stored = []

    blocks = blocks_from_html(
        source, store_image=lambda data, name: stored.append((data, name)) or "/stored"
    )

    assert stored == [(b"\x89PNG\r\n\x1a\n", "image.png")]
    assert blocks[1] == {"type": "image", "attrs": {"src": "/stored", "alt": "dot", "title": None}}


# --- refusals: nothing created -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", 400, "corrupt_file"),
        ("empty.docx", b"", 400, "invalid"),
        ("latin.md", "caf\xe9".encode("latin-1"), 400, "corrupt_file"),
        ("slides.pptx", b"PK\x03\x04", 415, "unsupported_format"),
        ("noextension", b"# hi", 415, "unsupported_format"),
        ("deep.md", b"> " * 40 + b"x", 400, "markdown_too_deep"),
    ],
)
def test_a_file_that_cannot_be_read_creates_nothing(room_with_everyone, name, data, status, code):
    before = Document.objects.count()

    response = import_new(room_with_everyone, name, data)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert Document.objects.count() == before


def test_a_file_over_the_limit_is_413_and_creates_nothing(room_with_everyone, settings):
    settings.COLLAB_IMPORT_MAX_BYTES = 1000
    before = Document.objects.count()

    response = import_new(room_with_everyone, "big.md", b"x" * 1001)

    assert (response.status_code, response.json()["code"]) == (413, "import_too_large")
    assert Document.objects.count() == before


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 201), ("editor", 201), ("commenter", 403), ("viewer", 403)]
)
def test_only_editors_import(room_with_everyone, who, status):
    assert import_new(room_with_everyone, "a.md", b"hi", who=who).status_code == status


# --- into an existing document: a live edit ------------------------------------------------


def import_into(document, user, name, data, mode, **headers):
    return client_for(user).post(
        f"/api/v1/documents/{document.pk}/import",
        {"file": upload(name, data), "mode": mode},
        format="multipart",
        **headers,
    )


@pytest.fixture
def existing(room_with_everyone):
    return text_document(
        room_with_everyone.room,
        [paragraph(text("Kept"))],
        actor=room_with_everyone.users["editor"],
    )


def test_import_appends_to_a_document_and_is_published(
    room_with_everyone, existing, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(log.group_name(existing.pk), channel)

    with django_capture_on_commit_callbacks(execute=True):
        response = import_into(
            existing, room_with_everyone.users["editor"], "more.html", b"<h1>More</h1>", "append"
        )

    assert response.status_code == 200
    assert response.json() == {"seq": 2, "etag": '"2"'}
    assert outline(content_json(room_with_everyone, existing.pk)) == [
        ("paragraph", "Kept"),
        ("heading", "More"),
    ]
    message = async_to_sync(layer.receive)(channel)
    assert (message["type"], message["seq"]) == ("doc.update", 2)
    assert message["update"] == bytes(DocumentUpdate.objects.get(document=existing, seq=2).data)


def test_import_replaces_a_documents_content(room_with_everyone, existing):
    response = import_into(
        existing,
        room_with_everyone.users["editor"],
        "new.docx",
        word_file(),
        "replace",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert outline(content_json(room_with_everyone, existing.pk))[0] == (
        "heading",
        "Quarterly report",
    )


@pytest.mark.parametrize(
    ("name", "data", "headers", "status"),
    [
        ("new.md", b"# New", {"HTTP_IF_MATCH": '"0"'}, 412),
        ("broken.docx", b"PK\x03\x04 nope", {}, 400),
        ("new.rtf", b"{\\rtf1}", {}, 415),
    ],
)
def test_a_refused_import_into_a_document_changes_nothing(
    room_with_everyone, existing, name, data, headers, status
):
    response = import_into(
        existing, room_with_everyone.users["editor"], name, data, "replace", **headers
    )

    assert response.status_code == status
    assert DocumentUpdate.objects.filter(document=existing).count() == 1
    assert outline(content_json(room_with_everyone, existing.pk)) == [("paragraph", "Kept")]


def test_a_refused_import_into_a_document_keeps_none_of_its_pictures(
    room_with_everyone, existing, media_root
):
    word = word_file(picture=png_bytes(20, 10))

    response = import_into(
        existing,
        room_with_everyone.users["editor"],
        "new.docx",
        word,
        "append",
        HTTP_IF_MATCH='"0"',
    )

    assert response.status_code == 412
    assert DocumentImage.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_a_whiteboard_takes_no_import(room_with_everyone):
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD)

    response = import_into(board, room_with_everyone.users["editor"], "a.md", b"hi", "append")

    assert (response.status_code, response.json()["code"]) == (400, "wrong_document_kind")


def numbered(made, text_value, num_id, level):
    """A paragraph numbered the way Word writes it: List Paragraph with its own w:numPr."""
    para = made.add_paragraph(text_value, style="List Paragraph")
    numbering = para._p.get_or_add_pPr().get_or_add_numPr()
    level_element = OxmlElement("w:ilvl")
    level_element.set(qn("w:val"), str(level))
    number_element = OxmlElement("w:numId")
    number_element.set(qn("w:val"), str(num_id))
    numbering.append(level_element)
    numbering.append(number_element)


def test_word_numbering_makes_nested_bulleted_and_numbered_lists():
    made = docx.Document()
    numbered(made, "Bullet", 1, 0)  # the template's numId 1 is bullets, 5 decimals
    numbered(made, "Number inside", 5, 1)
    numbered(made, "Bullet again", 1, 0)
    made.add_paragraph("After")
    out = io.BytesIO()
    made.save(out)

    blocks = blocks_from_docx(docx_open(out.getvalue()), store_image=lambda *_: None)

    assert outline(blocks) == [
        ("bulletList", ""),
        ("listItem", ""),
        ("paragraph", "Bullet"),
        ("orderedList", ""),
        ("listItem", ""),
        ("paragraph", "Number inside"),
        ("listItem", ""),
        ("paragraph", "Bullet again"),
        ("paragraph", "After"),
    ]


def test_a_body_declared_too_large_is_413_before_it_is_read(room_with_everyone, settings):
    settings.COLLAB_IMPORT_MAX_BYTES = 10
    room = room_with_everyone.room
    declared = {
        "CONTENT_LENGTH": str(10 + 64 * 1024 + 1),
        "content_type": "multipart/form-data; boundary=b",
    }
    editor = room_with_everyone.client("editor")
    outsider = room_with_everyone.client("outsider")

    refused = editor.post(f"/api/v1/rooms/{room.pk}/documents/import", b"", **declared)
    hidden = outsider.post(f"/api/v1/rooms/{room.pk}/documents/import", b"", **declared)

    assert (refused.status_code, refused.json()["code"]) == (413, "import_too_large")
    assert hidden.status_code == 404


def test_a_word_file_that_unpacks_too_large_is_413_and_creates_nothing(
    room_with_everyone, monkeypatch
):
    monkeypatch.setattr("rooms.documents.formats.docx_import.MAX_UNPACKED_BYTES", 20_000)
    before = Document.objects.count()
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_file())) as source:
        with zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
            for member in source.infolist():
                target.writestr(member, source.read(member))
            target.writestr("customXml/padding.xml", "<a/>" + " " * 50_000)

    response = import_new(room_with_everyone, "bomb.docx", padded.getvalue())

    assert (response.status_code, response.json()["code"]) == (413, "import_too_large")
    assert Document.objects.count() == before
