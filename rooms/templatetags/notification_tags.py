"""The header's notification bell: the unread count, rendered with every page."""

from __future__ import annotations

from typing import Any

from django import template

from rooms.notifications.services.notifications import notifications_unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """How many of the signed-in user's notifications are unread (0 for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return notifications_unread_count(user_id=user.pk)
