"""A document's content over REST: read in a chosen format, and written from the server.

A server-side write is an edit like any editor's: built as a Yjs update against the stored
document, appended to the log in one transaction, and after the commit sent through the
channel layer to every process that has the document open, which applies it and passes it to
its editors at once (a process that misses the message reads it from the log).

The ETag of a document's content is its newest sequence number in quotes: it names one
committed state exactly, so ``If-Match`` with a stale one is refused with 412.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from pycrdt import Doc

from rooms.core.errors import DocumentTooLarge, Forbidden, Invalid, NotFound, PreconditionFailed
from rooms.documents.content import render as formats
from rooms.documents.content import tree as content
from rooms.documents.content.markdown import parse as parse_markdown
from rooms.documents.models import Document, DocumentKind
from rooms.documents.selectors import document_access
from rooms.membership.models import Role
from rooms.membership.permissions import (
    Access,
    can_edit_document,
    require_active_room,
    require_role,
)
from rooms.search import services as search
from rooms.sync import store
from rooms.sync.compaction import stored_document
from rooms.sync.runtime import Runtime
from rooms.webhooks.services.emit import document_updated_soon

logger = logging.getLogger(__name__)

# Marks a message that no runtime sent, so every process (this one too) applies it.
PUBLISHER = "rest"


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
        stored = stored_document(document.pk)
    except store.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    doc = content.load(stored.state, [update for _, update in stored.updates])
    return DocumentContent(
        document=document, format=chosen, seq=stored.seq, body=render(doc, document.kind, chosen)
    )


def require_edit(access: Access, document: Document) -> None:
    """Raise ``Forbidden`` unless the actor may change the document's content."""
    if not can_edit_document(access, document):
        require_active_room(access)
        require_role(access, Role.EDITOR, "edit documents")
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

    The document row is locked while the update is built and appended, so no other append
    or compaction comes between; after the commit the update is published to every process
    with the document open. Raises ``NotFound``, ``Forbidden``, ``PreconditionFailed`` and
    ``DocumentTooLarge``.
    """
    document, access = document_access(user=actor, document_id=document_id)
    require_edit(access, document)
    with transaction.atomic():
        locked = Document.objects.select_for_update().filter(pk=document.pk).first()
        if locked is None:
            raise NotFound("No such document.", code="document_not_found")
        if not if_match_allows(if_match, locked.last_seq):
            raise PreconditionFailed(
                f"The document changed: its ETag is now {etag_for(locked.last_seq)}."
            )
        stored = store.document_load(locked.pk)
        doc = content.load(stored.state, [update for _, update in stored.updates])
        update = build(locked, doc)
        if update is None:
            return locked.last_seq
        size = len(stored.state or b"") + sum(len(data) for _, data in stored.updates)
        limit = settings.COLLAB_MAX_DOCUMENT_BYTES
        if size + len(update) > limit:
            raise DocumentTooLarge(f"Documents are at most {limit} bytes.")
        (seq,) = store.updates_append(
            [store.PendingUpdate(document_id=locked.pk, data=update, author_id=actor.pk)]
        )
        assert seq is not None  # the row is locked: it cannot have gone
        search.document_index_written(document_id=locked.pk, doc=doc, kind=locked.kind, seq=seq)
        transaction.on_commit(lambda: _committed(document_id=locked.pk, seq=seq, update=update))
    return seq


def _committed(*, document_id: uuid.UUID, seq: int, update: bytes) -> None:
    """After a server-side write commits: live editors get it, and webhooks' debounced
    ``document.updated`` is noted, as for an edit through the sync runtime."""
    update_publish(document_id=document_id, seq=seq, update=update)
    document_updated_soon({document_id})


def update_publish(*, document_id: uuid.UUID, seq: int, update: bytes) -> None:
    """Send a committed update to every process that has the document open. The channel
    layer is only the fast path: a failure is logged, and processes catch up from the log."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "doc.update",
        "seq": seq,
        "update": update,
        "document": str(document_id),
        "process": PUBLISHER,
    }
    try:
        async_to_sync(layer.group_send)(Runtime.group_name(document_id), message)
    except Exception:
        logger.warning("could not publish update %d of %s", seq, document_id, exc_info=True)


def _blocks_from(text: str | None, markdown: str | None) -> list[content.Node]:
    if (text is None) == (markdown is None):
        raise Invalid("Give either text or markdown.", code="text_or_markdown")
    if text is not None:
        return content.paragraphs_from_text(text)
    assert markdown is not None
    return parse_markdown(markdown)


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
    empty append, ``wrong_document_kind`` for a whiteboard), plus what
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
