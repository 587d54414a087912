"""The document log: the only code that writes a document's stored Yjs state.

A document is its compacted state (``DocumentState``) followed by the updates appended since
(``DocumentUpdate``), each numbered per document without gaps. Everything that changes a
document goes through here: the sync runtime's group commits (``updates_append``), server-side
writes such as REST content, restores and imports (``write``), and compaction
(``state_replace``). Here too a committed update is published to the other processes with the
document open (``update_message``, ``publish``, ``publish_blocking``), and what a process missed
is read back (``catch_up``, ``last_seqs``).

After every commit the log announces the documents it changed to its subscribers
(``subscribe``): webhooks note them for ``document.updated``. Inside a server-side write's
transaction it also hands the written content to its write subscribers (``subscribe_writes``):
search indexes it, so the index row commits with the update. The log calls nothing above it.

Everything but ``publish`` is synchronous ORM code; the runtime calls it from a worker thread.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from pycrdt import Doc

from rooms.documents.models import Document
from rooms.sync.models import DocumentAuthor, DocumentState, DocumentUpdate
from rooms.sync.update_shape import MalformedInput, read_update

logger = logging.getLogger(__name__)

# The channel-layer message of a committed update (``update_message``).
UPDATE_MESSAGE = "doc.update"
# The publisher of a write no runtime made (``write``): every process, this one too, applies it.
SERVER_WRITE = "server"


class DocumentGone(Exception):
    """The document was deleted while it was open."""


class DocumentTooLarge(Exception):
    """The write would take the document past ``COLLAB_MAX_DOCUMENT_BYTES``."""


# Called after each commit with the ids of the documents it changed, on the committing thread.
Subscriber = Callable[[set[uuid.UUID]], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Call ``subscriber`` after every commit that changes documents, with their ids. It runs
    on the committing thread (the runtime's commit thread for live edits): it must be quick,
    and must not raise (an error is logged and the others still run)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


# Called inside a server-side write's transaction with the ``Document`` row, its content after
# the write and its new sequence number.
WriteSubscriber = Callable[[Any, Doc[Any], int], None]
_write_subscribers: list[WriteSubscriber] = []


def subscribe_writes(subscriber: WriteSubscriber) -> None:
    """Call ``subscriber`` inside every server-side write's transaction (``write``), after the
    append: what it writes commits, or rolls back, with the update. It may raise to refuse
    the write."""
    if subscriber not in _write_subscribers:
        _write_subscribers.append(subscriber)


def _announce(document_ids: set[uuid.UUID]) -> None:
    for subscriber in list(_subscribers):
        try:
            subscriber(document_ids)
        except Exception:
            logger.exception("log subscriber %r failed", subscriber)


@dataclass(frozen=True)
class StoredDocument:
    """What a process needs to open a document: the compacted state and the log after it."""

    state: bytes | None
    state_seq: int
    updates: list[tuple[int, bytes]]

    @property
    def seq(self) -> int:
        return self.updates[-1][0] if self.updates else self.state_seq

    @property
    def size(self) -> int:
        """Bytes of the state and the log: an upper bound of the encoded document."""
        return len(self.state or b"") + sum(len(update) for _, update in self.updates)

    def to_doc(self) -> Doc[Any]:
        """A pycrdt document holding the state and every update after it."""
        doc: Doc[Any] = Doc()
        if self.state:
            doc.apply_update(self.state)
        for _, update in self.updates:
            doc.apply_update(update)
        return doc


@dataclass(frozen=True)
class PendingUpdate:
    """An update accepted by the runtime and waiting for its commit."""

    document_id: uuid.UUID
    data: bytes
    author_id: int | None


def document_load(document_id: uuid.UUID) -> StoredDocument:
    """The compacted state and every logged update after it, in sequence order.

    Raises ``DocumentGone`` if the document does not exist.
    """
    # One transaction holding the document row: a compaction, which takes the same lock,
    # cannot commit between reading the state and reading the log after it.
    with transaction.atomic():
        if not list(Document.objects.select_for_update().filter(pk=document_id).values("pk")):
            raise DocumentGone(str(document_id))
        state = DocumentState.objects.filter(document_id=document_id).first()
        state_seq = state.seq if state else 0
        return StoredDocument(
            state=bytes(state.data) if state else None,
            state_seq=state_seq,
            updates=updates_since(document_id, state_seq),
        )


def updates_since(document_id: uuid.UUID, seq: int) -> list[tuple[int, bytes]]:
    """Logged updates with a sequence number above ``seq``, in order."""
    rows = (
        DocumentUpdate.objects.filter(document_id=document_id, seq__gt=seq)
        .order_by("seq")
        .values_list("seq", "data")
    )
    return [(row_seq, bytes(data)) for row_seq, data in rows]


def updates_append(batch: list[PendingUpdate]) -> list[int | None]:
    """Append a batch of updates (of one or many documents) in one transaction.

    Returns each update's sequence number, in batch order, or ``None`` for an update whose
    document no longer exists. Numbers are per document, without gaps, allocated under the
    document rows' locks so several processes never collide. Subscribers hear of the
    documents once the transaction (or the caller's, if inside one) commits.
    """
    positions: dict[uuid.UUID, list[int]] = defaultdict(list)
    for index, pending in enumerate(batch):
        positions[pending.document_id].append(index)
    seqs: list[int | None] = [None] * len(batch)
    with transaction.atomic():
        last_seqs = _advance_last_seqs({key: len(value) for key, value in positions.items()})
        for document_id, last in last_seqs.items():
            indexes = positions[document_id]
            first = last - len(indexes) + 1
            for offset, index in enumerate(indexes):
                seqs[index] = first + offset
        rows = [(pending, seq) for pending, seq in zip(batch, seqs, strict=True) if seq is not None]
        _insert(rows)
        recorded = _record_authors([pending for pending, _ in rows])
        changed = {pending.document_id for pending, _ in rows}
        if changed:
            transaction.on_commit(lambda: _committed(changed, recorded))
    return seqs


def _insert(rows: list[tuple[PendingUpdate, int]]) -> None:
    """Insert log rows, each an update and its sequence number, in one statement (on SQLite
    one per as many rows as Django's limit of parameters allows: 199).

    Plain SQL rather than ``bulk_create``: the commit thread's Python time holds the GIL the
    event loop needs, and building a model instance per row was most of it. On SQLite a
    multi-row VALUES rather than ``executemany``, which steps once per row, giving the GIL up
    and waiting to take it back from the busy event loop each time. On PostgreSQL one INSERT
    of four arrays, whose text does not grow with the batch: psycopg parses a long statement's
    placeholders again at every commit (its cache skips long statements). The measurements
    are in bench/RESULTS.md.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO rooms_documentupdate (document_id, seq, data, author_id, created_at) "
                "SELECT *, now() FROM unnest(%s::uuid[], %s::bigint[], %s::bytea[], %s::bigint[])",
                [
                    [pending.document_id for pending, _ in rows],
                    [seq for _, seq in rows],
                    [pending.data for pending, _ in rows],
                    [pending.author_id for pending, _ in rows],
                ],
            )
            return
        pk = DocumentUpdate._meta.get_field("document").target_field
        now = DocumentUpdate._meta.get_field("created_at").get_db_prep_value(
            timezone.now(), connection
        )
        max_params = connection.features.max_query_params
        assert max_params is not None  # None only where there is no limit; SQLite has one
        per_statement = max_params // 5
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for pending, seq in chunk:
                document_id = pk.get_db_prep_value(pending.document_id, connection)
                params += [document_id, seq, pending.data, pending.author_id, now]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                "INSERT INTO rooms_documentupdate "  # noqa: S608 (placeholders only)
                f"(document_id, seq, data, author_id, created_at) VALUES {values}",
                params,
            )


