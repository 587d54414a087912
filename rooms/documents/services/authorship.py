"""Who wrote a document's text: the people behind its Yjs client ids.

Every Yjs item carries the id of the client that inserted it; the document log records, as it
appends, which signed-in person each client id of a document wrote for (``DocumentAuthor``),
so the map outlives compaction. Pycrdt does not expose items' ids, so the web app walks its
own copy of the document and colours the text with this map."""

from __future__ import annotations

from typing import Any

from rooms.core.serializers import user_summary
from rooms.documents.selectors import document_access
from rooms.sync.models import DocumentAuthor


def document_authors(*, actor: Any, document_id: Any) -> dict[str, dict[str, Any]]:
    """The document's client ids (as strings: JSON keys) and the summary of who wrote with
    each, for an actor who may read the document.

    Raises ``NotFound`` like ``document_access``.
    """
    document, _ = document_access(user=actor, document_id=document_id)
    rows = DocumentAuthor.objects.filter(document=document).select_related("author__profile")
    summaries: dict[int, dict[str, Any]] = {}
    authors: dict[str, dict[str, Any]] = {}
    for row in rows.order_by("client_id"):
        if row.author_id not in summaries:
            summaries[row.author_id] = user_summary(row.author)
        authors[str(row.client_id)] = summaries[row.author_id]
    return authors
