"""Search across a room: its documents' text, its chat messages and its comments.

Documents are searched through their ``DocumentText`` row, the plain text a reader sees
(a text document's words, a whiteboard's texts and alt texts). The row is written
by the live runtime's debounced indexer (``rooms/search/live_indexer.py``), after every REST
content write and version restore, and here, at search time, for any document of the room
whose row is missing or older than its newest update (the backfill for documents edited
before the index existed, or by a process that stopped before it indexed).

On PostgreSQL it is full-text search (``websearch_to_tsquery`` in the ``english``
configuration, the expression migration 0003's GIN index is built on), ranked, with
``ts_headline`` marking the matched words. Elsewhere (SQLite) every word must appear in the
text or the title, case-insensitively, and the snippet is cut around the first one.

A result carries a snippet with the offsets of its highlighted words (never HTML: the client
builds the markup) and ``match``, the first matched words as they appear in the document, so
the editor can find, scroll to and highlight them.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from pycrdt import Doc, Map

from rooms.chat.models import Message
from rooms.chat.selectors import message_search
from rooms.comments.models import Comment
from rooms.comments.selectors import comment_search
from rooms.core.errors import Invalid
from rooms.documents.content import render as formats
from rooms.documents.content import tree as content
from rooms.documents.models import Document, DocumentKind
from rooms.membership.selectors import room_access
from rooms.search.models import DocumentText
from rooms.sync import log

logger = logging.getLogger(__name__)

# The PostgreSQL text search configuration; migration 0003's GIN index uses exactly it.
DOCUMENT_SEARCH_CONFIG = "english"
MAX_QUERY_TERMS = 10
MAX_DOCUMENT_RESULTS = 20
MAX_MESSAGE_RESULTS = 20
MAX_COMMENT_RESULTS = 20
# Documents whose index row is missing or stale that one search brings up to date, at most
# (the rest are the live indexer's, or the next search's).
MAX_REFRESH_PER_SEARCH = 20
SNIPPET_CHARS = 160
# Whiteboard shapes whose ``text`` a reader sees: their own, a note's, a label, a frame's title.
TEXT_SHAPES = ("text", "sticky", "rect", "ellipse", "frame", "line", "arrow")
# Characters PostgreSQL text cannot hold (NUL) or that mark highlights in ``ts_headline``.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_START, _STOP = "\x01", "\x02"


@dataclass(frozen=True)
class DocumentHit:
    """A document that matched, with where."""

    document: Document
    snippet: str
    highlights: list[tuple[int, int]]  # [start, end) offsets in ``snippet``
    match: str  # the first matched words as written in the document ("" if only the title)


@dataclass(frozen=True)
class RoomSearchResult:
    query: str
    documents: list[DocumentHit] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


# --- the index -----------------------------------------------------------------------------


def searchable_text(doc: Doc[Any], kind: str) -> str:
    """What a reader sees of a loaded document, as plain text: a text document's blocks, or a
    whiteboard's texts (text shapes, sticky notes, labels of shapes and connectors, frame titles,
    images' alt text), separated by blank lines. Control characters
    become spaces (PostgreSQL refuses NUL, and two of them mark highlights)."""
    if kind == DocumentKind.WHITEBOARD:
        texts: list[str] = []
        for _, shape in sorted(doc.get(content.SHAPES, type=Map).items()):
            if not isinstance(shape, Map):
                continue
            shape_type = shape.get("type")
            value = shape.get("text") if shape_type in TEXT_SHAPES else shape.get("alt")
            shown = shape_type in (*TEXT_SHAPES, "image")
            if shown and isinstance(value, str) and value.strip():
                texts.append(value)
        text = "\n\n".join(texts)
    else:
        text = formats.document_text(content.text_document_json(doc))
    return _CONTROL.sub(" ", text)


def document_text_store(*, document_id: uuid.UUID, text: str, seq: int) -> bool:
    """Keep ``text`` as the document's searchable text as of update ``seq``, unless the row
    already holds a newer one (indexers in several processes, and REST writes, race: the
    newest update wins). Returns whether it was stored; ``False`` too for a deleted
    document."""
    now = timezone.now()
    rows = DocumentText.objects.filter(document_id=document_id)
    if rows.filter(seq__lte=seq).update(text=text, seq=seq, updated_at=now):
        return True
    if rows.exists() or not Document.objects.filter(pk=document_id).exists():
        return False
    try:
        with transaction.atomic():
            DocumentText.objects.create(document_id=document_id, text=text, seq=seq)
    except IntegrityError:  # created meanwhile (or the document deleted): newest wins again
        return bool(rows.filter(seq__lte=seq).update(text=text, seq=seq, updated_at=now))
    return True


def document_index_from_state(*, document_id: uuid.UUID, state: bytes, seq: int) -> bool:
    """Index a document from an encoded Yjs state read at update ``seq`` (what the live
    indexer passes). Returns whether the row was written."""
    kind = Document.objects.filter(pk=document_id).values_list("kind", flat=True).first()
    if kind is None:
        return False
    return document_text_store(
        document_id=document_id, text=searchable_text(content.load(state), kind), seq=seq
    )


def document_index(*, document_id: uuid.UUID) -> bool:
    """Index a document from its stored state and log (the backfill). Returns whether the
    row was written; ``False`` for a deleted document."""
    kind = Document.objects.filter(pk=document_id).values_list("kind", flat=True).first()
    if kind is None:
        return False
    try:
        stored = log.document_load(document_id)
    except log.DocumentGone:
        return False
    doc = content.load(stored.state, [update for _, update in stored.updates])
    return document_text_store(
        document_id=document_id, text=searchable_text(doc, kind), seq=stored.seq
    )


def document_written(document: Document, doc: Doc[Any], seq: int) -> None:
    """The document log's write subscriber: index a server-side write's ``doc`` in the
    writer's transaction, so the row commits (or rolls back) with the update itself."""
    document_text_store(document_id=document.pk, text=searchable_text(doc, document.kind), seq=seq)