# (document, client id) pairs this process has seen committed in DocumentAuthor: most appends
# come from clients already recorded, and skip the insert. Cleared when it grows past a bound.
_recorded_authors: set[tuple[uuid.UUID, int]] = set()
_RECORDED_AUTHORS_MAX = 100_000


def _record_authors(updates: list[PendingUpdate]) -> set[tuple[uuid.UUID, int]]:
    """Record who wrote with each client id the updates insert structs of (the first author
    of a client id stays), so authorship outlives the log rows compaction deletes. Returns
    the pairs it inserted (or found), to remember once the transaction commits."""
    new: dict[tuple[uuid.UUID, int], int] = {}
    for pending in updates:
        if pending.author_id is None:
            continue
        try:
            clients = read_update(pending.data).inserting_clients()
        except MalformedInput:  # the runtime appends only what Yrs itself encoded
            logger.warning("unreadable update appended to %s", pending.document_id)
            continue
        for client in clients:
            key = (pending.document_id, client)
            if key not in _recorded_authors:
                new.setdefault(key, pending.author_id)
    if new:
        DocumentAuthor.objects.bulk_create(
            [
                DocumentAuthor(document_id=document_id, client_id=client, author_id=author_id)
                for (document_id, client), author_id in new.items()
            ],
            ignore_conflicts=True,
        )
    return set(new)


