"""How a document and a version look to clients: plain functions used by the REST API's
serializers and the webhooks alike, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rooms.core.serializers import json_datetime, user_summary
from rooms.documents.models import Document, DocumentImage, DocumentVersion


def _user(user: Any) -> dict[str, Any] | None:
    return user_summary(user) if user is not None else None


def document_payload(document: Document) -> dict[str, Any]:
    """A document or whiteboard: its title, kind, lock, archiving and who made it."""
    return {
        "id": str(document.pk),
        "room": str(document.room_id),
        "title": document.title,
        "kind": str(document.kind),
        "is_locked": document.is_locked,
        "locked_by": _user(document.locked_by),
        "locked_at": json_datetime(document.locked_at),
        "is_archived": document.is_archived,
        "archived_at": json_datetime(document.archived_at),
        "created_by": _user(document.created_by),
        "created_at": json_datetime(document.created_at),
        "updated_at": json_datetime(document.updated_at),
    }


def _restored_from(version: DocumentVersion) -> dict[str, Any] | None:
    source = version.restored_from if version.restored_from_id is not None else None
    if source is None:
        return None
    return {
        "id": str(source.pk),
        "name": source.name,
        "kind": str(source.kind),
        "created_at": json_datetime(source.created_at),
    }


def version_payload(version: DocumentVersion) -> dict[str, Any]:
    """A version of a document, without its content."""
    return {
        "id": str(version.pk),
        "document": version.document_id,
        "name": version.name,
        "is_automatic": version.is_automatic,
        "kind": str(version.kind),
        "restored_from": _restored_from(version),
        "seq": version.seq,
        "created_by": _user(version.created_by),
        "created_at": json_datetime(version.created_at),
    }


def document_image_url(image: DocumentImage) -> str:
    """Where the document's readers get the image's display rendition (``?original`` for the
    upload as it came): the ``src`` of the editor's ``image`` node."""
    return reverse(
        "document-image", kwargs={"document_id": image.document_id, "image_id": image.pk}
    )


def document_image_payload(image: DocumentImage) -> dict[str, Any]:
    """A stored image of a document: where to get it, what it is and its sizes."""
    src = document_image_url(image)
    return {
        "id": str(image.pk),
        "document": str(image.document_id),
        "src": src,
        "original_src": f"{src}?original",
        "content_type": image.content_type,
        "size": image.size,
        "width": image.width,
        "height": image.height,
        "display_width": image.display_width,
        "display_height": image.display_height,
        "alt": image.alt,
        "uploaded_by": _user(image.uploaded_by),
        "created_at": json_datetime(image.created_at),
    }
