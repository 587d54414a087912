"""The operator's view of notifications."""

from __future__ import annotations

from django.contrib import admin

from rooms.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "kind", "room", "actor", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["user__username", "room__name"]
    raw_id_fields = ["user", "room", "message", "document", "actor"]
