"""Versions of a document: named snapshots taken on demand, automatic ones after each
stretch of editing and before an edit that removes most of the content, restoring one, and
thinning old automatic ones (the rules are ``rooms.documents.version_rules``).

A snapshot is the full Yjs state at a sequence number. Restoring never rewinds the log: it
is a new edit that makes the current content equal the version's (the text document's blocks
or the whiteboard's shapes replaced by copies of the version's), appended and published like
any server-side write, so live editors see it at once and can undo it like any edit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max, Min, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from pycrdt import Doc

from rooms.core.errors import Invalid, NotFound
from rooms.core.serializers import user_summary
from rooms.documents.content import tree as content
from rooms.documents.models import Document, DocumentKind, DocumentVersion, VersionKind
from rooms.documents.selectors import document_access
from rooms.documents.services.content import ContentFormat, document_update_append, render
from rooms.documents.signals import version_created
from rooms.documents.version_diff import shapes_diff, text_diff
from rooms.documents.version_rules import (
    Aged,
    auto_version_due,
    content_size,
    is_wipe,
    versions_to_keep,
)
from rooms.membership.models import Role
from rooms.membership.permissions import require_active_room, require_role
from rooms.membership.selectors import as_uuid
from rooms.sync import log
from rooms.sync.compaction import merged_state
from rooms.sync.models import DocumentState, DocumentUpdate

logger = logging.getLogger(__name__)
User = get_user_model()

NAME_MAX = 200
# Kept by Collab rather than by a person (the API's ``is_automatic``).
AUTOMATIC = {VersionKind.AUTO, VersionKind.BEFORE_RESTORE, VersionKind.BEFORE_WIPE}


def _keep(
    document: Document,
    *,
    data: bytes,
    seq: int,
    kind: VersionKind,
    actor: Any = None,
    name: str = "",
    restored_from: DocumentVersion | None = None,
) -> DocumentVersion:
    with transaction.atomic():
        version = DocumentVersion.objects.create(
            document=document,
            name=name,
            kind=kind,
            is_automatic=kind in AUTOMATIC,
            seq=seq,
            data=data,
            created_by=actor,
            restored_from=restored_from,
        )
        version_created.send(sender=DocumentVersion, version=version)
    return version


def _snapshot(
    document: Document, *, kind: VersionKind, actor: Any, name: str = ""
) -> DocumentVersion:
    try:
        stored = log.document_load(document.pk)
    except log.DocumentGone as error:
        raise NotFound("No such document.", code="document_not_found") from error
    data = merged_state(stored.state, [update for _, update in stored.updates])
    return _keep(document, data=data, seq=stored.seq, kind=kind, actor=actor, name=name)


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
    return _snapshot(document, kind=VersionKind.NAMED, actor=actor, name=name)


def document_versions(*, actor: Any, document_id: Any) -> QuerySet[DocumentVersion]:
    """The versions of a document the actor may read, newest first (data deferred)."""
    document, _ = document_access(user=actor, document_id=document_id)
    return (
        DocumentVersion.objects.filter(document=document)
        .select_related("created_by", "created_by__profile", "restored_from")
        .defer("data", "restored_from__data")
        .order_by("-created_at", "-seq")
    )


def version_get(*, actor: Any, document_id: Any, version_id: Any) -> DocumentVersion:
    """One version of a document the actor may read. Raises ``NotFound``."""
    document, _ = document_access(user=actor, document_id=document_id)
    key = as_uuid(version_id)
    version = (
        DocumentVersion.objects.select_related(
            "created_by", "created_by__profile", "document", "restored_from"
        )
        .defer("restored_from__data")
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

    The content it replaces is kept first as a "before restore" version (unless a version
    already holds exactly it), and the restore is listed as a version of its own
    (``VersionKind.RESTORE``, naming the version it brought back); both commit with the edit.
    Editors and owners (owners alone for a locked document). Raises ``NotFound`` (also for a
    version of another document), ``Forbidden`` and ``PreconditionFailed``.
    """
    version = version_get(actor=actor, document_id=document_id, version_id=version_id)
    source = content.load(bytes(version.data))
    restored: list[bytes] = []

    def build(document: Document, doc: Doc[Any]) -> bytes | None:
        if document.kind == DocumentKind.WHITEBOARD:
            if content.whiteboard_json(doc) == content.whiteboard_json(source):
                return None
        elif content.text_document_json(doc) == content.text_document_json(source):
            return None
        if not document.versions.filter(seq=document.last_seq).exists():
            _keep(
                document,
                data=doc.get_update(),
                seq=document.last_seq,
                kind=VersionKind.BEFORE_RESTORE,
                actor=actor,
            )
        if document.kind == DocumentKind.WHITEBOARD:
            update = content.replace_shapes(doc, source)
        else:
            update = content.replace_blocks(doc, content.text_document_json(source)["content"])
        restored.append(doc.get_update())
        return update

    with transaction.atomic():
        seq = document_update_append(
            actor=actor, document_id=version.document_id, if_match=if_match, build=build
        )
        if restored:
            _keep(
                version.document,
                data=restored[0],
                seq=seq,
                kind=VersionKind.RESTORE,
                actor=actor,
                restored_from=version,
            )
    return seq


