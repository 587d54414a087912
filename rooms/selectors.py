"""Reads shared by views, consumers and services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from collab.errors import NotFound
from rooms.models import Document, Invite, Membership, Message, Role, Room
from rooms.permissions import Access, can_edit_document


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def room_access(*, user: Any, room_id: Any, as_operator: bool = False) -> Access:
    """The user's access to a live (not deleted) room.

    Raises ``NotFound`` if the room does not exist, or is private and the user is not a member
    (outsiders cannot tell the two apart), or the user is anonymous. With ``as_operator`` a
    staff user acting from the admin has an owner's access to every room.
    """
    key = _as_uuid(room_id)
    if key is None or not getattr(user, "is_authenticated", False):
        raise NotFound("No such room.", code="room_not_found")
    room = Room.objects.filter(pk=key, deleted_at=None).first()
    if room is None:
        raise NotFound("No such room.", code="room_not_found")
    if as_operator and getattr(user, "is_staff", False):
        return Access(user=user, room=room, role=Role.OWNER)
    membership = Membership.objects.filter(room=room, user=user).only("role").first()
    if membership is None and not room.is_public:
        raise NotFound("No such room.", code="room_not_found")
    return Access(user=user, room=room, role=Role(membership.role) if membership else None)


def document_access(
    *, user: Any, document_id: Any, as_operator: bool = False
) -> tuple[Document, Access]:
    """A document with the user's access to its room. Raises ``NotFound`` like ``room_access``."""
    key = _as_uuid(document_id)
    document = Document.objects.filter(pk=key).first() if key is not None else None
    if document is None:
        raise NotFound("No such document.", code="document_not_found")
    try:
        access = room_access(user=user, room_id=document.room_id, as_operator=as_operator)
    except NotFound as error:
        raise NotFound("No such document.", code="document_not_found") from error
    return document, access


def rooms_visible_to(*, user: Any) -> QuerySet[Room]:
    """Rooms the user belongs to and public rooms, with member counts."""
    return (
        Room.objects.filter(Q(memberships__user=user) | Q(is_public=True), deleted_at=None)
        .distinct()
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "id")
    )


def room_members(*, room: Room) -> QuerySet[Membership]:
    return Membership.objects.filter(room=room).select_related("user", "user__profile")


def room_documents(*, room: Room) -> QuerySet[Document]:
    return (
        Document.objects.filter(room=room).select_related("created_by").order_by("created_at", "id")
    )


def room_messages(*, room: Room) -> QuerySet[Message]:
    """A room's top-level and thread messages, newest first."""
    return (
        Message.objects.filter(room=room)
        .select_related("author", "author__profile")
        .order_by("-id")
    )


def owner_count(*, room: Room) -> int:
    return Membership.objects.filter(room=room, role=Role.OWNER).count()


def invite_by_token(*, token: str) -> Invite | None:
    """A live (unrevoked) invite to a live room, or ``None``."""
    return (
        Invite.objects.select_related("room")
        .filter(token=token, revoked_at=None, room__deleted_at=None)
        .first()
    )


@dataclass(frozen=True)
class DocumentGrant:
    """What one connection may do with one document, decided when it connects."""

    document: Document
    can_write: bool
    identity: dict[str, str]


def document_grant(*, user: Any, document_id: Any) -> DocumentGrant:
    """The user's grant on a document: whether they may edit it, and the name and colour the
    server stamps on their cursor. Raises ``NotFound`` like ``document_access``."""
    document, access = document_access(user=user, document_id=document_id)
    profile = user.profile
    return DocumentGrant(
        document=document,
        can_write=can_edit_document(access, document),
        identity={"name": profile.name, "color": profile.color},
    )


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
