"""A document's content over REST: read in a chosen format, and written from the server.

A server-side write is an edit like any editor's: built as a Yjs update against the stored
document and written through the document log (``rooms.sync.log.write``), which appends it in
one transaction and after the commit sends it to every process that has the document open,
which applies it and passes it to its editors at once (a process that misses the message
reads it from the log).

The ETag of a document's content is its newest sequence number in quotes: it names one
committed state exactly, so ``If-Match`` with a stale one is refused with 412.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pycrdt import Doc

from rooms.core.errors import DocumentTooLarge, Forbidden, Invalid, NotFound, PreconditionFailed
from rooms.documents.content import render as formats
from rooms.documents.content import tree as content
from rooms.documents.content.markdown import MarkdownTooDeep
from rooms.documents.content.markdown import parse as parse_markdown
from rooms.documents.models import Document, DocumentKind
from rooms.documents.permissions import can_edit_document, require_not_archived
from rooms.documents.selectors import document_access
from rooms.membership.models import Role
from rooms.membership.permissions import Access, require_active_room, require_role
from rooms.sync import log

logger = logging.getLogger(__name__)


class ContentFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


class WriteMode(StrEnum):
    APPEND = "append"
    REPLACE = "replace"


@dataclass(frozen=True)
class DocumentContent:
    """A document's content in one format, at one committed sequence number."""

    document: Document
    format: ContentFormat
    seq: int
    body: Any  # a string, or JSON for the json format

    @property
    def etag(self) -> str:
        return etag_for(self.seq)


def etag_for(seq: int) -> str:
    return f'"{seq}"'


def if_match_allows(if_match: str | None, seq: int) -> bool:
    """Whether an ``If-Match`` header lets a write proceed on the state at ``seq``: absent,
    ``*``, or a list that holds the current ETag (strong comparison: a weak one never
    matches)."""
    if if_match is None:
        return True
    tags = {tag.strip() for tag in if_match.split(",")}
    return "*" in tags or etag_for(seq) in tags


def parse_format(value: str | None, kind: str) -> ContentFormat:
    """The requested format (``json`` when none is given). Raises ``Invalid`` with code
    ``invalid_format`` for an unknown one, or one the kind of document has not (a whiteboard
    is only JSON)."""
    if value is None or value == "":
        return ContentFormat.JSON
    try:
        chosen = ContentFormat(value)
    except ValueError:
        chosen = None
    if chosen is None or (kind == DocumentKind.WHITEBOARD and chosen != ContentFormat.JSON):
        allowed = "json" if kind == DocumentKind.WHITEBOARD else "text, markdown, html or json"
        raise Invalid(f"Format must be {allowed}.", code="invalid_format", field="format")
    return chosen


def render(doc: Doc[Any], kind: str, chosen: ContentFormat) -> Any:
    """A loaded document's content in a format ``parse_format`` allowed for its kind."""
    if kind == DocumentKind.WHITEBOARD:
        return {"shapes": content.whiteboard_json(doc)}
    document = content.text_document_json(doc)
    if chosen == ContentFormat.TEXT:
        return formats.document_text(document)
    if chosen == ContentFormat.MARKDOWN:
        return formats.document_markdown(document)
    if chosen == ContentFormat.HTML:
        return formats.document_html(document)
    return document


def document_content_read(*, actor: Any, document_id: Any, format: str | None) -> DocumentContent:
    """The content of a document the actor may read (viewers and up, and anyone signed in
    for a public room), in ``format``.

    Raises ``NotFound`` like ``document_access`` and ``Invalid`` (``invalid_format``).
    """
    document, _ = document_access(user=actor, document_id=document_id)
    chosen = parse_format(format, document.kind)
    try:
        stored = log.document_load(document.pk)
    except log.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    doc = stored.to_doc()
    return DocumentContent(
        document=document, format=chosen, seq=stored.seq, body=render(doc, document.kind, chosen)
    )


def require_edit(access: Access, document: Document) -> None:
    """Raise ``Forbidden`` unless the actor may change the document's content."""
    if not can_edit_document(access, document):
        require_active_room(access)
        require_role(access, Role.EDITOR, "edit documents")
        require_not_archived(document)
        raise Forbidden("The document is locked.", code="document_locked")


def document_update_append(
    *,
    actor: Any,
    document_id: Any,
    if_match: str | None,
    build: Callable[[Document, Doc[Any]], bytes | None],
) -> int:
    """Append the update ``build`` makes from the stored document, as ``actor``; returns the
    sequence number the document is at afterwards (unchanged when ``build`` returns
    ``None``: nothing to change).

    The document log locks the document row while the update is built and appended, so no
    other append or compaction comes between, and publishes it after the commit. Raises
    ``NotFound``, ``Forbidden``, ``PreconditionFailed`` and ``DocumentTooLarge``.
    """
    document, access = document_access(user=actor, document_id=document_id)
    require_edit(access, document)

    def check(last_seq: int) -> None:
        if not if_match_allows(if_match, last_seq):
            raise PreconditionFailed(f"The document changed: its ETag is now {etag_for(last_seq)}.")

    try:
        return log.write(document.pk, author_id=actor.pk, build=build, check=check)
    except log.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    except log.DocumentTooLarge as error:
        raise DocumentTooLarge(str(error)) from error


def _blocks_from(text: str | None, markdown: str | None) -> list[content.Node]:
    if (text is None) == (markdown is None):
        raise Invalid("Give either text or markdown.", code="text_or_markdown")
    if text is not None:
        return content.paragraphs_from_text(text)
    assert markdown is not None
    try:
        return parse_markdown(markdown)
    except MarkdownTooDeep as error:
        raise Invalid(str(error), code="markdown_too_deep", field="markdown") from error


def document_content_write(
    *,
    actor: Any,
    document_id: Any,
    mode: WriteMode,
    text: str | None = None,
    markdown: str | None = None,
    if_match: str | None = None,
) -> int:
    """Append paragraphs to a text document, or replace its whole content, from plain text
    (a blank line between paragraphs) or Markdown; returns the new sequence number.

    Editors and owners only (owners alone for a locked document). Appending adds whole
    paragraphs after the last block, so it never conflicts with live edits; replacing
    removes every block (edits made meanwhile inside them are lost) and leaves one empty
    paragraph when given nothing. Raises ``Invalid`` (``text_or_markdown``, ``blank`` for an
    empty append, ``markdown_too_deep``, ``wrong_document_kind`` for a whiteboard), plus what
    ``document_update_append`` raises.
    """
    blocks = _blocks_from(text, markdown)
    if mode == WriteMode.APPEND and not blocks:
        raise Invalid("There is nothing to append.", code="blank")

    def build(document: Document, doc: Doc[Any]) -> bytes:
        if document.kind != DocumentKind.TEXT:
            raise Invalid("Whiteboards have no text content.", code="wrong_document_kind")
        if mode == WriteMode.APPEND:
            return content.append_blocks(doc, blocks)
        return content.replace_blocks(doc, blocks or [{"type": "paragraph"}])

    return document_update_append(
        actor=actor, document_id=document_id, if_match=if_match, build=build
    )