# --- comparing --------------------------------------------------------------------------


CURRENT = "current"


def version_compare(
    *, actor: Any, document_id: Any, version_id: Any, against: str | None
) -> dict[str, Any]:
    """What changed from a version to ``against``: another version of the same document, or
    ``"current"`` (the default), the stored document now. For a text document ``blocks``
    (``version_diff.text_diff``), for a whiteboard ``shapes``; ``authors`` are the people
    whose edits the log still holds between the two (in the order of their first edit).

    Raises ``NotFound`` for an unknown version or one of another document (either side).
    """
    version = version_get(actor=actor, document_id=document_id, version_id=version_id)
    document = version.document
    old = content.load(bytes(version.data))
    target: dict[str, Any]
    if against in (None, "", CURRENT):
        try:
            stored = log.document_load(document.pk)
        except log.DocumentGone as error:
            raise NotFound("No such document.", code="document_not_found") from error
        new = stored.to_doc()
        target = {"version": None, "seq": stored.seq}
    else:
        other = version_get(actor=actor, document_id=document.pk, version_id=against)
        new = content.load(bytes(other.data))
        target = {"version": str(other.pk), "seq": other.seq}
    low, high = sorted((version.seq, target["seq"]))
    authors = (
        DocumentUpdate.objects.filter(
            document=document, seq__gt=low, seq__lte=high, author__isnull=False
        )
        .values_list("author", flat=True)
        .order_by("seq")
    )
    ordered = list(dict.fromkeys(authors))
    people = {
        user.pk: user for user in User.objects.filter(pk__in=ordered).select_related("profile")
    }
    compared: dict[str, Any] = {
        "kind": str(document.kind),
        "from": {"version": str(version.pk), "seq": version.seq},
        "to": target,
        "authors": [user_summary(people[pk]) for pk in ordered if pk in people],
    }
    if document.kind == DocumentKind.WHITEBOARD:
        compared["shapes"] = shapes_diff(content.whiteboard_json(old), content.whiteboard_json(new))
    else:
        compared["blocks"] = text_diff(
            content.text_document_json(old), content.text_document_json(new)
        )
    return compared


# --- automatic versions ------------------------------------------------------------------


def _edit_times(document_id: Any, after_seq: int) -> tuple[datetime, datetime] | None:
    """When the first and the newest edit after ``after_seq`` were committed; for edits
    compaction merged into the state, when it merged them. ``None`` if there were none."""
    times = DocumentUpdate.objects.filter(document_id=document_id, seq__gt=after_seq).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if times["first"] is not None:
        return times["first"], times["last"]
    merged = DocumentState.objects.filter(document_id=document_id, seq__gt=after_seq).first()
    return (merged.updated_at, merged.updated_at) if merged is not None else None


def versions_auto_sweep(*, now: datetime | None = None) -> list[DocumentVersion]:
    """Keep an automatic version of each document whose edits since its newest version are
    due (``version_rules.auto_version_due``: ``COLLAB_AUTO_VERSION_IDLE_SECONDS`` after typing
    stopped, or ``COLLAB_AUTO_VERSION_MAX_SECONDS`` after the first edit not yet kept); returns
    the versions kept. For scheduled jobs: no actor, no permissions; one document's failure
    is logged and the others still run."""
    now = now or timezone.now()
    idle = timedelta(seconds=settings.COLLAB_AUTO_VERSION_IDLE_SECONDS)
    longest = timedelta(seconds=settings.COLLAB_AUTO_VERSION_MAX_SECONDS)
    edited = (
        Document.objects.annotate(versioned=Coalesce(Max("versions__seq"), 0))
        .filter(last_seq__gt=F("versioned"))
        .values_list("pk", "versioned")
    )
    kept: list[DocumentVersion] = []
    for document_id, versioned in list(edited):
        try:
            times = _edit_times(document_id, versioned)
            if times is None or not auto_version_due(
                first_edit=times[0], last_edit=times[1], now=now, idle=idle, longest=longest
            ):
                continue
            document = Document.objects.filter(pk=document_id).first()
            if document is not None:
                kept.append(_snapshot(document, kind=VersionKind.AUTO, actor=None))
        except NotFound:
            continue
        except Exception:
            logger.exception("automatic version of %s failed", document_id)
    return kept


# --- the version before a wipe ----------------------------------------------------------


