from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rooms.accounts.models import ApiToken, Profile
from rooms.accounts.services import api_token_revoke


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "user",
        "display_name",
        "color",
        "email_notifications",
        "email_verification_pending",
    ]
    list_filter = ["email_notifications", "email_verification_pending"]
    search_fields = ["user__username", "user__email", "display_name"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "scope", "created_at"]
    search_fields = ["name", "prefix", "user__username"]
    # A token's limits are its owner's choice when they make it: the admin shows them.
    readonly_fields = [
        "user",
        "prefix",
        "digest",
        "created_at",
        "expires_at",
        "scope",
        "room_ids",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by their owners, who must see the secret once

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at=None):
            api_token_revoke(user=token.user, token_id=token.pk)
