"""The one email that batches a user's unread notifications, sent once.

Runs in the Celery worker (``rooms.tasks.email_pending_notifications``, queued by ``notify``
with a countdown of ``COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS``, and the periodic
``email_due_notifications`` sweep that catches checks lost while the broker was away).

Exactly once, how: the batch is claimed and sent inside one transaction. The claim is an
``UPDATE ... SET emailed_at = <stamp> WHERE emailed_at IS NULL ...``, which takes the rows'
write locks (PostgreSQL row locks, SQLite's database write lock), so a second run of the task
at the same moment waits and then claims nothing. The email is sent while the transaction is
open and the claim commits only after the backend accepted it. A worker killed before that
point (while reading, rendering or sending) rolls the claim back with its connection, and
the re-run (late acknowledgement) sends the batch once. The trade-off we chose: the one window
left is a kill between the backend accepting the email and the commit (microseconds), which
would send it twice; the other order (commit the claim, then send) would instead lose the
email in the same window, and a lost notification is worse than a rare repeat. The cost is a
transaction held open for the length of one send.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from rooms.membership.models import Membership
from rooms.notifications.events import notification_url
from rooms.notifications.models import Notification

logger = logging.getLogger(__name__)


def _pending(user_id: int) -> QuerySet[Notification]:
    """Unread, never emailed, and not in a room the user has muted since."""
    muted = Membership.objects.filter(user_id=user_id, muted=True).values("room_id")
    return Notification.objects.filter(
        user_id=user_id, read_at__isnull=True, emailed_at__isnull=True
    ).exclude(room_id__in=muted)


def _due_before() -> Any:
    return timezone.now() - timedelta(seconds=settings.COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS)


def notification_email_send(*, user_id: int) -> int:
    """Send the user one email with all their pending notifications, if at least one of them
    has waited ``COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS`` unread; returns how many it held
    (0: nothing sent). Newer pending ones ride along, so they do not make an email of their
    own later. Nothing is sent to a user without an address or with ``email_notifications``
    off; their notifications stay in the app."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.profile.email_notifications:
        return 0
    if not _pending(user_id).filter(created_at__lte=_due_before()).exists():
        return 0
    with transaction.atomic():
        stamp = timezone.now()
        claimed = _pending(user_id).update(emailed_at=stamp)
        if not claimed:
            return 0  # another run took them between the check and the claim
        batch = list(
            Notification.objects.filter(user_id=user_id, emailed_at=stamp)
            .select_related("actor", "room", "document", "message", "comment")
            .order_by("created_at", "id")
        )
        subject, body = _render(user, batch)
        send_mail(subject, body, None, [user.email])
    logger.info("emailed %d notifications to user %s", len(batch), user_id)
    return len(batch)


def users_with_due_notifications() -> list[int]:
    """The users who have a notification that waited long enough unread and unemailed."""
    return list(
        Notification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, created_at__lte=_due_before()
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def _render(user: Any, batch: list[Notification]) -> tuple[str, str]:
    base = settings.COLLAB_PUBLIC_URL.rstrip("/")
    items = [
        {"notification": notification, "url": f"{base}{notification_url(notification) or ''}"}
        for notification in batch
    ]
    count = len(batch)
    subject = (
        "1 new notification in Collab" if count == 1 else f"{count} new notifications in Collab"
    )
    body = render_to_string(
        "rooms/notifications_email.txt", {"user": user, "items": items, "count": count}
    )
    return subject, body
