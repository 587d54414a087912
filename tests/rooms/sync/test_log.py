"""The update log: a group commit numbers each document's updates without gaps, whatever
the mix of documents in the batch, and skips documents that are gone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from rooms.documents.models import Document
from rooms.sync import log
from rooms.sync.models import DocumentUpdate
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(document_id: uuid.UUID, data: bytes, author_id: int | None = None):
    return log.PendingUpdate(document_id=document_id, data=data, author_id=author_id)


def test_a_mixed_batch_numbers_each_document_in_order_and_continues_after_its_last():
    first, second = DocumentFactory(), DocumentFactory()
    assert log.updates_append([pending(first.pk, b"a0")]) == [1]
    author = UserFactory()
    batch = [
        pending(second.pk, b"b1"),
        pending(first.pk, b"a1", author.pk),
        pending(second.pk, b"b2"),
        pending(first.pk, b"a2"),
    ]
    assert log.updates_append(batch) == [1, 2, 2, 3]
    logged = {
        (row.document_id, row.seq): (bytes(row.data), row.author_id)
        for row in DocumentUpdate.objects.all()
    }
    assert logged == {
        (first.pk, 1): (b"a0", None),
        (first.pk, 2): (b"a1", author.pk),
        (first.pk, 3): (b"a2", None),
        (second.pk, 1): (b"b1", None),
        (second.pk, 2): (b"b2", None),
    }
    assert log.last_seqs([first.pk, second.pk]) == {first.pk: 3, second.pk: 2}
    stamps = DocumentUpdate.objects.values_list("created_at", flat=True)
    assert all(abs(timezone.now() - stamp) < timedelta(minutes=1) for stamp in stamps)


def test_a_batch_longer_than_one_statement_is_stored_whole_and_in_order():
    documents = [DocumentFactory() for _ in range(3)]
    batch = [pending(documents[i % 3].pk, f"u{i}".encode()) for i in range(500)]

    seqs = log.updates_append(batch)

    assert seqs == [i // 3 + 1 for i in range(500)]
    logged = {(row.document_id, row.seq): bytes(row.data) for row in DocumentUpdate.objects.all()}
    assert logged == {(documents[i % 3].pk, i // 3 + 1): f"u{i}".encode() for i in range(500)}


def test_updates_of_a_document_that_is_gone_get_no_number_and_are_not_stored():
    kept = DocumentFactory()
    gone = DocumentFactory()
    gone_id = gone.pk
    Document.objects.filter(pk=gone_id).delete()
    batch = [pending(gone_id, b"x"), pending(kept.pk, b"k"), pending(uuid.uuid4(), b"y")]
    assert log.updates_append(batch) == [None, 1, None]
    assert list(DocumentUpdate.objects.values_list("document_id", "seq")) == [(kept.pk, 1)]
