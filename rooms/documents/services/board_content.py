"""A whiteboard's shapes written over REST, and old boards brought to the current version.

A write is one Yjs update built against the stored board under the document row's lock and
appended through the document log, like a text document's REST write: everyone with the
board open sees it at once. Every new or changed shape is checked against the shape schema
first; one that breaks it refuses the whole write. A write also migrates the board it
writes to (``board_migration``), in the same update.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from pycrdt import Doc

from rooms.core.errors import Invalid
from rooms.documents.content import board_migration, board_writes
from rooms.documents.models import Document, DocumentKind
from rooms.documents.services.content import document_update_append
from rooms.sync import log

logger = logging.getLogger(__name__)


def _board_write(plan_of: Callable[[Doc[Any]], board_writes.Plan]) -> Callable[..., bytes | None]:
    def build(document: Document, doc: Doc[Any]) -> bytes | None:
        if document.kind != DocumentKind.WHITEBOARD:
            raise Invalid("Only whiteboards have shapes.", code="wrong_document_kind")
        before = doc.get_state()
        with doc.transaction():
            migrated = board_migration.migrate(doc).changed
            try:
                plan = plan_of(doc)
            except board_writes.ShapeInvalid as error:
                raise Invalid(str(error), code="invalid_shape", field=error.path) from error
            board_writes.apply_plan(doc, plan)
        return doc.get_update(before) if plan or migrated else None

    return build


def whiteboard_shapes_put(
    *, actor: Any, document_id: Any, shapes: dict[str, Any], if_match: str | None = None
) -> int:
    """Make the whiteboard hold exactly ``shapes`` (by id); returns the sequence number after
    the write (unchanged when nothing differs).

    Editors and owners only, as for text. Raises ``Invalid`` (``invalid_shape`` with the
    failing field's path, ``wrong_document_kind`` for a text document), ``NotFound``,
    ``Forbidden``, ``PreconditionFailed`` and ``DocumentTooLarge``; nothing is written then.
    """
    return document_update_append(
        actor=actor,
        document_id=document_id,
        if_match=if_match,
        build=_board_write(lambda doc: board_writes.put_plan(doc, shapes)),
    )


def whiteboard_shapes_patch(
    *, actor: Any, document_id: Any, shapes: dict[str, Any], if_match: str | None = None
) -> int:
    """Add, change or remove shapes by id (``board_writes.patch_plan``: ``null`` removes a
    shape, an object sets the given fields); returns the sequence number after the write.
    Raises as ``whiteboard_shapes_put``."""
    return document_update_append(
        actor=actor,
        document_id=document_id,
        if_match=if_match,
        build=_board_write(lambda doc: board_writes.patch_plan(doc, shapes)),
    )


def whiteboard_migrate(*, document_id: uuid.UUID) -> board_migration.Migration | None:
    """Bring one stored whiteboard to the current board version as a server write (one update
    through the log, seen at once by whoever has it open); nothing when it is there already.
    Returns what it did, or ``None`` for a document that is gone or is not a whiteboard."""
    done: list[board_migration.Migration] = []

    def build(document: Document, doc: Doc[Any]) -> bytes | None:
        if document.kind != DocumentKind.WHITEBOARD:
            return None
        before = doc.get_state()
        with doc.transaction():
            done.append(board_migration.migrate(doc))
        return doc.get_update(before) if done[0].changed else None

    try:
        log.write(document_id, author_id=None, build=build)
    except log.DocumentGone:
        return None
    return done[0] if done else None


def whiteboards_migrate() -> list[tuple[uuid.UUID, board_migration.Migration]]:
    """Migrate every whiteboard, one transaction each; returns those it changed, with what
    it did. Safe to run again (or while people draw): a migrated board is left alone."""
    changed = []
    ids = Document.objects.filter(kind=DocumentKind.WHITEBOARD).values_list("pk", flat=True)
    for document_id in ids.iterator():
        migration = whiteboard_migrate(document_id=document_id)
        if migration is not None and migration.changed:
            logger.info(
                "Whiteboard %s migrated from version %s: repaired %s, left as they are %s",
                document_id,
                migration.from_version,
                migration.repaired,
                migration.left_as_they_are,
            )
            changed.append((document_id, migration))
    return changed
