"""Reads of documents shared by views, consumers and services: who may read or write which
document, one at a time or for many sockets at once."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from rooms.accounts.models import Profile
from rooms.accounts.services import palette_color
from rooms.core.errors import NotFound
from rooms.documents.models import Document, DocumentImage, ShareLink, ShareLinkRole
from rooms.documents.permissions import can_edit_document
from rooms.membership.models import Membership, Role, Room
from rooms.membership.permissions import Access, require_role
from rooms.membership.selectors import READ_CHUNK, as_uuid, room_access, room_accesses


def document_access(
    *, user: Any, document_id: Any, as_operator: bool = False
) -> tuple[Document, Access]:
    """A document with the user's access to its room. Raises ``NotFound`` like ``room_access``."""
    key = as_uuid(document_id)
    document = Document.objects.filter(pk=key).first() if key is not None else None
    if document is None:
        raise NotFound("No such document.", code="document_not_found")
    try:
        access = room_access(user=user, room_id=document.room_id, as_operator=as_operator)
    except NotFound as error:
        raise NotFound("No such document.", code="document_not_found") from error
    return document, access


def document_image_for_reading(
    *, user: Any, document_id: Any, image_id: Any, share_link_ids: Collection[int] = ()
) -> DocumentImage:
    """An image of a document the user may read (as ``document_access`` decides), or that one
    of ``share_link_ids`` (the links their browser followed) opens while it is live. Raises
    ``NotFound`` (``document_not_found``) like ``document_access``, and (``image_not_found``)
    for an image id that is not one of the document's."""
    try:
        document, _ = document_access(user=user, document_id=document_id)
    except NotFound:
        shared = _document_shared_by(share_link_ids, document_id)
        if shared is None:
            raise
        document = shared
    key = as_uuid(image_id)
    image = DocumentImage.objects.filter(pk=key, document=document).first() if key else None
    if image is None:
        raise NotFound("No such image in this document.", code="image_not_found")
    return image


def _document_shared_by(share_link_ids: Collection[int], document_id: Any) -> Document | None:
    """The document, when one of these links to it is live (its room not deleted)."""
    key = as_uuid(document_id)
    if key is None or not share_link_ids:
        return None
    now = timezone.now()
    links = ShareLink.objects.select_related("document").filter(
        pk__in=list(share_link_ids),
        document_id=key,
        revoked_at=None,
        document__room__deleted_at=None,
    )
    return next((link.document for link in links if link.is_live(now)), None)


def room_documents(*, room: Room) -> QuerySet[Document]:
    return (
        Document.objects.filter(room=room).select_related("created_by").order_by("created_at", "id")
    )


@dataclass(frozen=True)
class DocumentGrant:
    """What one connection may do with one document, decided when it connects."""

    document: Document
    can_write: bool
    identity: dict[str, str]
    expires_at: datetime | None = None  # a share link's expiry: the connection ends then


def document_grants(
    *, users_documents: set[tuple[Any, uuid.UUID]]
) -> dict[tuple[Any, uuid.UUID], DocumentGrant]:
    """Each (user, document id) pair's grant: whether the user may edit the document, and the
    name and colour the server stamps on their cursor. Pairs without access (no such document,
    or no access to its room, as ``document_access`` decides) are missing. Three to four
    queries per ``READ_CHUNK`` pairs, whatever their users and documents: a reconnect storm's
    sockets ask together."""
    documents: dict[uuid.UUID, Document] = {}
    wanted = list({document_id for _, document_id in users_documents})
    for start in range(0, len(wanted), READ_CHUNK):
        documents.update(Document.objects.in_bulk(wanted[start : start + READ_CHUNK]))
    accesses = room_accesses(
        users_rooms={
            (user, documents[document_id].room_id)
            for user, document_id in users_documents
            if document_id in documents
        }
    )
    identities = _identities({access.user for access in accesses.values()})
    grants = {}
    for user, document_id in users_documents:
        document = documents.get(document_id)
        access = accesses.get((user, document.room_id)) if document is not None else None
        if document is not None and access is not None:
            grants[user, document_id] = DocumentGrant(
                document=document,
                can_write=can_edit_document(access, document),
                identity=identities[user.pk],
            )
    return grants