def room_index_refresh(*, room_id: uuid.UUID, limit: int = MAX_REFRESH_PER_SEARCH) -> int:
    """Index the room's documents whose row is missing or older than their newest update,
    at most ``limit`` of them; returns how many were indexed."""
    stale = (
        Document.objects.filter(room_id=room_id)
        .filter(Q(search_text__isnull=True) | Q(search_text__seq__lt=F("last_seq")))
        .order_by("-updated_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(document_index(document_id=document_id) for document_id in stale)


# --- searching -----------------------------------------------------------------------------


def room_search(*, user: Any, room_id: Any, query: str) -> RoomSearchResult:
    """The room's documents, messages and comments that match ``query``, for anyone who may
    read the room (viewers and, in a public room, any signed-in user). Documents best match
    first on PostgreSQL (most recently edited first elsewhere), messages and comments (each
    containing every word) newest first.

    Raises ``NotFound`` (``room_not_found``) like ``room_access`` and ``Invalid`` (``blank``)
    for a query with no words.
    """
    terms = query.split()[:MAX_QUERY_TERMS]
    if not terms:
        raise Invalid("Search for at least one word.", code="blank", field="q")
    access = room_access(user=user, room_id=room_id)
    room_index_refresh(room_id=access.room.pk)
    words = " ".join(terms)
    if connection.vendor == "postgresql":
        documents = _documents_postgresql(access.room.pk, words, terms)
    else:
        documents = _documents_fallback(access.room.pk, terms)
    messages = list(message_search(user=user, query=words, room=access.room)[:MAX_MESSAGE_RESULTS])
    comments = list(comment_search(room=access.room, terms=terms)[:MAX_COMMENT_RESULTS])
    return RoomSearchResult(query=words, documents=documents, messages=messages, comments=comments)


def _documents_postgresql(room_id: uuid.UUID, words: str, terms: list[str]) -> list[DocumentHit]:
    search = SearchQuery(words, config=DOCUMENT_SEARCH_CONFIG, search_type="websearch")
    title = Q()
    for term in terms:
        title &= Q(document__title__icontains=term)
    rows = (
        DocumentText.objects.filter(document__room_id=room_id)
        .alias(vector=SearchVector("text", config=DOCUMENT_SEARCH_CONFIG))
        .filter(Q(vector=search) | title)
        .annotate(
            rank=SearchRank(F("vector"), search),
            headline=SearchHeadline(
                "text",
                search,
                config=DOCUMENT_SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
                max_fragments=1,
            ),
        )
        .select_related("document")
        .order_by("-rank", "-document__updated_at")[:MAX_DOCUMENT_RESULTS]
    )
    return [_hit_from_headline(row.document, row.headline) for row in rows]


def _hit_from_headline(document: Document, headline: str) -> DocumentHit:
    """Turn ``ts_headline``'s marked text into a snippet with highlight offsets."""
    snippet: list[str] = []
    highlights: list[tuple[int, int]] = []
    length = 0
    for index, part in enumerate(re.split(f"[{_START}{_STOP}]", headline)):
        if index % 2 and part:
            highlights.append((length, length + len(part)))
        snippet.append(part)
        length += len(part)
    text = "".join(snippet)
    match = text[highlights[0][0] : highlights[0][1]] if highlights else ""
    return DocumentHit(document=document, snippet=text, highlights=highlights, match=match)


def _documents_fallback(room_id: uuid.UUID, terms: list[str]) -> list[DocumentHit]:
    rows = DocumentText.objects.filter(document__room_id=room_id)
    for term in terms:
        rows = rows.filter(Q(text__icontains=term) | Q(document__title__icontains=term))
    rows = rows.select_related("document").order_by("-document__updated_at")
    return [_hit_from_text(row.document, row.text, terms) for row in rows[:MAX_DOCUMENT_RESULTS]]


def _hit_from_text(document: Document, text: str, terms: list[str]) -> DocumentHit:
    """A snippet of about ``SNIPPET_CHARS`` around the first term found, every term in it
    highlighted."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first is not None and first.start() > SNIPPET_CHARS // 3:
        start = first.start() - SNIPPET_CHARS // 3
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_CHARS // 2, end)
        end = space if space != -1 else end
    snippet = text[start:end]
    highlights = [(found.start(), found.end()) for found in pattern.finditer(snippet)]
    match = first.group(0) if first is not None else ""
    return DocumentHit(document=document, snippet=snippet, highlights=highlights, match=match)
