"""A text document as a Word file (DOCX), written with python-docx.

Headings use Word's Heading 1-6 styles and lists its List Bullet / List Number styles (one
style per nesting level, up to three), so Word and an importer recognise them; task items are
bullets with a ☐ or ☑; quotes use the Quote style; code blocks a monospace font; tables have
their first row bold and repeated as a header. Images come from ``read_image``; one that
cannot be read is written as ``[image: alt]``."""

from __future__ import annotations

import io
import logging

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

from rooms.documents.content.tree import Node
from rooms.documents.formats.images import ImageReader
from rooms.documents.formats.runs import Run, attr, children, runs_of

logger = logging.getLogger(__name__)

MONOSPACE = "Courier New"
_LIST_STYLES = {
    "bulletList": "List Bullet",
    "taskList": "List Bullet",
    "orderedList": "List Number",
}
_MAX_IMAGE_WIDTH = Inches(6)


def document_docx(document: Node, *, title: str, read_image: ImageReader) -> bytes:
    """The document as the bytes of a .docx file titled ``title``."""
    docx = new_docx()
    docx.core_properties.title = title
    _Writer(docx, read_image).blocks(children(document), depth=0, quote=False)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, docx: Docx, read_image: ImageReader) -> None:
        self.docx = docx
        self.read_image = read_image
        self.style_ids: dict[str, str] = {}

    def paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph in the named style. The style's id is looked up once: python-docx
        searches every style on each lookup by name, which made a long document slow."""
        paragraph = self.docx.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.docx.styles[style].style_id
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def blocks(self, nodes: list[Node], *, depth: int, quote: bool) -> None:
        for node in nodes:
            self.block(node, depth=depth, quote=quote)

    def block(self, node: Node, *, depth: int, quote: bool) -> None:
        kind = node.get("type")
        if kind == "heading":
            level = min(max(int(attr(node, "level", 1)), 1), 6)
            self.runs(self.paragraph(f"Heading {level}"), runs_of(node))
        elif kind == "paragraph":
            self.runs(self.paragraph("Quote" if quote else None), runs_of(node))
        elif kind == "codeBlock":
            paragraph = self.paragraph()
            for run in runs_of(node):
                self.runs(paragraph, [Run(run.text, code=True)])
        elif kind in _LIST_STYLES:
            self.list_block(node, depth=depth)
        elif kind == "blockquote":
            self.blocks(children(node), depth=depth, quote=True)
        elif kind == "table":
            self.table(node)
        elif kind == "image":
            self.image(node)
        elif kind == "horizontalRule":
            self.paragraph().add_run("―" * 20)
        else:
            self.blocks(children(node), depth=depth, quote=quote)

    def list_block(self, node: Node, *, depth: int) -> None:
        base = _LIST_STYLES[str(node.get("type"))]
        style = base if depth == 0 else f"{base} {min(depth + 1, 3)}"
        for item in children(node):
            box = []
            if item.get("type") == "taskItem":
                box = [Run("☑ " if attr(item, "checked") is True else "☐ ")]
            first, *rest = children(item) or [{"type": "paragraph"}]
            if first.get("type") in ("paragraph", "heading"):
                self.runs(self.paragraph(style), box + runs_of(first))
            else:
                rest = [first, *rest]
            for child in rest:
                if child.get("type") in _LIST_STYLES:
                    self.list_block(child, depth=depth + 1)
                else:
                    self.block(child, depth=depth + 1, quote=False)

    def table(self, node: Node) -> None:
        rows = [row for row in children(node) if row.get("type") == "tableRow"]
        if not rows:
            return
        width = max(len(children(row)) for row in rows)
        table = self.docx.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell_node in enumerate(children(row)):
                cell = table.cell(r, c)
                header = cell_node.get("type") == "tableHeader"
                paragraph = cell.paragraphs[0]
                for i, block in enumerate(children(cell_node)):
                    if i:
                        paragraph = cell.add_paragraph()
                    runs = runs_of(block)
                    self.runs(paragraph, [_bold(run) for run in runs] if header else runs)
            if r == 0 and all(cell.get("type") == "tableHeader" for cell in children(row)):
                _repeat_as_header(table.rows[0])

    def image(self, node: Node) -> None:
        src = attr(node, "src", "")
        alt = str(attr(node, "alt", "") or "")
        data = self.read_image(str(src)) if src else None
        if data is not None:
            try:
                self.docx.add_picture(io.BytesIO(data))
            except Exception:  # python-docx raises several kinds for a picture it cannot read
                logger.warning("An image of a document could not be put in a DOCX: %s", src)
            else:
                picture = self.docx.inline_shapes[-1]
                if picture.width > _MAX_IMAGE_WIDTH:
                    picture.height = int(picture.height * _MAX_IMAGE_WIDTH / picture.width)
                    picture.width = _MAX_IMAGE_WIDTH
                _set_alt(picture, alt)
                return
        self.runs(self.paragraph(), [Run(f"[image: {alt or src}]", italic=True)])

    def runs(self, paragraph: Paragraph, runs: list[Run]) -> None:
        for run in runs:
            target = _hyperlink(paragraph, run.href) if run.href else None
            added = paragraph.add_run(run.text)
            added.bold = run.bold or None
            added.italic = run.italic or None
            added.font.strike = run.strike or None
            if run.code:
                added.font.name = MONOSPACE
                added.font.size = Pt(10)
            if target is not None:
                added.font.underline = True
                target.append(added._r)


def _bold(run: Run) -> Run:
    return Run(run.text, True, run.italic, run.strike, run.code, run.href)


def _hyperlink(paragraph: Paragraph, href: str) -> BaseOxmlElement:
    """A ``w:hyperlink`` at the end of the paragraph; runs moved into it become the link."""
    rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    return link


def _repeat_as_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_alt(picture: object, alt: str) -> None:
    if alt:
        picture._inline.docPr.set("descr", alt)  # type: ignore[attr-defined]