def _least_removed(kind: str) -> int:
    if kind == DocumentKind.WHITEBOARD:
        return int(settings.COLLAB_WIPE_MIN_REMOVED_SHAPES)
    return int(settings.COLLAB_WIPE_MIN_REMOVED_CHARS)


def _stored_at(document_id: Any, seq: int) -> Doc[Any] | None:
    """The document as it was at ``seq``, from the log; ``None`` once compaction merged the
    updates after ``seq`` into the state (or the document is gone)."""
    try:
        stored = log.document_load(document_id)
    except log.DocumentGone:
        return None
    if stored.state_seq > seq:
        return None
    return content.load(stored.state, [update for at, update in stored.updates if at <= seq])


def version_before_wipe(
    *, document_id: Any, after_seq: int, upto_seq: int
) -> DocumentVersion | None:
    """If an update in ``after_seq + 1 .. upto_seq`` removed most of the most the document held
    since ``after_seq`` (``version_rules.is_wipe``), keep the content just before that update
    as a "before wipe" version and return it; ``None`` if there was no wipe, a version
    already holds that content, or the log no longer has the updates."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return None
    try:
        stored = log.document_load(document.pk)
    except log.DocumentGone:
        return None
    if stored.state_seq > after_seq:
        logger.warning(
            "updates of %s after %d were merged before the wipe check", document.pk, after_seq
        )
        return None
    doc = content.load(stored.state, [update for at, update in stored.updates if at <= after_seq])
    peak = content_size(doc, document.kind)
    least = _least_removed(document.kind)
    for at, update in stored.updates:
        if not after_seq < at <= upto_seq:
            continue
        previous = doc.get_update()
        doc.apply_update(update)
        size = content_size(doc, document.kind)
        peak = max(peak, size)
        if is_wipe(before=peak, after=size, least_removed=least):
            if document.versions.filter(seq=at - 1).exists():
                return None
            return _keep(document, data=previous, seq=at - 1, kind=VersionKind.BEFORE_WIPE)
    return None


def version_wipe_check(
    *, document_id: Any, state: bytes, seq: int, since_seq: int, since_size: int | None
) -> int | None:
    """For a live document now at ``seq`` holding ``state``, last measured at ``since_seq``
    (``since_size``, or ``None`` to read it from the log): keep a "before wipe" version if an
    edit since removed most of the content (``version_before_wipe``). Returns the content's
    size at ``seq``, the next check's ``since_size``, or ``None`` if the document is gone."""
    document = Document.objects.filter(pk=document_id).only("kind").first()
    if document is None:
        return None
    now = content_size(content.load(state), document.kind)
    if since_size is None:
        then = _stored_at(document_id, since_seq)
        if then is None:
            return now
        since_size = content_size(then, document.kind)
    if is_wipe(before=since_size, after=now, least_removed=_least_removed(document.kind)):
        version_before_wipe(document_id=document_id, after_seq=since_seq, upto_seq=seq)
    return now


def document_written(document: Any, doc: Doc[Any], seq: int) -> None:
    """The log's write subscriber (``log.subscribe_writes``): a server-side write that
    removes most of the content keeps the content before it as a version, in the write's
    transaction. Never refuses the write: a failure is logged."""
    try:
        with transaction.atomic():
            if document.versions.filter(seq=seq - 1).exists():
                return
            after = content_size(doc, document.kind)
            then = _stored_at(document.pk, seq - 1)
            if then is None:
                return
            before = content_size(then, document.kind)
            if is_wipe(before=before, after=after, least_removed=_least_removed(document.kind)):
                _keep(document, data=then.get_update(), seq=seq - 1, kind=VersionKind.BEFORE_WIPE)
    except Exception:
        logger.exception("could not check the write to %s for a wipe", document.pk)


# --- thinning ----------------------------------------------------------------------------


def versions_thin(*, now: datetime | None = None) -> int:
    """Delete the automatic versions thinning does not keep (``version_rules.versions_to_keep``:
    all of the last day, then one an hour for a week, then one a day); every other kind is
    kept. Returns how many it deleted."""
    now = now or timezone.now()
    rows = (
        DocumentVersion.objects.filter(
            kind=VersionKind.AUTO, created_at__lt=now - timedelta(days=1)
        )
        .values_list("document_id", "pk", "created_at")
        .order_by("document_id")
    )
    by_document: dict[Any, list[Aged]] = {}
    for document_id, pk, created_at in rows:
        by_document.setdefault(document_id, []).append(Aged(id=pk, created_at=created_at))
    doomed: list[Any] = []
    for aged in by_document.values():
        keep = versions_to_keep(aged, now=now)
        doomed += [version.id for version in aged if version.id not in keep]
    deleted = 0
    for start in range(0, len(doomed), 500):
        count, _ = DocumentVersion.objects.filter(pk__in=doomed[start : start + 500]).delete()
        deleted += count
    return deleted
