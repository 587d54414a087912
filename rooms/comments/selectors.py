"""Reads of comment threads shared by the API, the services and the socket."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from rooms.comments.models import Comment, CommentThread
from rooms.core.errors import NotFound
from rooms.documents.models import Document


def _with_everything(threads: QuerySet[CommentThread]) -> QuerySet[CommentThread]:
    return threads.select_related(
        "document", "author__profile", "resolved_by__profile"
    ).prefetch_related(
        Prefetch(
            "comments",
            queryset=Comment.objects.select_related("author__profile").prefetch_related(
                "reactions"
            ),
        )
    )


def document_threads(*, document: Document) -> QuerySet[CommentThread]:
    """The document's threads, oldest first, each with its comments and reactions."""
    return _with_everything(CommentThread.objects.filter(document=document)).order_by(
        "created_at", "id"
    )


def thread_in_document(*, document: Document, thread_id: Any) -> CommentThread:
    """One thread of the document, read whole. Raises ``NotFound`` (``thread_not_found``) for
    an id that is not a thread of this document."""
    try:
        key = int(thread_id)
    except (TypeError, ValueError):
        key = -1
    thread = _with_everything(CommentThread.objects.filter(document=document, pk=key)).first()
    if thread is None:
        raise NotFound("No such comment thread on this document.", code="thread_not_found")
    return thread


def comment_in_thread(*, thread: CommentThread, comment_id: Any) -> Comment:
    """One comment of the thread. Raises ``NotFound`` (``comment_not_found``)."""
    try:
        key = int(comment_id)
    except (TypeError, ValueError):
        key = -1
    comment = Comment.objects.filter(thread=thread, pk=key).select_related("author").first()
    if comment is None:
        raise NotFound("No such comment in this thread.", code="comment_not_found")
    return comment


def comment_search(*, room: Any, terms: list[str]) -> QuerySet[Comment]:
    """The room's comments that contain every term (case-insensitive), newest first, with
    their thread and document: what room search lists under "Comments"."""
    found = Comment.objects.filter(thread__document__room=room)
    for term in terms:
        found = found.filter(body__icontains=term)
    return found.select_related("author__profile", "thread__document").order_by(
        "-created_at", "-id"
    )
