"""The operator's view of memberships and invites. Form edits write models directly, as
Django's admin does; the actions (revoke) go through the same services as the API."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rooms.membership.models import Invite, Membership
from rooms.membership.services.invites import invite_revoke


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "room", "role", "joined_at", "muted"]
    list_filter = ["role", "muted"]
    search_fields = ["user__username", "room__name"]
    raw_id_fields = ["room", "user", "invited_by", "last_read_message"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "room",
        "role",
        "created_by",
        "expires_at",
        "use_count",
        "max_uses",
        "revoked_at",
    ]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter), "expires_at"]
    search_fields = ["room__name", "token", "created_by__username"]
    readonly_fields = ["token", "use_count", "created_at", "revoked_at"]
    raw_id_fields = ["room", "created_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected invites")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invite]) -> None:
        for invite in queryset.filter(revoked_at=None):
            invite_revoke(
                actor=request.user, room_id=invite.room_id, invite_id=invite.pk, as_operator=True
            )
