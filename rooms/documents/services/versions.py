"""Versions of a document: named snapshots taken on demand, automatic ones kept after
editing, and restoring one.

A snapshot is the full Yjs state at a sequence number. Restoring never rewinds the log: it
is a new edit that makes the current content equal the version's (the text document's blocks
or the whiteboard's shapes replaced by copies of the version's), appended and published like
any server-side write, so live editors see it at once and can undo it like any edit.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from pycrdt import Doc

from rooms.core.errors import Invalid, NotFound
from rooms.documents.content import tree as content
from rooms.documents.models import Document, DocumentKind, DocumentVersion
from rooms.documents.selectors import document_access
from rooms.documents.services.content import ContentFormat, document_update_append, render
from rooms.documents.signals import version_created
from rooms.membership.models import Role
from rooms.membership.permissions import require_active_room, require_role
from rooms.membership.selectors import as_uuid
from rooms.sync import log
from rooms.sync.compaction import merged_state

logger = logging.getLogger(__name__)

NAME_MAX = 200
# Keep an automatic snapshot at most this often per document, and only after edits.


def _snapshot(document: Document, *, name: str, actor: Any, automatic: bool) -> DocumentVersion:
    try:
        stored = log.document_load(document.pk)
    except log.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    data = merged_state(stored.state, [update for _, update in stored.updates])
    with transaction.atomic():
        version = DocumentVersion.objects.create(
            document=document,
            name=name,
            is_automatic=automatic,
            seq=stored.seq,
            data=data,
            created_by=actor,
        )
        version_created.send(sender=DocumentVersion, version=version)
    return version


def version_create(*, actor: Any, document_id: Any, name: str) -> DocumentVersion:
    """Keep a named snapshot of the document's current stored content (editors and owners).

    Raises ``NotFound``, ``Forbidden``, and ``Invalid`` for a blank or over-long name.
    """
    document, access = document_access(user=actor, document_id=document_id)
    require_active_room(access)
    require_role(access, Role.EDITOR, "keep versions")
    name = name.strip()
    if not name:
        raise Invalid("A version needs a name.", code="blank", field="name")
    if len(name) > NAME_MAX:
        raise Invalid(f"Names are at most {NAME_MAX} characters.", code="max_length", field="name")
    return _snapshot(document, name=name, actor=actor, automatic=False)


def document_versions(*, actor: Any, document_id: Any) -> QuerySet[DocumentVersion]:
    """The versions of a document the actor may read, newest first (data deferred)."""
    document, _ = document_access(user=actor, document_id=document_id)
    return (
        DocumentVersion.objects.filter(document=document)
        .select_related("created_by", "created_by__profile")
        .defer("data")
        .order_by("-created_at", "-seq")
    )


def version_get(*, actor: Any, document_id: Any, version_id: Any) -> DocumentVersion:
    """One version of a document the actor may read. Raises ``NotFound``."""
    document, _ = document_access(user=actor, document_id=document_id)
    key = as_uuid(version_id)
    version = (
        DocumentVersion.objects.select_related("created_by", "created_by__profile", "document")
        .filter(pk=key, document=document)
        .first()
        if key is not None
        else None
    )
    if version is None:
        raise NotFound("No such version.", code="version_not_found")
    return version


def version_render(version: DocumentVersion, chosen: ContentFormat) -> Any:
    """A version's content in a format (see ``content.parse_format``)."""
    return render(content.load(bytes(version.data)), version.document.kind, chosen)


def version_restore(
    *, actor: Any, document_id: Any, version_id: Any, if_match: str | None = None
) -> int:
    """Make the document's content equal the version's, as a new edit by ``actor`` that live
    editors receive at once; returns the document's sequence number afterwards (unchanged if
    the content already was the version's).

    Editors and owners (owners alone for a locked document). Raises ``NotFound`` (also for a
    version of another document), ``Forbidden`` and ``PreconditionFailed``.
    """
    version = version_get(actor=actor, document_id=document_id, version_id=version_id)
    source = content.load(bytes(version.data))

    def build(document: Document, doc: Doc[Any]) -> bytes | None:
        if document.kind == DocumentKind.WHITEBOARD:
            if content.whiteboard_json(doc) == content.whiteboard_json(source):
                return None
            return content.replace_shapes(doc, source)
        wanted = content.text_document_json(source)
        if content.text_document_json(doc) == wanted:
            return None
        return content.replace_blocks(doc, wanted["content"])

    return document_update_append(
        actor=actor, document_id=version.document_id, if_match=if_match, build=build
    )


def version_auto_snapshot(document_id: Any) -> DocumentVersion | None:
    """Keep an automatic snapshot if the document was edited since its newest version and
    that version is older than ``COLLAB_AUTO_SNAPSHOT_SECONDS``; returns it, or ``None`` when
    none was due (or the document is gone). For scheduled jobs: no actor, no permissions."""
    key = as_uuid(document_id)
    document = Document.objects.filter(pk=key).first() if key is not None else None
    if document is None:
        return None
    newest = document.versions.order_by("-created_at").only("seq", "created_at").first()
    interval = timedelta(seconds=settings.COLLAB_AUTO_SNAPSHOT_SECONDS)
    if newest is None:
        due = document.last_seq > 0
    else:
        due = document.last_seq > newest.seq and timezone.now() - newest.created_at >= interval
    if not due:
        return None
    try:
        return _snapshot(document, name="", actor=None, automatic=True)
    except NotFound:
        return None
