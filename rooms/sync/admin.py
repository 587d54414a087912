"""The operator's read-only view of the document log: compacted states and logged updates."""

from __future__ import annotations

from typing import Protocol

from django.contrib import admin
from django.http import HttpRequest

from rooms.core.admin_display import byte_size
from rooms.sync.models import DocumentState, DocumentUpdate


class BinaryRow(Protocol):
    data: bytes | memoryview


class BinaryReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Yjs state is written only by the sync engine: shown as sizes, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Size")
    def size(self, row: BinaryRow) -> str:
        return byte_size(row.data)


@admin.register(DocumentState)
class DocumentStateAdmin(BinaryReadOnlyAdmin):
    list_display = ["document", "seq", "size", "updated_at"]
    search_fields = ["document__title"]
    exclude = ["data"]
    readonly_fields = ["size"]


@admin.register(DocumentUpdate)
class DocumentUpdateAdmin(BinaryReadOnlyAdmin):
    list_display = ["document", "seq", "size", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["document__title", "author__username"]
    exclude = ["data"]
    readonly_fields = ["size"]
