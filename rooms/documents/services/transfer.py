"""Documents in and out as files: export a document as Markdown, HTML, PDF or DOCX (a
whiteboard as SVG, PNG or PDF), and import a Markdown, HTML or DOCX file as a new document or
into an existing one.

An import into an existing document is a server-side edit like ``document_content_write``:
one Yjs update through ``document_update_append`` (If-Match, commit before it is sent, every
editor sees it at once). A new document is created and filled in one transaction, so a file
that cannot be read or is too large leaves nothing behind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from pycrdt import Doc

from rooms.core.errors import ImportTooLarge, Invalid, NotFound, UnsupportedFormat
from rooms.documents.content import tree
from rooms.documents.formats.docx_export import document_docx
from rooms.documents.formats.docx_import import blocks_from_docx, docx_open
from rooms.documents.formats.html_export import document_html_file
from rooms.documents.formats.html_import import blocks_from_html
from rooms.documents.formats.images import ImageStorer
from rooms.documents.formats.pdf_export import document_pdf
from rooms.documents.formats.text_formats import blocks_from_markdown, markdown_of
from rooms.documents.formats.whiteboard_export import whiteboard_pdf, whiteboard_png, whiteboard_svg
from rooms.documents.models import Document, DocumentKind
from rooms.documents.selectors import document_access
from rooms.documents.services.content import WriteMode, document_update_append
from rooms.documents.services.documents import document_create
from rooms.documents.services.transfer_images import image_reader, image_storer
from rooms.sync import log


class ExportFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    SVG = "svg"
    PNG = "png"


TEXT_EXPORTS = (ExportFormat.MARKDOWN, ExportFormat.HTML, ExportFormat.PDF, ExportFormat.DOCX)
WHITEBOARD_EXPORTS = (ExportFormat.PNG, ExportFormat.SVG, ExportFormat.PDF)
_EXTENSIONS = {ExportFormat.MARKDOWN: "md"}
_CONTENT_TYPES = {
    ExportFormat.MARKDOWN: "text/markdown; charset=utf-8",
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportFormat.SVG: "image/svg+xml",
    ExportFormat.PNG: "image/png",
}


class ImportFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"
    DOCX = "docx"


_IMPORT_EXTENSIONS = {
    "md": ImportFormat.MARKDOWN,
    "markdown": ImportFormat.MARKDOWN,
    "html": ImportFormat.HTML,
    "htm": ImportFormat.HTML,
    "docx": ImportFormat.DOCX,
}
_UNSAFE_FILENAME = re.compile(r"[^\w .()-]+")


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    body: bytes


def document_export(*, actor: Any, document_id: Any, format: str | None) -> ExportedFile:
    """A document the actor may read as a file: a text document as markdown, html, pdf or
    docx, a whiteboard as png, svg or pdf. Raises ``NotFound`` like ``document_access`` and
    ``Invalid`` (``invalid_format``) for another format."""
    document, _ = document_access(user=actor, document_id=document_id)
    chosen = _export_format(format, document.kind)
    try:
        doc = log.document_load(document.pk).to_doc()
    except log.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    extension = _EXTENSIONS.get(chosen, chosen.value)
    return ExportedFile(
        filename=f"{export_filename(document.title)}.{extension}",
        content_type=_CONTENT_TYPES[chosen],
        body=_render(actor, document, doc, chosen),
    )


def export_filename(title: str) -> str:
    """A file name (without extension) safe on every system, from a document's title."""
    name = _UNSAFE_FILENAME.sub("", title).strip(" .")[:100]
    return name or "document"


def _export_format(value: str | None, kind: str) -> ExportFormat:
    allowed = WHITEBOARD_EXPORTS if kind == DocumentKind.WHITEBOARD else TEXT_EXPORTS
    try:
        chosen = ExportFormat(value or "")
    except ValueError:
        chosen = None
    if chosen not in allowed:
        names = ", ".join(f.value for f in allowed)
        raise Invalid(f"Format must be one of {names}.", code="invalid_format", field="format")
    assert chosen is not None
    return chosen


