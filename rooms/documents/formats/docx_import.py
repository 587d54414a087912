"""A Word file (DOCX) → the document's block nodes, read with python-docx.

Headings come from the Heading 1-6 and Title styles, list items from the paragraph's
numbering (or a List Bullet / List Number style), nested by level, bullets or numbers from the
numbering's format; runs keep bold, italic, strike, a monospace font as code, and hyperlinks;
Quote styles become quotes; tables keep their cells (the first row is a header when Word marks
it so or it is all bold); pictures are stored through ``store_image``."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from docx import Document as open_docx
from docx.document import Document as Docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun
from lxml.etree import XMLSyntaxError

from rooms.core.errors import ImportTooLarge, Invalid
from rooms.documents.content.tree import Node
from rooms.documents.formats.images import ImageStorer
from rooms.documents.formats.text_formats import safe_link

_HEADING_STYLE = re.compile(r"^Heading ([1-6])$")
_MONOSPACE = ("courier", "consolas", "mono", "menlo", "monaco")
_ORDERED_FORMATS = {"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"}
_DRAWING = f".//{qn('a:blip')}"
CORRUPT = "The file is not a readable Word (.docx) document."
# A small file may unpack to gigabytes of XML (a zip bomb): refused before it is parsed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def docx_open(data: bytes) -> Docx:
    """The parsed Word file. Raises ``Invalid`` (``corrupt_file``) for bytes that are not one,
    and ``ImportTooLarge`` for one that unpacks to more than ``MAX_UNPACKED_BYTES``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except zipfile.BadZipFile as error:
        raise Invalid(CORRUPT, code="corrupt_file", field="file") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportTooLarge(
            f"The Word file unpacks to more than {MAX_UNPACKED_BYTES} bytes.", field="file"
        )
    try:
        return open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as e:
        raise Invalid(CORRUPT, code="corrupt_file", field="file") from e


def blocks_from_docx(docx: Docx, *, store_image: ImageStorer) -> list[Node]:
    """The blocks of a Word file opened with ``docx_open``."""
    return _Reader(docx, store_image).read()


class _Reader:
    def __init__(self, docx: Docx, store_image: ImageStorer) -> None:
        self.docx = docx
        self.store_image = store_image
        self.blocks: list[Node] = []
        self.lists: list[tuple[int, Node]] = []  # the open lists: (level, list node)
        # Style names by id, read once: python-docx searches every style on each lookup.
        self.style_names = {style.style_id: style.name or "" for style in docx.styles}

    def read(self) -> list[Node]:
        for item in self.docx.iter_inner_content():
            if isinstance(item, Table):
                self.close_lists()
                self.blocks.append(self.table(item))
            else:
                self.paragraph(item)
        return self.blocks

    def paragraph(self, paragraph: Paragraph) -> None:
        content, images = self.inline(paragraph)
        style = self.style_names.get(paragraph._p.style or "", "")
        numbering = _numbering(paragraph)
        if numbering is None and style.startswith(("List Bullet", "List Number")):
            level = int(style[-1]) - 1 if style[-1].isdigit() else 0
            numbering = (level, "orderedList" if "Number" in style else "bulletList")
        if numbering is not None:
            self.list_item(numbering[0], numbering[1], content)
        else:
            self.close_lists()
            heading = _HEADING_STYLE.match(style or "")
            level = 1 if style == "Title" else int(heading.group(1)) if heading else 0
            if level:
                self.blocks.append(
                    _with_content({"type": "heading", "attrs": {"level": level}}, content)
                )
            elif "Quote" in style:
                self.blocks.append({"type": "blockquote", "content": [_paragraph(content)]})
            elif content or not images:
                self.blocks.append(_paragraph(content))
        self.blocks.extend(images)

    def list_item(self, level: int, kind: str, content: list[Node]) -> None:
        item = {"type": "listItem", "content": [_paragraph(content)]}
        while self.lists and self.lists[-1][0] > level:
            self.lists.pop()
        if self.lists and self.lists[-1][0] == level and self.lists[-1][1]["type"] != kind:
            self.lists.pop()
        if self.lists and self.lists[-1][0] == level:
            self.lists[-1][1]["content"].append(item)
            return
        new_list: Node = {"type": kind, "content": [item]}
        if self.lists:
            self.lists[-1][1]["content"][-1]["content"].append(new_list)
        else:
            self.blocks.append(new_list)
        self.lists.append((level, new_list))

    def close_lists(self) -> None:
        self.lists = []

    def inline(self, paragraph: Paragraph) -> tuple[list[Node], list[Node]]:
        """The paragraph's text nodes, and the image blocks its pictures make."""
        content: list[Node] = []
        images: list[Node] = []
        for part in paragraph.iter_inner_content():
            if isinstance(part, Hyperlink):
                href = safe_link(part.address) if part.address else None
                for run in part.runs:
                    content.extend(_run_text(run, href))
            else:
                content.extend(_run_text(part, None))
                images.extend(self.pictures(part, paragraph))
        return content, images

    def pictures(self, run: DocxRun, paragraph: Paragraph) -> list[Node]:
        images = []
        for blip in run._r.iterfind(_DRAWING):
            rel_id = blip.get(qn("r:embed"))
            part = paragraph.part.related_parts.get(rel_id) if rel_id else None
            if part is None:
                continue
            name = str(part.partname).rsplit("/", 1)[-1]
            described = run._r.find(f".//{qn('wp:docPr')}")
            alt = described.get("descr", "") if described is not None else ""
            src = self.store_image(part.blob, name)
            if src is not None:
                images.append({"type": "image", "attrs": {"src": src, "alt": alt or None}})
            elif alt:
                images.append(_paragraph([{"type": "text", "text": f"[image: {alt}]"}]))
        return images

    def table(self, table: Table) -> Node:
        rows = []
        for r, row in enumerate(table.rows):
            header = r == 0 and _is_header_row(row)
            cells = []
            for cell in row.cells:
                blocks = [_paragraph(self.inline(p)[0]) for p in cell.paragraphs]
                cells.append(
                    {
                        "type": "tableHeader" if header else "tableCell",
                        "attrs": {"colspan": 1, "rowspan": 1, "colwidth": None},
                        "content": blocks or [{"type": "paragraph"}],
                    }
                )
            rows.append({"type": "tableRow", "content": cells})
        return {"type": "table", "content": rows}


