"""The notifications page, ``/notifications/``: the signed-in user's notifications, newest
first, each linking to its place, with mark read and mark all read. Works as plain forms;
``frontend/src/notifications.ts`` makes them instant and keeps the list current."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from rooms.accounts.authentication import AuthenticatedRequest
from rooms.core.errors import NotFound
from rooms.notifications.events import notification_payload
from rooms.notifications.services.notifications import (
    notification_mark_all_read,
    notification_mark_read,
    notifications_for,
    notifications_unread_count,
)

PAGE_SIZE = 50


@login_required
@never_cache
def notifications_page(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        if "all" in request.POST:
            notification_mark_all_read(user=request.user)
        elif "read" in request.POST:
            try:
                notification_mark_read(user=request.user, notification_id=request.POST["read"])
            except NotFound:
                pass  # someone else's or gone: nothing to mark, the list shows what is left
        return redirect(request.get_full_path())
    unread_only = request.GET.get("filter") == "unread"
    listed = notifications_for(user=request.user, unread_only=unread_only)
    before = request.GET.get("before", "")
    if before.isdigit():
        listed = listed.filter(id__lt=int(before))
    page = list(listed.order_by("-id")[: PAGE_SIZE + 1])
    items = [{**notification_payload(n), "created": n.created_at} for n in page[:PAGE_SIZE]]
    return render(
        request,
        "rooms/notifications.html",
        {
            "items": items,
            "unread_only": unread_only,
            "older": items[-1]["id"] if len(page) > PAGE_SIZE else None,
            "unread_count": notifications_unread_count(user_id=request.user.pk),
            "page_context": {
                "urls": {
                    "list": reverse("notification-list"),
                    "readAll": reverse("notification-read-all"),
                    "unreadCount": reverse("notification-unread-count"),
                    "detail": reverse("notification-detail", args=["0"]),
                    # The person's own socket (rooms.room_socket.user_consumer): new ones live.
                    "userSocket": (
                        f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}/ws/me"
                    ),
                },
                "unreadOnly": unread_only,
                "csrfToken": get_token(request),
            },
        },
    )
