"""The operator's view of comments: threads with their anchor and comments, searchable by
what the comments say. Read-only: comments are people's words, changed only by them (through
the API), so the live views of everyone with the document open never disagree with the rows."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rooms.comments.models import Comment, CommentThread


class CommentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Comment
    extra = 0
    fields = readonly_fields = ("author", "body", "created_at", "edited_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CommentThread)
class CommentThreadAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "document", "author", "anchor_kind", "short_quote", "resolved_at"]
    list_filter = ["anchor_kind", ("resolved_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["quote", "comments__body", "document__title", "author__username"]
    readonly_fields = [
        "document",
        "author",
        "anchor_kind",
        "anchor_start",
        "anchor_end",
        "quote",
        "shape_id",
        "resolved_at",
        "resolved_by",
        "revision",
        "created_at",
        "updated_at",
    ]
    inlines = [CommentInline]

    @admin.display(description="Quote")
    def short_quote(self, thread: CommentThread) -> str:
        return thread.quote[:80] or thread.shape_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
