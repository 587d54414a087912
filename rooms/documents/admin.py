"""The operator's view of documents and their versions; locking goes through the same service
as the API."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rooms.core.admin_display import byte_size
from rooms.documents.models import Document, DocumentImage, DocumentVersion
from rooms.documents.services.documents import document_set_locked
from rooms.sync.admin import BinaryReadOnlyAdmin
from rooms.sync.models import DocumentState


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "room", "kind", "is_locked", "last_seq", "created_by", "updated_at"]
    list_filter = ["kind", "is_locked", "created_at"]
    search_fields = ["title", "room__name"]
    readonly_fields = [
        "id",
        "last_seq",
        "created_by",
        "locked_by",
        "locked_at",
        "created_at",
        "updated_at",
        "state_size",
    ]
    raw_id_fields = ["room"]
    actions = ["lock", "unlock"]

    @admin.display(description="Compacted state")
    def state_size(self, document: Document) -> str:
        state = DocumentState.objects.filter(document=document).first()
        return f"{byte_size(state.data)} up to update {state.seq}" if state else "empty"

    @admin.action(description="Lock the selected documents")
    def lock(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        for document in queryset:
            document_set_locked(
                actor=request.user, document_id=document.pk, locked=True, as_operator=True
            )

    @admin.action(description="Unlock the selected documents")
    def unlock(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        for document in queryset:
            document_set_locked(
                actor=request.user, document_id=document.pk, locked=False, as_operator=True
            )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(BinaryReadOnlyAdmin):
    list_display = [
        "__str__",
        "document",
        "seq",
        "is_automatic",
        "size",
        "created_by",
        "created_at",
    ]
    list_filter = ["is_automatic", "created_at"]
    search_fields = ["name", "document__title"]
    exclude = ["data"]
    readonly_fields = ["size"]


@admin.register(DocumentImage)
class DocumentImageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Uploads are made through the API (which decodes and renders them), never here."""

    list_display = ["__str__", "document", "room", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["document__title", "alt"]
    readonly_fields = [
        field.name for field in DocumentImage._meta.fields if field.name not in {"alt"}
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
