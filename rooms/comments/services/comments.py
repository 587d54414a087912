"""Comments of a thread: reply, edit, delete. Every change publishes its room event
(``rooms.comments.events``) once committed, whether it came over REST or the room socket."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rooms.chat.services.mentions import render_with_mentions
from rooms.chat.services.rate import chat_rate_take
from rooms.comments import events
from rooms.comments.models import Comment, CommentMention, CommentThread
from rooms.comments.selectors import comment_in_thread, thread_in_document
from rooms.comments.services.access import (
    clean_body,
    commentable,
    require_author,
    require_can_delete,
)
from rooms.comments.signals import comment_edited, comment_posted
from rooms.membership.models import Room


def thread_touch(thread: CommentThread, **changes: Any) -> None:
    """Count a change of the thread (its ``revision``), with ``changes`` to its fields."""
    CommentThread.objects.filter(pk=thread.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **changes
    )


def _mentions_record(comment: Comment, user_ids: frozenset[int]) -> None:
    CommentMention.objects.filter(comment=comment).exclude(user_id__in=user_ids).delete()
    CommentMention.objects.bulk_create(
        [CommentMention(comment=comment, user_id=user_id) for user_id in sorted(user_ids)],
        ignore_conflicts=True,
    )


def comment_create(*, thread: CommentThread, room: Room, author: Any, body: str) -> Comment:
    """Store a comment with its mentions and announce it (``comment_posted``). No checks:
    callers have made them; call inside their transaction."""
    rendered = render_with_mentions(room=room, body=body, author_id=author.pk)
    comment = Comment.objects.create(
        thread=thread, author=author, body=body, body_html=rendered.html
    )
    _mentions_record(comment, rendered.user_ids)
    opened = not Comment.objects.filter(thread=thread, pk__lt=comment.pk).exists()
    comment_posted.send(
        sender=Comment, comment=comment, opened_thread=opened, mentioned_ids=rendered.user_ids
    )
    return comment


def comment_reply(
    *, actor: Any, document_id: Any, share_link_ids: Collection[int] = (), thread_id: Any, body: str
) -> Comment:
    """Reply in a thread (commenters and above; a resolved thread takes replies too).
    Publishes ``comment.created``. Raises ``NotFound`` (``document_not_found``,
    ``thread_not_found``), ``Forbidden`` for viewers, ``Invalid`` (``blank``,
    ``max_length``) and ``ChatRateLimited`` past the user's rate."""
    document, access = commentable(
        actor=actor, document_id=document_id, share_link_ids=share_link_ids
    )
    thread = thread_in_document(document=document, thread_id=thread_id)
    body = clean_body(body)
    chat_rate_take(user_id=actor.pk)
    with transaction.atomic():
        comment = comment_create(thread=thread, room=access.room, author=actor, body=body)
        thread_touch(thread)
        events.publish_thread_change("comment.created", thread, comment.pk)
    return comment


def comment_edit(
    *,
    actor: Any,
    document_id: Any,
    share_link_ids: Collection[int] = (),
    thread_id: Any,
    comment_id: Any,
    body: str,
) -> Comment:
    """Change the body of one's own comment; its mentions are recorded again and new ones
    notified. Publishes ``comment.edited``; an unchanged body changes nothing. Raises like
    ``comment_reply``, and ``NotFound`` (``comment_not_found``), ``Forbidden``
    (``not_author``)."""
    document, access = commentable(
        actor=actor, document_id=document_id, share_link_ids=share_link_ids
    )
    thread = thread_in_document(document=document, thread_id=thread_id)
    comment = comment_in_thread(thread=thread, comment_id=comment_id)
    require_author(access, comment)
    body = clean_body(body)
    if body == comment.body:
        return comment
    chat_rate_take(user_id=actor.pk)
    rendered = render_with_mentions(room=access.room, body=body, author_id=actor.pk)
    with transaction.atomic():
        comment.body = body
        comment.body_html = rendered.html
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        _mentions_record(comment, rendered.user_ids)
        comment_edited.send(sender=Comment, comment=comment, mentioned_ids=rendered.user_ids)
        thread_touch(thread)
        events.publish_thread_change("comment.edited", thread, comment.pk)
    return comment


def comment_delete(
    *,
    actor: Any,
    document_id: Any,
    share_link_ids: Collection[int] = (),
    thread_id: Any,
    comment_id: Any,
) -> bool:
    """Delete a comment (its author or a room owner). The thread's first comment is the
    thread: deleting it deletes the whole thread (``comment_thread.deleted``); any other
    goes alone (``comment.deleted``). Returns whether the thread went. Raises like
    ``comment_edit``, ``Forbidden`` for anyone else."""
    document, access = commentable(
        actor=actor, document_id=document_id, share_link_ids=share_link_ids
    )
    thread = thread_in_document(document=document, thread_id=thread_id)
    comment = comment_in_thread(thread=thread, comment_id=comment_id)
    require_can_delete(access, comment)
    opening = thread.comments.all()[0].pk == comment.pk
    with transaction.atomic():
        if opening:
            events.publish_thread_deleted(thread)
            thread.delete()
            return True
        comment.delete()
        thread_touch(thread)
        events.publish_thread_change("comment.deleted", thread, comment.pk)
    return False
