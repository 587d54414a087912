"""The search index of documents: the plain text of each document, kept for full-text search.

A document's Yjs state is binary and only pycrdt can read it, so search cannot look inside it.
``DocumentText`` holds what a reader sees (a text document's words, a whiteboard's texts
and alt texts) as of update ``seq``; the indexer in ``rooms/search/live_indexer.py`` and
the services that write content keep it current, and never let an older text replace a newer
one (see ``rooms.search.services.document_text_store``).
"""

from __future__ import annotations

from django.db import models


class DocumentText(models.Model):
    """The searchable text of one document at sequence number ``seq``."""

    document = models.OneToOneField(
        "rooms.Document", primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField(blank=True, default="")
    seq = models.BigIntegerField(
        default=0, help_text="The document's update the text was read at (newest wins)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Search text of {self.document_id} at {self.seq}"
