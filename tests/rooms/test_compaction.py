"""Compaction merges a document's log into its state in one transaction that deletes exactly
the rows it merged, and the content before and after is identical; and the Celery tasks that
run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map, Text, XmlElement, XmlFragment, XmlText

from rooms.documents.content import tree as content
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.sync import compaction, log, tasks
from rooms.sync.models import DocumentState, DocumentUpdate
from tests.factories import DocumentFactory, DocumentUpdateFactory, UserFactory

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "prosemirror_docs.json").read_text())


def append(document, *updates: bytes) -> list[int]:
    return log.updates_append(
        [
            log.PendingUpdate(document_id=document.pk, data=update, author_id=None)
            for update in updates
        ]
    )


def stored_content(document) -> dict:
    """Everything a client could see of the stored document."""
    stored = log.document_load(document.pk)
    doc = content.load(stored.state, [update for _, update in stored.updates])
    return {
        "xml": str(doc.get("default", type=XmlFragment)),
        "json": content.text_document_json(doc),
        "shapes": content.whiteboard_json(doc),
        "notes": str(doc.get("notes", type=Text)),
    }


def log_seqs(document) -> list[int]:
    return list(DocumentUpdate.objects.filter(document=document).values_list("seq", flat=True))


def typed_log(document) -> None:
    """The log of fixtures/prosemirror_docs.mjs: typing, formatting, deleting, replacing."""
    append(document, *[bytes.fromhex(update) for update in FIXTURE["edited"]["log"]])


def test_compaction_merges_the_log_into_the_state_with_identical_content(db):
    document = DocumentFactory()
    typed_log(document)
    user = UserFactory()
    document.room.memberships.create(user=user, role="editor")
    document_content_write(actor=user, document_id=document.pk, mode=WriteMode.APPEND, text="REST")
    before = stored_content(document)

    merged = compaction.document_compact(document.pk)

    state = DocumentState.objects.get(document=document)
    assert merged == 10
    assert (state.seq, log_seqs(document)) == (10, [])
    assert stored_content(document) == before
    assert before["json"]["content"][-1] == {
        "type": "paragraph",
        "content": [{"type": "text", "text": "REST"}],
    }


def test_compacting_again_merges_the_new_rows_onto_the_state(db):
    document = DocumentFactory()
    typed_log(document)
    compaction.document_compact(document.pk)
    doc = content.load(bytes(DocumentState.objects.get(document=document).data))
    append(document, content.append_blocks(doc, content.paragraphs_from_text("after")))
    before = stored_content(document)

    assert compaction.document_compact(document.pk) == 1
    assert DocumentState.objects.get(document=document).seq == 10
    assert stored_content(document) == before


def test_compaction_is_idempotent_and_a_no_op_on_an_empty_log_or_a_gone_document(db):
    document = DocumentFactory()
    typed_log(document)

    assert compaction.document_compact(document.pk) == 9
    assert compaction.document_compact(document.pk) == 0
    assert compaction.document_compact(DocumentFactory().pk) == 0
    gone = document.pk
    document.delete()
    assert compaction.document_compact(gone) == 0


def test_rows_appended_while_the_merge_is_computed_stay_in_the_log(db, monkeypatch):
    document = DocumentFactory()
    typed_log(document)
    late = Doc()
    late.get("notes", type=Text).insert(0, "written meanwhile")
    real_merge = compaction.merged_state

    def merge_while_someone_appends(state, updates):
        append(document, late.get_update())
        return real_merge(state, updates)

    monkeypatch.setattr(compaction, "merged_state", merge_while_someone_appends)
    merged = compaction.document_compact(document.pk)

    assert merged == 9
    assert DocumentState.objects.get(document=document).seq == 9
    assert log_seqs(document) == [10]
    assert stored_content(document)["notes"] == "written meanwhile"
    assert stored_content(document)["json"] == content.text_document_json(
        content.load(None, [bytes.fromhex(u) for u in FIXTURE["edited"]["log"]])
    )


def test_a_compaction_overtaken_by_another_retries_and_loses_nothing(db, monkeypatch):
    document = DocumentFactory()
    typed_log(document)
    before = stored_content(document)
    real_merge = compaction.merged_state
    inner: list[int] = []

    def merge_while_another_compacts(state, updates):
        if not inner:
            monkeypatch.setattr(compaction, "merged_state", real_merge)
            inner.append(compaction.document_compact(document.pk))
        return real_merge(state, updates)

    monkeypatch.setattr(compaction, "merged_state", merge_while_another_compacts)
    outer = compaction.document_compact(document.pk)

    assert (inner, outer) == ([9], 0)
    assert (DocumentState.objects.get(document=document).seq, log_seqs(document)) == (9, [])
    assert stored_content(document) == before


def test_a_log_update_yrs_would_hold_pending_is_merged_losslessly(db):
    writer = Doc()
    notes = writer.get("notes", type=Text)
    notes.insert(0, "abc")
    first = writer.get_update()
    before = writer.get_state()
    notes.insert(3, "def")
    second = writer.get_update(before)
    document = DocumentFactory()
    append(document, second)  # the first never reached the log

    assert compaction.document_compact(document.pk) == 1
    state = bytes(DocumentState.objects.get(document=document).data)
    assert str(content.load(state, [first]).get("notes", type=Text)) == "abcdef"


# --- random edit sequences -----------------------------------------------------------------

ALPHABET = "ab ü€🎉\n"
EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["type", "delete", "format", "block", "unblock", "shape", "unshape", "note", "compact"]
        ),
        st.integers(0, 1000),
        st.text(alphabet=ALPHABET, min_size=1, max_size=5),
    ),
    min_size=1,
    max_size=25,
)


def edit(doc: Doc, kind: str, number: int, chars: str) -> None:
    """One editor action; positions are pycrdt's (UTF-8), kept on character boundaries."""
    fragment = doc.get("default", type=XmlFragment)
    texts = [
        child
        for element in fragment.children
        for child in element.children
        if isinstance(element, XmlElement) and isinstance(child, XmlText)
    ]
    if kind == "block" or (kind in ("type", "delete", "format", "unblock") and not texts):
        paragraph = fragment.children.insert(
            number % (len(fragment.children) + 1), XmlElement("paragraph")
        )
        paragraph.children.append(XmlText()).insert(0, chars)
    elif kind == "unblock":
        del fragment.children[number % len(fragment.children)]
    elif kind in ("type", "delete", "format"):
        target = texts[number % len(texts)]
        value = "".join(chunk for chunk, _ in target.diff())
        cut = len(value[: number % (len(value) + 1)].encode())
        if kind == "type":
            target.insert(cut, chars, {"bold": {}} if number % 3 == 0 else None)
        elif kind == "delete" and cut < len(target):
            del target[cut : len(target)]
        elif kind == "format" and cut < len(target):
            target.format(0, cut or len(target), {"italic": {}})
    elif kind == "shape":
        doc.get("shapes", type=Map)[f"s{number % 4}"] = Map({"x": number, "label": chars})
    elif kind == "unshape":
        shapes = doc.get("shapes", type=Map)
        if f"s{number % 4}" in shapes:
            del shapes[f"s{number % 4}"]
    elif kind == "note":
        notes = doc.get("notes", type=Text)
        notes.insert(len(notes), chars)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(EDITS)
