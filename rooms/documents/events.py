"""The live events of a room's documents and whiteboards, built from the payload the REST API
returns (``rooms.documents.payloads``), published to the room's group by
``rooms.room_socket.receivers``. Their schemas are in ``rooms.room_socket.schemas``."""

from __future__ import annotations

from typing import Any

from rooms.documents.models import Document
from rooms.documents.payloads import document_payload


def document_event(event_type: str, document: Document) -> dict[str, Any]:
    """``document.created`` or ``document.updated`` (renamed, locked, unlocked)."""
    return {"type": event_type, "document": document_payload(document)}


def document_deleted_event(*, document_id: Any, room_id: Any, kind: str) -> dict[str, Any]:
    """``document.deleted``: gone with its history."""
    return {
        "type": "document.deleted",
        "room": str(room_id),
        "document": {"id": str(document_id), "kind": kind},
    }
