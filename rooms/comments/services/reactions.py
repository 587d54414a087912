"""Emoji reactions on comments, with the chat's rule of what an emoji is
(``rooms.chat.services.reactions.emoji_clean``) and its limit of distinct emoji."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction

from rooms.chat.services.rate import chat_rate_take
from rooms.chat.services.reactions import MAX_DISTINCT_EMOJI, emoji_clean
from rooms.comments import events
from rooms.comments.models import Comment, CommentReaction, CommentThread
from rooms.comments.selectors import comment_in_thread, thread_in_document
from rooms.comments.services.access import commentable
from rooms.comments.services.comments import thread_touch
from rooms.core.errors import Conflict


def _reactable(
    *,
    actor: Any,
    document_id: Any,
    share_link_ids: Collection[int] = (),
    thread_id: Any,
    comment_id: Any,
) -> tuple[CommentThread, Comment]:
    document, _ = commentable(actor=actor, document_id=document_id, share_link_ids=share_link_ids)
    thread = thread_in_document(document=document, thread_id=thread_id)
    return thread, comment_in_thread(thread=thread, comment_id=comment_id)


def comment_reaction_set(
    *,
    actor: Any,
    document_id: Any,
    share_link_ids: Collection[int] = (),
    thread_id: Any,
    comment_id: Any,
    emoji: str,
    on: bool,
) -> bool:
    """Add (``on``) or take back one's reaction to a comment (commenters and above). Returns
    whether anything changed; the same reaction twice, or taking back none, changes nothing.
    Publishes ``comment.reactions``. Raises ``NotFound`` (``document_not_found``,
    ``thread_not_found``, ``comment_not_found``), ``Forbidden``, ``Invalid``
    (``invalid_emoji``), ``Conflict`` (``too_many_reactions``) and ``ChatRateLimited``."""
    thread, comment = _reactable(
        actor=actor,
        document_id=document_id,
        share_link_ids=share_link_ids,
        thread_id=thread_id,
        comment_id=comment_id,
    )
    emoji = emoji_clean(emoji)
    mine = CommentReaction.objects.filter(comment=comment, user=actor, emoji=emoji)
    if mine.exists() == on:
        return False
    chat_rate_take(user_id=actor.pk)
    if on:
        emojis = set(
            CommentReaction.objects.filter(comment=comment).values_list("emoji", flat=True)
        )
        if emoji not in emojis and len(emojis) >= MAX_DISTINCT_EMOJI:
            raise Conflict(
                f"A comment takes at most {MAX_DISTINCT_EMOJI} different emoji.",
                code="too_many_reactions",
            )
    try:
        with transaction.atomic():
            if on:
                CommentReaction.objects.create(comment=comment, user=actor, emoji=emoji)
            elif not mine.delete()[0]:
                return False
            thread_touch(thread)
            events.publish_thread_change("comment.reactions", thread, comment.pk)
    except IntegrityError:  # the same reaction sent twice at once: the other one won
        return False
    return True
