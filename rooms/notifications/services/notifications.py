"""In-app notifications: storing one, sending it live, reading and marking them read.

``notify`` runs in the web process, inside the request or socket that caused it, and sends
the notification live from there once the transaction commits. Only the delayed email goes
through Celery (``rooms.tasks.email_pending_notifications``): in the embedded default the
worker is another process with an in-memory channel layer, so an event it sent would reach
no socket.

Live delivery goes to the channel-layer group of the user (``rooms.core.live_events.user_group``);
each process's room hub joins it while it holds a socket of that user and hands the event to all of
them, in whatever room (``rooms.room_socket.hub``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from rooms.chat.models import Message
from rooms.comments.models import Comment
from rooms.core.errors import Invalid, NotFound
from rooms.core.live_events import publish_to_user
from rooms.core.task_queue import task_queue
from rooms.documents.models import Document
from rooms.membership.models import Membership, Room
from rooms.membership.selectors import room_access
from rooms.notifications.events import notification_event, unread_count_event
from rooms.notifications.models import Notification, NotificationKind

logger = logging.getLogger(__name__)

EMAIL_TASK = "rooms.notifications.tasks.email_pending_notifications"


def _suppressed(*, user: Any, room: Room | None, actor: Any) -> bool:
    if actor is not None and actor.pk == user.pk:
        return True
    if room is None:
        return False
    return Membership.objects.filter(room=room, user=user, muted=True).exists()


def notify(
    *,
    user: Any,
    kind: NotificationKind | str,
    room: Room | None = None,
    message: Message | None = None,
    document: Document | None = None,
    comment: Comment | None = None,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> Notification | None:
    """Store one notification for ``user`` and, once committed, send it to their open
    sockets and schedule the email check.

    Returns ``None`` when it is suppressed: the actor is the user, the user muted the room,
    or the same notification (user, kind, message or comment) already exists. Raises
    ``Invalid`` for an unknown kind.
    """
    if kind not in NotificationKind.values:
        raise Invalid("Unknown notification kind.", code="invalid_kind", field="kind")
    if room is None and message is not None:
        room = message.room
    if room is None and document is not None:
        room = document.room
    if _suppressed(user=user, room=room, actor=actor):
        return None
    try:
        # A savepoint: a duplicate must not break the caller's transaction.
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                room=room,
                message=message,
                document=document,
                comment=comment,
                actor=actor,
                data=data or {},
            )
    except IntegrityError:
        return None
    _publish_created(notification)
    _schedule_email(user_id=user.pk)
    return notification


def _publish_created(notification: Notification) -> None:
    user_id = notification.user_id
    notification_id = notification.pk

    def build() -> list[dict[str, Any]]:
        fresh = (
            Notification.objects.select_related("actor", "room", "document", "message", "comment")
            .filter(pk=notification_id)
            .first()
        )
        events = [] if fresh is None else [notification_event(fresh)]
        events.append(
            unread_count_event(user_id=user_id, count=notifications_unread_count(user_id=user_id))
        )
        return events

    publish_to_user(user_id, build)


def _schedule_email(*, user_id: int) -> None:
    def queue() -> None:
        try:
            task_queue(
                EMAIL_TASK, user_id, countdown=settings.COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS
            )
        except Exception:
            # The broker being away must not fail the request that notified; the periodic
            # sweep (``email_due_notifications``) picks the notification up later.
            logger.warning("could not queue the notification email check", exc_info=True)

    transaction.on_commit(queue)


# --- reading ------------------------------------------------------------------------------


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    queryset = Notification.objects.filter(user=user).select_related(
        "actor", "room", "document", "message", "comment"
    )
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notifications_unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


# --- marking read -------------------------------------------------------------------------


@dataclass(frozen=True)
class Marked:
    """What a mark-read call changed, and the unread count after it."""

    marked: int
    unread: int


def notification_mark_read(*, user: Any, notification_id: Any) -> Notification:
    """Mark one of the user's notifications read (again is a no-op). Raises ``NotFound`` for
    an id that is not one of theirs."""
    try:
        notification_pk = int(notification_id)
    except (TypeError, ValueError):
        notification_pk = -1
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_pk, user=user).first()
        )
        if notification is None:
            raise NotFound("No such notification.", code="notification_not_found")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            _publish_unread(user_id=user.pk)
    return notification


def notification_mark_all_read(*, user: Any) -> Marked:
    """Mark every unread notification of the user read."""
    with transaction.atomic():
        marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if marked:
            _publish_unread(user_id=user.pk)
    return Marked(marked=marked, unread=notifications_unread_count(user_id=user.pk))


# --- preferences --------------------------------------------------------------------------


def membership_set_muted(*, actor: Any, room_id: Any, muted: bool) -> Membership:
    """Mute (no notifications, no emails from this room) or unmute a room for oneself.

    Raises ``NotFound`` (``room_not_found``) for a room the actor cannot see, and ``NotFound``
    (``not_a_member``) for one they can see (public) but are not a member of: only members
    are notified, so there is nothing to mute.
    """
    access = room_access(user=actor, room_id=room_id)
    membership = Membership.objects.filter(room=access.room, user=actor).first()
    if membership is None:
        raise NotFound("You are not a member of this room.", code="not_a_member")
    if membership.muted != muted:
        membership.muted = muted
        membership.save(update_fields=["muted"])
    return membership


def _publish_unread(*, user_id: int) -> None:
    publish_to_user(
        user_id,
        lambda: [
            unread_count_event(user_id=user_id, count=notifications_unread_count(user_id=user_id))
        ],
    )
