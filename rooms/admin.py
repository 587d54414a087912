"""The operator's view: each concept's ``admin`` module, imported here so that Django's admin
autodiscovery (which looks for ``rooms.admin``) registers them, and the room's page, which
shows its members and documents together. Form edits write models directly, as Django's admin
does; the actions (archive, lock, revoke) go through the same services as the API."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from rooms.chat import admin as chat_admin
from rooms.comments import admin as comment_admin
from rooms.documents import admin as document_admin
from rooms.documents.models import Document
from rooms.membership import admin as membership_admin
from rooms.membership.models import Membership, Room
from rooms.membership.services.rooms import room_set_archived
from rooms.notifications import admin as notification_admin
from rooms.sync import admin as sync_admin
from rooms.webhooks import admin as webhook_admin

CONCEPT_ADMINS = (
    membership_admin,
    document_admin,
    sync_admin,
    chat_admin,
    comment_admin,
    notification_admin,
    webhook_admin,
)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "room"
    extra = 0
    fields = ["user", "role", "joined_at", "invited_by", "muted"]
    readonly_fields = ["joined_at", "invited_by"]
    raw_id_fields = ["user"]


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Document
    extra = 0
    fields = readonly_fields = ("title", "kind", "is_locked", "last_seq", "updated_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "slug",
        "is_public",
        "is_archived",
        "member_count",
        "max_participants",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["is_public", "is_archived", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    readonly_fields = ["id", "created_by", "created_at", "updated_at", "archived_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, DocumentInline]
    actions = ["archive", "unarchive"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Room]:
        rooms: QuerySet[Room] = super().get_queryset(request)
        return rooms.annotate(members_total=Count("memberships"))

    @admin.display(description="Members", ordering="members_total")
    def member_count(self, room: Room) -> int:
        return room.members_total  # type: ignore[attr-defined,no-any-return]

    @admin.action(description="Archive the selected rooms (read-only)")
    def archive(self, request: HttpRequest, queryset: QuerySet[Room]) -> None:
        for room in queryset:
            room_set_archived(actor=request.user, room_id=room.pk, archived=True, as_operator=True)

    @admin.action(description="Unarchive the selected rooms")
    def unarchive(self, request: HttpRequest, queryset: QuerySet[Room]) -> None:
        for room in queryset:
            room_set_archived(actor=request.user, room_id=room.pk, archived=False, as_operator=True)