def _committed(changed: set[uuid.UUID], recorded: set[tuple[uuid.UUID, int]]) -> None:
    if recorded:
        if len(_recorded_authors) > _RECORDED_AUTHORS_MAX:
            _recorded_authors.clear()
        _recorded_authors.update(recorded)
    _announce(changed)


def _advance_last_seqs(counts: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
    """Add each count to its document's ``last_seq`` in one statement; return the new values
    of the documents that exist. Must run inside a transaction (it locks their rows)."""
    pk = Document._meta.pk
    assert pk is not None and pk.column is not None
    ids = sorted(counts)  # one lock order for every process
    db_ids = [pk.get_db_prep_value(document_id, connection) for document_id in ids]
    table = connection.ops.quote_name(Document._meta.db_table)
    column = connection.ops.quote_name(pk.column)
    cases = " ".join("WHEN %s THEN %s" for _ in ids)
    placeholders = ", ".join("%s" for _ in ids)
    params: list[Any] = []
    for db_id, document_id in zip(db_ids, ids, strict=True):
        params += [db_id, counts[document_id]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + CASE {column} {cases} END "  # noqa: S608
            f"WHERE {column} IN ({placeholders}) RETURNING {column}, last_seq",
            [*params, *db_ids],
        )
        return {pk.to_python(row_id): last for row_id, last in cursor.fetchall()}


def catch_up(
    document_id: uuid.UUID, seq: int
) -> tuple[DocumentState | None, list[tuple[int, bytes]]]:
    """What a process at ``seq`` lacks: the compacted state if the log after ``seq`` was
    merged into it (else ``None``), then the logged updates after that."""
    state = DocumentState.objects.filter(document_id=document_id, seq__gt=seq).first()
    if state is not None:
        state.data = bytes(state.data)
        seq = state.seq
    return state, updates_since(document_id, seq)


def last_seqs(document_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The newest committed sequence number of each existing document."""
    return dict(Document.objects.filter(pk__in=document_ids).values_list("pk", "last_seq"))


def write(
    document_id: uuid.UUID,
    *,
    author_id: int | None,
    build: Callable[[Any, Doc[Any]], bytes | None],
    check: Callable[[int], None] | None = None,
) -> int:
    """Append the update that ``build(document, doc)`` makes from the stored document (the
    ``Document`` row and a pycrdt document of its content), as a write from the server (REST
    content, a restore, an import); returns the document's sequence number afterwards
    (unchanged when ``build`` returns ``None``: nothing to change).

    The document row is locked from ``check(last_seq)`` (which may raise, to refuse a stale write)
    until the commit, so no other append or compaction comes between. After the commit the update is
    published to every process with the document open, this one too, and subscribers hear of it;
    write subscribers hear of it before the commit. Raises ``DocumentGone``, ``DocumentTooLarge``
    and whatever ``check`` and ``build`` raise.
    """
    with transaction.atomic():
        locked = Document.objects.select_for_update().filter(pk=document_id).first()
        if locked is None:
            raise DocumentGone(str(document_id))
        if check is not None:
            check(locked.last_seq)
        stored = document_load(locked.pk)
        doc = stored.to_doc()
        update = build(locked, doc)
        if update is None:
            return locked.last_seq
        if stored.size + len(update) > settings.COLLAB_MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(
                f"Documents are at most {settings.COLLAB_MAX_DOCUMENT_BYTES} bytes."
            )
        (seq,) = updates_append(
            [PendingUpdate(document_id=locked.pk, data=update, author_id=author_id)]
        )
        assert seq is not None  # the row is locked: it cannot have gone
        for subscriber in list(_write_subscribers):
            subscriber(locked, doc, seq)
        transaction.on_commit(
            lambda: publish_blocking(update_message(locked.pk, seq, update, SERVER_WRITE))
        )
    return seq


def state_seq(document_id: uuid.UUID) -> int:
    """The sequence number the compacted state holds (0 if there is none)."""
    seq = DocumentState.objects.filter(document_id=document_id).values_list("seq", flat=True)
    return next(iter(seq), 0)


class Overtaken(Exception):
    """Another compaction committed between a compaction's read and its write."""


def state_replace(document_id: uuid.UUID, *, base_seq: int, newest: int, merged: bytes) -> int:
    """Replace the compacted state at ``base_seq`` and the logged updates up to ``newest`` by
    ``merged`` (their merge); returns how many log rows it deleted (0 if the document is gone).

    One transaction holding the document row's lock (which every append takes too). Raises
    ``Overtaken``, having changed nothing, if the state is no longer at ``base_seq`` or the
    rows after it are not exactly ``base_seq + 1 .. newest``.
    """
    with transaction.atomic():
        if not list(Document.objects.select_for_update().filter(pk=document_id).values("pk")):
            return 0
        if state_seq(document_id) != base_seq:
            raise Overtaken
        DocumentState.objects.update_or_create(
            document_id=document_id, defaults={"data": merged, "seq": newest}
        )
        deleted, _ = DocumentUpdate.objects.filter(
            document_id=document_id, seq__gt=base_seq, seq__lte=newest
        ).delete()
        if deleted != newest - base_seq:
            raise Overtaken  # rolls the state back too
    return deleted


# --- publishing committed updates --------------------------------------------------------


def group_name(document_id: uuid.UUID) -> str:
    """The channel-layer group of the processes that have the document open."""
    return f"doc.{document_id.hex}"


def update_message(document_id: uuid.UUID, seq: int, update: bytes, process: str) -> dict[str, Any]:
    """The channel-layer message of a committed update, from ``process`` (a runtime's id, or
    ``SERVER_WRITE``); a runtime skips its own."""
    return {
        "type": UPDATE_MESSAGE,
        "seq": seq,
        "update": update,
        "document": str(document_id),
        "process": process,
    }


async def publish(layer: Any, message: dict[str, Any]) -> None:
    """Send an ``update_message`` (or another message of the document's group) to every
    process with the document open. Raises what the layer raises: the caller decides how to
    report a layer that is away (processes catch up from the log either way)."""
    await layer.group_send(group_name(uuid.UUID(message["document"])), message)


def publish_blocking(message: dict[str, Any]) -> None:
    """``publish`` from synchronous code, on the default layer. The channel layer is only the
    fast path: a failure is logged, and processes catch up from the log."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(publish)(layer, message)
    except Exception:
        logger.warning(
            "could not publish update %s of %s", message["seq"], message["document"], exc_info=True
        )