def _run_text(run: DocxRun, href: str | None) -> list[Node]:
    text = run.text
    if not text:
        return []
    marks: list[Node] = []
    if href:
        marks.append({"type": "link", "attrs": {"href": href}})
    if run.bold:
        marks.append({"type": "bold"})
    if run.italic:
        marks.append({"type": "italic"})
    if run.font.strike:
        marks.append({"type": "strike"})
    if run.font.name and run.font.name.lower().startswith(_MONOSPACE):
        marks.append({"type": "code"})
    nodes: list[Node] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            nodes.append({"type": "hardBreak"})
        if line:
            nodes.append({"type": "text", "text": line, **({"marks": marks} if marks else {})})
    return nodes


def _numbering(paragraph: Paragraph) -> tuple[int, str] | None:
    """The paragraph's list level and kind from its own numbering, if it has one."""
    properties = paragraph._p.pPr
    numbering: Any = properties.numPr if properties is not None else None
    if numbering is None or numbering.numId is None or numbering.numId.val == 0:
        return None
    level = numbering.ilvl.val if numbering.ilvl is not None else 0
    return level, _numbering_kind(paragraph, numbering.numId.val, level)


def _numbering_kind(paragraph: Paragraph, num_id: int, level: int) -> str:
    try:
        numbering = paragraph.part.numbering_part.element  # type: ignore[attr-defined]
    except (KeyError, NotImplementedError):
        return "bulletList"
    abstract = numbering.xpath(f"./w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")
    if not abstract:
        return "bulletList"
    # A level the definition leaves out follows the deepest one above it that it defines.
    defined = {}
    for lvl in numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract[0]}']/w:lvl"):
        number_format = lvl.find(qn("w:numFmt"))
        if number_format is not None and lvl.get(qn("w:ilvl"), "0").isdigit():
            defined[int(lvl.get(qn("w:ilvl"), "0"))] = number_format.get(qn("w:val"))
    above = [at for at in defined if at <= level]
    number_format = defined[max(above)] if above else None
    return "orderedList" if number_format in _ORDERED_FORMATS else "bulletList"


def _is_header_row(row: object) -> bool:
    properties = row._tr.trPr  # type: ignore[attr-defined]
    if properties is not None and properties.find(qn("w:tblHeader")) is not None:
        return True
    runs = [run for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text]  # type: ignore[attr-defined]
    return bool(runs) and all(run.bold for run in runs)


def _paragraph(content: list[Node]) -> Node:
    return _with_content({"type": "paragraph"}, content)


def _with_content(node: Node, content: list[Node]) -> Node:
    return {**node, "content": content} if content else node