def _identities(users: set[Any]) -> dict[Any, dict[str, str]]:
    """The name and colour of each user's cursor, by user id (``Profile.name``; a user saved
    without the signal that makes a profile gets the palette's colour)."""
    identities = {
        user.pk: {"name": user.get_username(), "color": palette_color(user)} for user in users
    }
    ids = list(identities)
    for start in range(0, len(ids), READ_CHUNK):
        for user_id, display_name, color in Profile.objects.filter(
            user_id__in=ids[start : start + READ_CHUNK]
        ).values_list("user_id", "display_name", "color"):
            identities[user_id] = {
                "name": display_name or identities[user_id]["name"],
                "color": color,
            }
    return identities


def documents_live_grants(
    users_by_document: dict[Any, set[int]],
) -> dict[Any, dict[int, bool] | None]:
    """Re-check the open connections of many documents: for each document, each of its users
    who may still read it, mapped to whether they may write it. Users missing from a
    document's grants lost access; ``None`` means the document (or its room) is gone. Two
    queries whatever the number of documents."""
    documents = {
        document.pk: document
        for document in Document.objects.select_related("room").filter(pk__in=users_by_document)
    }
    all_users = set().union(*users_by_document.values())
    roles = {
        (room_id, user_id): role
        for room_id, user_id, role in Membership.objects.filter(
            room_id__in={document.room_id for document in documents.values()},
            user_id__in=all_users,
        ).values_list("room_id", "user_id", "role")
    }
    result: dict[Any, dict[int, bool] | None] = {}
    for document_id, user_ids in users_by_document.items():
        document = documents.get(document_id)
        if document is None or document.room.deleted_at is not None:
            result[document_id] = None
            continue
        grants: dict[int, bool] = {}
        for user_id in user_ids:
            role = roles.get((document.room_id, user_id))
            if role is None and not document.room.is_public:
                continue
            access = Access(user=None, room=document.room, role=Role(role) if role else None)
            grants[user_id] = can_edit_document(access, document)
        result[document_id] = grants
    return result


# The name and colour a share link's guest has on everyone's cursors.
GUEST_IDENTITY = {"name": "Guest", "color": "#6b7280"}


def share_links_of(*, user: Any, document_id: Any) -> QuerySet[ShareLink]:
    """A document's links that are not revoked, for its room's owners and editors (expired
    ones too, marked so). Raises ``NotFound`` and ``Forbidden``."""
    document, access = document_access(user=user, document_id=document_id)
    require_role(access, Role.EDITOR, "see share links")
    return ShareLink.objects.filter(document=document, revoked_at=None).select_related("created_by")


def share_link_by_digest(digest: str) -> ShareLink | None:
    """The link with this digest, live or not (its page tells which), with its document."""
    return (
        ShareLink.objects.select_related("document", "document__room")
        .filter(digest=digest, document__room__deleted_at=None)
        .first()
    )


def share_link_can_write(link: ShareLink) -> bool:
    """An edit link writes like one of its room's editors: not a locked or archived document,
    nor in an archived room."""
    document = link.document
    return (
        link.role == ShareLinkRole.EDITOR
        and not document.is_locked
        and document.archived_at is None
        and not document.room.is_archived
    )


def share_link_grants(*, digests: set[str]) -> dict[str, DocumentGrant]:
    """The grant of each live link (not revoked, not expired, its room not deleted) among
    ``digests``, for the sockets opened through them: one query for all."""
    now = timezone.now()
    grants = {}
    links = ShareLink.objects.select_related("document", "document__room").filter(
        digest__in=digests, revoked_at=None, document__room__deleted_at=None
    )
    for link in links:
        if link.is_live(now):
            grants[link.digest] = DocumentGrant(
                document=link.document,
                can_write=share_link_can_write(link),
                identity=GUEST_IDENTITY,
                expires_at=link.expires_at,
            )
    return grants


def share_links_live(digests: set[str]) -> dict[str, bool]:
    """Re-check the sockets opened through links: each live link's digest, mapped to whether
    it may write."""
    if not digests:
        return {}
    return {digest: grant.can_write for digest, grant in share_link_grants(digests=digests).items()}