def test_random_edit_sequences_read_the_same_after_any_compaction(db, edits):
    document = DocumentFactory()
    writer = Doc()
    merged_total = 0
    for kind, number, chars in edits:
        if kind == "compact":
            before = stored_content(document)
            merged_total += compaction.document_compact(document.pk)
            assert stored_content(document) == before
            continue
        state = writer.get_state()
        with writer.transaction():
            edit(writer, kind, number, chars)
        update = writer.get_update(state)
        if update != b"\x00\x00":
            append(document, update)
    expected = {
        "xml": str(writer.get("default", type=XmlFragment)),
        "json": content.text_document_json(writer),
        "shapes": content.whiteboard_json(writer),
        "notes": str(writer.get("notes", type=Text)),
    }
    assert stored_content(document) == expected
    remaining = len(log_seqs(document))
    assert compaction.document_compact(document.pk) == remaining
    assert stored_content(document) == expected
    assert log_seqs(document) == []
    assert (
        merged_total + remaining == DocumentFactory._meta.model.objects.get(pk=document.pk).last_seq
    )


# --- the Celery tasks ----------------------------------------------------------------------


def test_compact_document_task_merges_the_log(db):
    document = DocumentFactory()
    typed_log(document)

    result = tasks.compact_document.apply(args=[str(document.pk)])

    assert result.get() == 9
    assert log_seqs(document) == []


def test_compact_large_logs_compacts_only_logs_past_the_setting_and_is_safe_twice(db, settings):
    settings.COLLAB_COMPACT_AFTER_UPDATES = 5
    large = DocumentFactory()
    typed_log(large)
    small = DocumentFactory()
    for seq in range(1, 6):
        DocumentUpdateFactory(document=small, seq=seq)
    before = stored_content(large)

    first = tasks.compact_large_logs.apply().get()
    second = tasks.compact_large_logs.apply().get()

    assert (first, second) == ([str(large.pk)], [])
    assert (log_seqs(large), log_seqs(small)) == ([], [1, 2, 3, 4, 5])
    assert stored_content(large) == before


def test_compact_large_logs_takes_logs_past_the_threshold(db, settings):
    settings.COLLAB_COMPACT_AFTER_UPDATES = 500
    document = DocumentFactory()
    for seq in range(1, 501):
        DocumentUpdateFactory(document=document, seq=seq)

    assert tasks.compact_large_logs.apply().get() == []
    DocumentUpdateFactory(document=document, seq=501)
    assert tasks.compact_large_logs.apply().get() == [str(document.pk)]


def test_one_failing_document_does_not_stop_the_others(db, settings, monkeypatch):
    settings.COLLAB_COMPACT_AFTER_UPDATES = 1
    broken, fine = DocumentFactory(), DocumentFactory()
    typed_log(broken)
    typed_log(fine)
    real = compaction.document_compact

    def compact(document_id):
        if document_id == broken.pk:
            raise RuntimeError("disk full")
        return real(document_id)

    monkeypatch.setattr(tasks, "document_compact", compact)

    assert tasks.compact_large_logs.apply().get() == [str(fine.pk)]
    assert len(log_seqs(broken)) == 9


@pytest.mark.django_db(transaction=True)
def test_compaction_commits_in_one_transaction_that_rolls_back_whole(monkeypatch):
    document = DocumentFactory()
    typed_log(document)

    def failing_delete(self):
        raise RuntimeError("connection lost")

    monkeypatch.setattr("django.db.models.query.QuerySet.delete", failing_delete)
    with pytest.raises(RuntimeError):
        compaction.document_compact(document.pk)

    assert DocumentState.objects.filter(document=document).exists() is False
    assert log_seqs(document) == list(range(1, 10))
