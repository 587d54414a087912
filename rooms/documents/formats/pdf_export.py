"""A text document as a PDF, laid out with fpdf2 (pure Python, no system libraries).

Headings in bold at falling sizes, lists indented with bullets or numbers per level, task
items with [ ] or [x], quotes indented, code in a monospace face, tables with a bold header row,
links as live links, images from ``read_image`` (``[image: alt]`` when one cannot be read). Text
is in embedded Unicode fonts: see ``pdf_fonts``."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from fpdf import FPDF
from PIL import Image

from rooms.documents.content.tree import Node
from rooms.documents.formats.images import ImageReader
from rooms.documents.formats.pdf_fonts import MONO, SANS, PdfFonts, add_fonts
from rooms.documents.formats.runs import Run, attr, children, plain_text, runs_of

logger = logging.getLogger(__name__)

BODY_SIZE = 11
LINE = 6
INDENT = 7
_HEADING_SIZES = {1: 22, 2: 18, 3: 15, 4: 13, 5: 12, 6: 11}
# An image is printed at the size a browser shows it (96 pixels an inch), page width at most.
MM_PER_SCREEN_PIXEL = 25.4 / 96
_LISTS = ("bulletList", "orderedList", "taskList")


def document_pdf(
    document: Node,
    *,
    title: str,
    read_image: ImageReader,
    fallback_fonts: Sequence[str] = (),
) -> bytes:
    """The document as the bytes of a PDF file titled ``title``; ``fallback_fonts`` are font
    files for characters DejaVu lacks (see ``pdf_fonts.add_fonts``)."""
    pdf = FPDF(format="A4")
    fonts = add_fonts(pdf, fallback_fonts)
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(SANS, size=BODY_SIZE)
    _Writer(pdf, fonts, read_image).blocks(children(document), indent=0)
    fonts.report_missing(title)
    return bytes(pdf.output())


class _Writer:
    def __init__(self, pdf: FPDF, fonts: PdfFonts, read_image: ImageReader) -> None:
        self.pdf = pdf
        self.fonts = fonts
        self.read_image = read_image
        self.left = pdf.l_margin

    def blocks(self, nodes: list[Node], *, indent: float) -> None:
        for node in nodes:
            self.block(node, indent=indent)

    def block(self, node: Node, *, indent: float, prefix: str = "") -> None:
        kind = node.get("type")
        if kind == "heading":
            level = min(max(int(attr(node, "level", 1)), 1), 6)
            self.paragraph(runs_of(node), indent=indent, size=_HEADING_SIZES[level], bold=True)
        elif kind == "paragraph":
            self.paragraph([Run(prefix), *runs_of(node)], indent=indent)
        elif kind == "codeBlock":
            self.paragraph([Run(plain_text(node), code=True)], indent=indent)
        elif kind in _LISTS:
            self.list_block(node, indent=indent)
        elif kind == "blockquote":
            self.blocks(children(node), indent=indent + INDENT)
        elif kind == "table":
            self.table(node, indent=indent)
        elif kind == "image":
            self.image(node, indent=indent)
        elif kind == "horizontalRule":
            self.at(indent)
            y = self.pdf.get_y() + LINE / 2
            self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
            self.pdf.ln(LINE)
        else:
            self.blocks(children(node), indent=indent)

    def list_block(self, node: Node, *, indent: float) -> None:
        number = int(attr(node, "start", 1)) if node.get("type") == "orderedList" else 0
        for item in children(node):
            if node.get("type") == "orderedList":
                marker = f"{number}. "
                number += 1
            elif item.get("type") == "taskItem":
                marker = "[x] " if attr(item, "checked") is True else "[ ] "
            else:
                marker = "- "
            for i, child in enumerate(children(item)):
                if child.get("type") in _LISTS:
                    self.list_block(child, indent=indent + INDENT)
                else:
                    self.block(child, indent=indent + INDENT, prefix=marker if i == 0 else "")

    def paragraph(
        self, runs: list[Run], *, indent: float, size: int = BODY_SIZE, bold: bool = False
    ) -> None:
        self.at(indent)
        height = LINE * size / BODY_SIZE
        for run in runs:
            # The monospace face has no bold or italic: code is printed upright.
            family = MONO if run.code else SANS
            face = (
                "" if run.code else ("B" if run.bold or bold else "") + ("I" if run.italic else "")
            )
            self.pdf.set_font(family, style=face + ("U" if run.href else ""), size=size)
            text = self.fonts.printable(run.text, family=family, style=face)
            self.pdf.write(height, text, link=run.href or "")
        self.pdf.set_font(SANS, size=BODY_SIZE)
        self.pdf.ln(height + 2)
        self.at(0)

    def table(self, node: Node, *, indent: float) -> None:
        rows = [row for row in children(node) if row.get("type") == "tableRow"]
        if not rows:
            return
        header = all(cell.get("type") == "tableHeader" for cell in children(rows[0]))
        width = max(len(children(row)) for row in rows)
        self.at(indent)
        with self.pdf.table(first_row_as_headings=header, line_height=LINE) as table:
            for row_node in rows:
                row = table.row()
                cells = children(row_node)
                for cell in cells:
                    text = "\n".join(plain_text(block) for block in children(cell))
                    # A header cell is bold: checked against the bold face.
                    style = "B" if header and row_node is rows[0] else ""
                    row.cell(self.fonts.printable(text, family=SANS, style=style))
                for _ in range(width - len(cells)):
                    row.cell("")
        self.at(0)
        self.pdf.ln(2)

    def image(self, node: Node, *, indent: float) -> None:
        src = str(attr(node, "src", "") or "")
        alt = str(attr(node, "alt", "") or "")
        data = self.read_image(src) if src else None
        if data is not None:
            self.at(indent)
            try:
                with Image.open(io.BytesIO(data)) as picture:
                    width = min(self.pdf.epw, picture.width * MM_PER_SCREEN_PIXEL)
                self.pdf.image(io.BytesIO(data), w=width, alt_text=alt)
            except Exception:  # fpdf2 raises several kinds for a picture it cannot read
                logger.warning("An image of a document could not be put in a PDF: %s", src)
            else:
                self.pdf.ln(2)
                self.at(0)
                return
        self.paragraph([Run(f"[image: {alt or src}]", italic=True)], indent=indent)

    def at(self, indent: float) -> None:
        self.pdf.set_left_margin(self.left + indent)
        self.pdf.set_x(self.left + indent)