def _render(actor: Any, document: Document, doc: Doc[Any], chosen: ExportFormat) -> bytes:
    read_image = image_reader(actor=actor, document_id=document.pk)
    if document.kind == DocumentKind.WHITEBOARD:
        shapes = tree.whiteboard_json(doc)

        def board_image(image_id: str) -> bytes | None:
            return read_image(f"/api/v1/documents/{document.pk}/images/{image_id}")

        if chosen == ExportFormat.SVG:
            return whiteboard_svg(shapes, board_image).encode()
        if chosen == ExportFormat.PNG:
            return whiteboard_png(shapes, board_image)
        return whiteboard_pdf(
            shapes,
            title=document.title,
            read_image=board_image,
            fallback_fonts=settings.COLLAB_PDF_FALLBACK_FONTS,
        )
    content = tree.text_document_json(doc)
    if chosen == ExportFormat.MARKDOWN:
        return markdown_of(content).encode()
    if chosen == ExportFormat.HTML:
        return document_html_file(content, title=document.title, read_image=read_image).encode()
    if chosen == ExportFormat.PDF:
        return document_pdf(
            content,
            title=document.title,
            read_image=read_image,
            fallback_fonts=settings.COLLAB_PDF_FALLBACK_FONTS,
        )
    return document_docx(content, title=document.title, read_image=read_image)


def import_format(filename: str) -> ImportFormat:
    """The format a file is in, from its name's extension. Raises ``UnsupportedFormat``."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    chosen = _IMPORT_EXTENSIONS.get(extension)
    if chosen is None:
        raise UnsupportedFormat(
            "Import takes Markdown (.md), HTML (.html) or Word (.docx) files.",
            code="unsupported_format",
            field="file",
        )
    return chosen


def import_check_size(size: int) -> None:
    """Raise ``ImportTooLarge`` for a file larger than ``COLLAB_IMPORT_MAX_BYTES``."""
    if size > settings.COLLAB_IMPORT_MAX_BYTES:
        raise ImportTooLarge(
            f"Imported files are at most {settings.COLLAB_IMPORT_MAX_BYTES} bytes.", field="file"
        )


class _ParsedFile:
    """A file read far enough to know it is valid; its blocks are made once the document it
    goes into exists (its pictures are stored as that document's images)."""

    def __init__(self, data: bytes, filename: str) -> None:
        import_check_size(len(data))
        self.format = import_format(filename)
        self.docx = docx_open(data) if self.format == ImportFormat.DOCX else None
        self.text = "" if self.docx is not None else _decode(data)

    def blocks(self, store_image: ImageStorer) -> list[tree.Node]:
        if self.docx is not None:
            blocks = blocks_from_docx(self.docx, store_image=store_image)
        elif self.format == ImportFormat.HTML:
            blocks = blocks_from_html(self.text, store_image=store_image)
        else:
            blocks = blocks_from_markdown(self.text)
        return blocks or [{"type": "paragraph"}]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid("The file is not UTF-8 text.", code="corrupt_file", field="file") from error


def document_import(
    *, actor: Any, room_id: Any, data: bytes, filename: str, title: str | None = None
) -> Document:
    """A new text document in the room holding the file's content, titled ``title`` or the
    file's name. Editors and owners only. Raises ``UnsupportedFormat``, ``ImportTooLarge``,
    ``Invalid`` (``corrupt_file``), and what ``document_create`` and
    ``document_update_append`` raise; on any of them nothing is created."""
    parsed = _ParsedFile(data, filename)
    name = title if title and title.strip() else filename.rsplit(".", 1)[0]
    with transaction.atomic():
        document = document_create(
            actor=actor, room_id=room_id, title=name[:200], kind=DocumentKind.TEXT
        )
        with image_storer(actor=actor, document_id=document.pk) as store_image:
            blocks = parsed.blocks(store_image)
            document_update_append(
                actor=actor,
                document_id=document.pk,
                if_match=None,
                build=lambda _, doc: tree.replace_blocks(doc, blocks),
            )
    return document


def document_import_into(
    *,
    actor: Any,
    document_id: Any,
    data: bytes,
    filename: str,
    mode: WriteMode,
    if_match: str | None = None,
) -> int:
    """Append the file's content to a text document, or replace its content with it, as one
    live edit; returns the new sequence number. Raises what ``document_import`` raises for
    the file, ``Invalid`` (``wrong_document_kind``) for a whiteboard, and what
    ``document_update_append`` raises; nothing changes on any of them."""
    parsed = _ParsedFile(data, filename)
    document, _ = document_access(user=actor, document_id=document_id)
    if document.kind != DocumentKind.TEXT:
        raise Invalid("Whiteboards have no text content.", code="wrong_document_kind")

    def build(_: Document, doc: Doc[Any]) -> bytes:
        if mode == WriteMode.APPEND:
            return tree.append_blocks(doc, blocks)
        return tree.replace_blocks(doc, blocks)

    # The pictures are stored first; a refused edit (a stale If-Match, too large) takes them back.
    with (
        transaction.atomic(),
        image_storer(actor=actor, document_id=document.pk) as store_image,
    ):
        blocks = parsed.blocks(store_image)
        return document_update_append(
            actor=actor, document_id=document.pk, if_match=if_match, build=build
        )
