"""Documents and files shared by the import and export tests."""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from rooms.documents.content import tree
from rooms.documents.services.content import document_update_append
from tests.factories import DocumentFactory


def text(value, *marks):
    node = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def paragraph(*content):
    return {"type": "paragraph", "content": list(content)}


def item(*blocks, kind="listItem"):
    return {"type": kind, "content": list(blocks)}


LINK = {"type": "link", "attrs": {"href": "https://example.com/plan"}}
IMAGE_SRC = "/api/v1/documents/00000000-0000-0000-0000-000000000001/images/0000-1"

RICH_BLOCKS = [
    {"type": "heading", "attrs": {"level": 1}, "content": [text("Launch plan")]},
    paragraph(text("Read "), text("the brief", LINK), text(" and "), text("act", {"type": "bold"})),
    {
        "type": "bulletList",
        "content": [
            item(
                paragraph(text("Outer point")),
                {"type": "orderedList", "content": [item(paragraph(text("Inner step")))]},
            )
        ],
    },
    {"type": "taskList", "content": [item(paragraph(text("Ship it")), kind="taskItem")]},
    {"type": "blockquote", "content": [paragraph(text("Quoted words"))]},
    {"type": "codeBlock", "attrs": {"language": "python"}, "content": [text("print(1)")]},
    {
        "type": "table",
        "content": [
            {
                "type": "tableRow",
                "content": [
                    {"type": "tableHeader", "content": [paragraph(text("Owner"))]},
                    {"type": "tableHeader", "content": [paragraph(text("Due"))]},
                ],
            },
            {
                "type": "tableRow",
                "content": [
                    {"type": "tableCell", "content": [paragraph(text("Ann"))]},
                    {"type": "tableCell", "content": [paragraph(text("Friday"))]},
                ],
            },
        ],
    },
    {"type": "image", "attrs": {"src": IMAGE_SRC, "alt": "The diagram"}},
]
RICH_BLOCKS[3]["content"][0]["attrs"] = {"checked": True}


def png_bytes(width=40, height=30, color="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def text_document(room, blocks, *, actor, **fields):
    """A stored text document holding ``blocks``, written the way the server writes."""
    document = DocumentFactory(room=room, **fields)
    document_update_append(
        actor=actor,
        document_id=document.pk,
        if_match=None,
        build=lambda _, doc: tree.replace_blocks(doc, blocks),
    )
    document.refresh_from_db()
    return document


def word_file(*, picture: bytes | None = None, picture_alt: str = "") -> bytes:
    """A .docx made with python-docx as Word would: a heading, a nested bulleted list, a
    numbered list, a table with a header row, a link and (optionally) a picture."""
    made = docx.Document()
    made.add_heading("Quarterly report", level=1)
    intro = made.add_paragraph("Results are ")
    intro.add_run("good").bold = True
    made.add_paragraph("First point", style="List Bullet")
    made.add_paragraph("Sub point", style="List Bullet 2")
    made.add_paragraph("Step one", style="List Number")
    table = made.add_table(rows=2, cols=2)
    for c, (head, value) in enumerate([("Region", "North"), ("Sales", "12")]):
        table.cell(0, c).paragraphs[0].add_run(head).bold = True
        table.cell(1, c).text = value
    if picture is not None:
        shape = made.add_picture(io.BytesIO(picture))
        if picture_alt:
            shape._inline.docPr.set("descr", picture_alt)
    linked = made.add_paragraph("See ")
    linked.add_run("the site")
    part = linked.part
    rel = part.relate_to("https://example.com/q3", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    link.append(linked.runs[-1]._r)
    linked._p.append(link)
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()
