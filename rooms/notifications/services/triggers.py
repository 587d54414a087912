"""What notifies whom: a mention (in chat, a comment or a document's text), a reply in one's
thread (of chat or of comments), being added to a room, a document shared. Called by the
services that make those changes, inside their transaction; ``notify`` does the storing, the
suppression rules and the delivery after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from rooms.chat.models import Message
from rooms.comments.models import Comment
from rooms.documents.models import Document
from rooms.membership.models import Membership
from rooms.notifications.models import Notification, NotificationKind
from rooms.notifications.services.notifications import notify


def _users(user_ids: Iterable[int]) -> list[Any]:
    ids = sorted(set(user_ids))
    if not ids:
        return []
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify_message(
    *, message: Message, mentioned_ids: Iterable[int], room_mention: bool, edited: bool = False
) -> None:
    """Notify those a new or edited message concerns, never its author.

    ``mention``: each member named (``mentioned_ids``, already checked against the members)
    and, for ``@room``, every member. ``reply``: for a thread reply, the root's author and
    everyone who replied before, unless the reply also mentions them (one notification for
    one message is enough). For an ``edited`` message only mentions count, and only those
    not notified before are: ``notify`` keeps one per user, kind and message.
    """
    author_id = message.author_id
    mentioned = set(mentioned_ids)
    if room_mention:
        mentioned |= set(
            Membership.objects.filter(room_id=message.room_id).values_list("user_id", flat=True)
        )
    mentioned.discard(author_id)
    actor = message.author
    for user in _users(mentioned):
        notify(user=user, kind=NotificationKind.MENTION, message=message, actor=actor)
    if message.parent_id is None or edited:
        return
    in_thread = set(
        Message.objects.filter(parent_id=message.parent_id, author__isnull=False)
        .exclude(pk=message.pk)
        .values_list("author_id", flat=True)
    )
    root_author = Message.objects.values_list("author_id", flat=True).get(pk=message.parent_id)
    if root_author is not None:
        in_thread.add(root_author)
    # Only those who may still read the room hear of it.
    members = set(
        Membership.objects.filter(room_id=message.room_id, user_id__in=in_thread).values_list(
            "user_id", flat=True
        )
    )
    for user in _users(members - mentioned - {author_id}):
        notify(user=user, kind=NotificationKind.REPLY, message=message, actor=actor)


def notify_member_added(*, membership: Membership, actor: Any) -> None:
    """``invite``: someone added a user to a room (joining by oneself notifies nobody)."""
    notify(
        user=membership.user,
        kind=NotificationKind.INVITE,
        room=membership.room,
        actor=actor,
        data={"role": membership.role},
    )


def notify_document_shared(*, document: Document, user: Any, actor: Any, note: str = "") -> Any:
    """``document_shared``: ``actor`` points ``user`` at ``document``. Returns the
    notification, or ``None`` when suppressed (muted room) or when the same share is still
    unread (sharing again does not pile up notifications)."""
    if Notification.objects.filter(
        user=user, kind=NotificationKind.DOCUMENT_SHARED, document=document, read_at__isnull=True
    ).exists():
        return None
    return notify(
        user=user,
        kind=NotificationKind.DOCUMENT_SHARED,
        document=document,
        actor=actor,
        data={"note": note} if note else {},
    )


def notify_document_mention(*, document: Document, user: Any, actor: Any) -> Any:
    """``mention`` in a document's text: ``actor`` (``None`` when unknown) mentioned ``user``,
    who may read it (``rooms.documents.services.mentions`` checked). Returns the notification,
    or ``None`` when suppressed (a mention of oneself, a muted room)."""
    return notify(user=user, kind=NotificationKind.MENTION, document=document, actor=actor)


def notify_comment(*, comment: Comment, mentioned_ids: Iterable[int], edited: bool = False) -> None:
    """Notify those a new or edited comment concerns, never its author.

    ``mention``: each member named (``mentioned_ids``, checked against the members).
    ``comment_reply``: for a reply, everyone who commented in the thread before (its author
    first among them), unless the reply also mentions them, and only while they are members.
    For an ``edited`` comment only mentions count, and only new ones (``notify`` keeps one
    per user, kind and comment).
    """
    author_id = comment.author_id
    thread = comment.thread
    room_id = thread.document.room_id
    mentioned = set(
        Membership.objects.filter(room_id=room_id, user_id__in=set(mentioned_ids)).values_list(
            "user_id", flat=True
        )
    )
    mentioned.discard(author_id)
    actor = comment.author
    for user in _users(mentioned):
        notify(
            user=user,
            kind=NotificationKind.MENTION,
            document=thread.document,
            comment=comment,
            actor=actor,
        )
    if edited:
        return
    before = set(
        Comment.objects.filter(thread=thread, author__isnull=False)
        .exclude(pk=comment.pk)
        .values_list("author_id", flat=True)
    )
    members = set(
        Membership.objects.filter(room_id=room_id, user_id__in=before).values_list(
            "user_id", flat=True
        )
    )
    for user in _users(members - mentioned - {author_id}):
        notify(
            user=user,
            kind=NotificationKind.COMMENT_REPLY,
            document=thread.document,
            comment=comment,
            actor=actor,
        )
