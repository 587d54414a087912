"""Who wrote a document's text: the people behind its Yjs client ids.

Every Yjs item carries the id of the client that inserted it; the document log records, as it
appends, which signed-in person each client id of a document wrote for (``DocumentAuthor``),
so the map outlives compaction. Pycrdt does not expose items' ids, so the web app walks its
own copy of the document and colours the text with this map."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rooms.documents.selectors import document_access
from rooms.sync.models import DocumentAuthor


def document_authors(*, actor: Any, document_id: Any) -> QuerySet[DocumentAuthor]:
    """The document's client ids, each with who wrote with it (``author``, read with the
    profile), for an actor who may read the document; the API pages them by client id.

    Raises ``NotFound`` like ``document_access``.
    """
    document, _ = document_access(user=actor, document_id=document_id)
    return DocumentAuthor.objects.filter(document=document).select_related("author__profile")
