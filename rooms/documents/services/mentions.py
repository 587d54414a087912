"""Mentions of people in text documents: finding the ones new since the last look, and
announcing each once (``signals.document_mentioned``; notifications tells the person).

A mention is Tiptap's ``mention`` node (attrs ``id``, the user's id as a string, and
``label``). Nothing on the edit path reads it: ``rooms.documents.mention_notes`` gathers the
documents the log commits and calls ``document_mentions_record`` for each a little later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from pycrdt import Doc

from rooms.core.errors import NotFound
from rooms.documents.content.tree import Node, text_document_json
from rooms.documents.models import Document, DocumentKind, DocumentMention
from rooms.documents.selectors import document_access
from rooms.documents.signals import document_mentioned
from rooms.sync import log
from rooms.sync.log import StoredDocument
from rooms.sync.models import DocumentUpdate

logger = logging.getLogger(__name__)

MENTION = "mention"
# Yjs writes an element's node name as a plain string in the update that inserts it, so a
# document none of whose stored bytes hold it has no mention, and needs no reading.
_MENTION_BYTES = MENTION.encode()


def _mention_nodes(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.get("type") == MENTION:
            yield current
        stack.extend(current.get("content") or ())


def mentioned_ids(content: Node) -> set[int]:
    """The ids of the people the ProseMirror JSON ``content`` mentions (ids that are not
    whole numbers are ignored: only a hand-made client writes them)."""
    ids = set()
    for node in _mention_nodes(content):
        value = str((node.get("attrs") or {}).get("id", ""))
        if value.isdigit():
            ids.add(int(value))
    return ids


def _doc_mentions(doc: Doc[Any]) -> set[int]:
    return mentioned_ids(text_document_json(doc))


def _may_mention(stored: StoredDocument) -> bool:
    chunks = [stored.state or b"", *(update for _, update in stored.updates)]
    return any(_MENTION_BYTES in chunk for chunk in chunks)


def _who_mentioned(document_id: Any, stored: StoredDocument, ids: set[int]) -> dict[int, int]:
    """For each of ``ids``, the author of the logged update after which the document first
    mentions them. Ids already in the compacted state (compaction merged the update that
    brought them in) have no author."""
    authors = dict(
        DocumentUpdate.objects.filter(document_id=document_id, seq__gt=stored.state_seq)
        .exclude(author__isnull=True)
        .values_list("seq", "author_id")
    )
    doc: Doc[Any] = Doc()
    if stored.state:
        doc.apply_update(stored.state)
    missing = ids - _doc_mentions(doc)
    found: dict[int, int] = {}
    for seq, update in stored.updates:
        if not missing:
            break
        doc.apply_update(update)
        if _MENTION_BYTES not in update:
            continue
        appeared = _doc_mentions(doc) & missing
        missing -= appeared
        if seq in authors:
            found.update(dict.fromkeys(appeared, authors[seq]))
    return found


def _readers(document: Document, user_ids: set[int]) -> list[Any]:
    """The active users of ``user_ids`` who may read ``document``: a mention of anyone else
    tells them nothing, not even that the document exists."""
    readers = []
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    for user in users:
        try:
            document_access(user=user, document_id=document.pk)
        except NotFound:
            continue
        readers.append(user)
    return readers


def document_mentions_record(*, document_id: Any) -> list[DocumentMention]:
    """Record the people the text document now mentions who were not recorded before and may
    read it, and announce each (``document_mentioned``) in the transaction that records them.
    Returns the new records. Someone mentioned who may not read the document is not recorded:
    an edit after they gain access tells them. A missing or deleted document, or a
    whiteboard, records nothing. Safe to run twice, or in two processes at once."""
    document = (
        Document.objects.select_related("room")
        .filter(pk=document_id, kind=DocumentKind.TEXT, room__deleted_at__isnull=True)
        .first()
    )
    if document is None:
        return []
    try:
        stored = log.document_load(document.pk)
    except log.DocumentGone:
        return []
    if not _may_mention(stored):
        return []
    present = _doc_mentions(stored.to_doc())
    known = set(DocumentMention.objects.filter(document=document).values_list("user_id", flat=True))
    readers = _readers(document, present - known)
    if not readers:
        return []
    by_whom = _who_mentioned(document.pk, stored, {user.pk for user in readers})
    authors = get_user_model().objects.in_bulk(set(by_whom.values()))
    recorded = []
    for user in readers:
        by = authors.get(by_whom.get(user.pk, 0))
        with transaction.atomic():
            mention, created = DocumentMention.objects.get_or_create(
                document=document, user=user, defaults={"mentioned_by": by}
            )
            if created:
                document_mentioned.send(sender=Document, document=document, user=user, by=by)
                recorded.append(mention)
    return recorded
