"""Comment threads: open one on a text range or a whiteboard shape, resolve, reopen, delete."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from rooms.chat.services.rate import chat_rate_take
from rooms.comments import events
from rooms.comments.anchors import shape_anchor_check, text_anchor_check
from rooms.comments.models import AnchorKind, CommentThread
from rooms.comments.selectors import thread_in_document
from rooms.comments.services.access import clean_body, commentable, require_can_resolve
from rooms.comments.services.comments import comment_create, comment_delete, thread_touch
from rooms.comments.signals import thread_resolved
from rooms.core.errors import Invalid
from rooms.documents.models import Document, DocumentKind
from rooms.sync import log

QUOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Anchor:
    """Where a new thread points: a text range (``start``, ``end``: base64 relative positions,
    ``quote``: the text then) or a shape (``shape_id``)."""

    kind: AnchorKind
    start: str = ""
    end: str = ""
    quote: str = ""
    shape_id: str = ""


def _anchor_check(document: Document, anchor: Anchor) -> None:
    expected = AnchorKind.SHAPE if document.kind == DocumentKind.WHITEBOARD else AnchorKind.TEXT
    if anchor.kind != expected:
        raise Invalid(
            f"Comments on a {document.get_kind_display().lower()} anchor to a "
            f"{expected.label.lower()}.",
            code="invalid_anchor",
            field="anchor",
        )
    if len(anchor.quote) > QUOTE_MAX_LENGTH:
        raise Invalid(
            f"A quote is at most {QUOTE_MAX_LENGTH} characters.", code="max_length", field="quote"
        )
    doc = log.document_load(document.pk).to_doc()
    if anchor.kind == AnchorKind.TEXT:
        text_anchor_check(doc, start=anchor.start, end=anchor.end)
    else:
        shape_anchor_check(doc, shape_id=anchor.shape_id)


def thread_create(
    *, actor: Any, document_id: Any, share_link_ids: Collection[int] = (), anchor: Anchor, body: str
) -> CommentThread:
    """Open a thread with its first comment (commenters and above, locked documents too).
    Publishes ``comment_thread.created``. Raises ``NotFound`` (``document_not_found``),
    ``Forbidden`` for viewers, ``Invalid`` (``invalid_anchor`` for a malformed anchor or one
    of the wrong kind, ``anchor_outside_document`` for one the stored document does not
    hold, ``blank``, ``max_length``) and ``ChatRateLimited`` past the user's rate."""
    document, access = commentable(
        actor=actor, document_id=document_id, share_link_ids=share_link_ids
    )
    body = clean_body(body)
    _anchor_check(document, anchor)
    chat_rate_take(user_id=actor.pk)
    with transaction.atomic():
        thread = CommentThread.objects.create(
            document=document,
            author=actor,
            anchor_kind=anchor.kind,
            anchor_start=anchor.start,
            anchor_end=anchor.end,
            quote=anchor.quote,
            shape_id=anchor.shape_id,
        )
        comment_create(thread=thread, room=access.room, author=actor, body=body)
        events.publish_thread_change("comment_thread.created", thread)
    return thread_in_document(document=document, thread_id=thread.pk)


def thread_set_resolved(
    *,
    actor: Any,
    document_id: Any,
    share_link_ids: Collection[int] = (),
    thread_id: Any,
    resolved: bool,
) -> CommentThread:
    """Resolve or reopen a thread (its author, editors and owners). Doing it twice changes
    nothing. Publishes ``comment_thread.resolved`` or ``comment_thread.reopened``. Raises
    ``NotFound`` (``document_not_found``, ``thread_not_found``) and ``Forbidden``."""
    document, access = commentable(
        actor=actor, document_id=document_id, share_link_ids=share_link_ids
    )
    thread = thread_in_document(document=document, thread_id=thread_id)
    require_can_resolve(access, thread)
    if (thread.resolved_at is not None) == resolved:
        return thread
    with transaction.atomic():
        if resolved:
            thread_touch(thread, resolved_at=timezone.now(), resolved_by=actor)
        else:
            thread_touch(thread, resolved_at=None, resolved_by=None)
        thread = thread_in_document(document=document, thread_id=thread.pk)
        if resolved:
            thread_resolved.send(sender=CommentThread, thread=thread, by=actor)
        change = "comment_thread.resolved" if resolved else "comment_thread.reopened"
        events.publish_thread_change(change, thread)
    return thread


def thread_delete(
    *, actor: Any, document_id: Any, share_link_ids: Collection[int] = (), thread_id: Any
) -> None:
    """Delete a thread with its comments: its author or a room owner (as deleting its first
    comment). Publishes ``comment_thread.deleted``. Raises ``NotFound`` and ``Forbidden``."""
    document, _ = commentable(actor=actor, document_id=document_id, share_link_ids=share_link_ids)
    thread = thread_in_document(document=document, thread_id=thread_id)
    comment_delete(
        actor=actor,
        document_id=document_id,
        share_link_ids=share_link_ids,
        thread_id=thread.pk,
        comment_id=thread.comments.all()[0].pk,
    )
