"""The storage of a document's Yjs state: its compacted state (``DocumentState``) followed by
the updates appended since (``DocumentUpdate``, numbered per document by ``seq``). Only the
document log writes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rooms.documents.models import Document


class DocumentState(models.Model):
    """The compacted Yjs state of a document: every update up to and including ``seq``."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="state"
    )
    data = models.BinaryField()
    seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"State of {self.document_id} up to {self.seq}"


class DocumentUpdate(models.Model):
    """One committed Yjs update in a document's append-only log."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="updates")
    seq = models.BigIntegerField()
    data = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="document_update_seq_unique"),
            models.CheckConstraint(
                condition=models.Q(seq__gte=1), name="document_update_seq_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Update {self.seq} of {self.document_id}"


class DocumentAuthor(models.Model):
    """Who wrote with a Yjs client id in a document: the author of the first logged update
    that inserted structs of that client. Written by the log as it appends, so it outlives the
    log rows compaction merges away."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="authors")
    client_id = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "client_id"], name="document_author_client_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Client {self.client_id} of {self.document_id}"
