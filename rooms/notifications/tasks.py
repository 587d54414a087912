"""Background work on notifications: the emails of notifications still unread."""

from __future__ import annotations

import logging

from celery import shared_task

from rooms.notifications.services.email import notification_email_send, users_with_due_notifications

logger = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def email_pending_notifications(user_id: int) -> int:
    """Email the user their pending notifications, once (see
    ``rooms.notifications.services.email``); returns how many the email held, 0 if none."""
    return notification_email_send(user_id=int(user_id))


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def email_due_notifications() -> int:
    """Beat's sweep: email every user with a notification past its delay (checks queued while
    the broker was away, or lost with it); returns how many emails were sent."""
    sent = 0
    for user_id in users_with_due_notifications():
        try:
            sent += 1 if notification_email_send(user_id=user_id) else 0
        except Exception:
            logger.exception("notification email to user %s failed", user_id)
    return sent
