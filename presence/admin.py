from __future__ import annotations

from django.contrib import admin

from presence.models import LastSeen


@admin.register(LastSeen)
class LastSeenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "room", "seen_at"]
    list_filter = ["seen_at"]
    search_fields = ["user__username", "room__name"]
    raw_id_fields = ["room", "user"]
