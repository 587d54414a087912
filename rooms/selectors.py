"""Reads shared by views, consumers and services."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    ForeignKey,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from collab.accounts.models import Profile
from collab.accounts.services import palette_color
from collab.errors import Forbidden, Invalid, NotFound
from rooms.models import (
    Attachment,
    Document,
    Invite,
    Membership,
    Message,
    MessageEdit,
    MessageKind,
    Role,
    Room,
)
from rooms.permissions import Access, can_edit_document


def as_uuid(value: Any) -> uuid.UUID | None:
    """``value`` as a UUID (an id from a URL, a frame or a form), or ``None`` if it is none."""
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
    key = as_uuid(room_id)
    if key is None or not getattr(user, "is_authenticated", False):
        raise NotFound("No such room.", code="room_not_found")
    operator = as_operator and getattr(user, "is_staff", False)
    if not operator:
        # The common case, a member, in one query: every request and socket asks this.
        membership = (
            Membership.objects.select_related("room")
            .filter(room_id=key, user=user, room__deleted_at=None)
            .first()
        )
        if membership is not None:
            return Access(
                user=user, room=membership.room, role=Role(membership.role), membership=membership
            )
    room = Room.objects.filter(pk=key, deleted_at=None).first()
    if room is None or not (operator or room.is_public):
        raise NotFound("No such room.", code="room_not_found")
    return Access(user=user, room=room, role=Role.OWNER if operator else None)


# Rows asked for by one query at most: SQLite builds before 3.32 take 999 parameters.
READ_CHUNK = 500


def users_in_rooms(model: type[Model], by_room: dict[Any, list[int]]) -> RawSQL:
    """A filter of the rows of ``model`` (which has ``room`` and ``user``) of these users in
    these rooms: ``(user, room) IN (VALUES …)``, which Django compiles at once (a ``Q`` per
    room cost ~0.1 ms a room to build: 10 ms for a batch of handshakes to a hundred rooms).
    ``by_room`` must not be empty."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    user, room = model._meta.get_field("user"), model._meta.get_field("room")
    assert isinstance(user, ForeignKey) and isinstance(room, ForeignKey)
    to_db = room.target_field.get_db_prep_value
    params: list[Any] = []
    for room_id, user_ids in by_room.items():
        db_room_id = to_db(room_id, connection)
        for user_id in user_ids:
            params += [user_id, db_room_id]
    values = ", ".join(["(%s, %s)"] * (len(params) // 2))
    # Quoted names and placeholders only: every value is a parameter.
    return RawSQL(  # noqa: S611
        f"({table}.{quote(user.column)}, {table}.{quote(room.column)}) IN (VALUES {values})",
        params,
        output_field=BooleanField(),
    )


def room_accesses(
    *, users_rooms: set[tuple[Any, uuid.UUID]], with_unread: bool = False
) -> dict[tuple[Any, uuid.UUID], Access]:
    """``room_access`` of many (user, room id) pairs at once; pairs without access are
    missing. With ``with_unread`` each member's carries their unread count (a joining room
    socket sends it). At most two queries (three with unread counts) per ``READ_CHUNK`` pairs,
    whatever their users and rooms: a join storm's sockets ask together, and so do the
    heartbeats of a room's sockets."""
    found: dict[tuple[Any, uuid.UUID], Access] = {}
    users = {(user.pk, room_id): user for user, room_id in users_rooms if user.is_authenticated}
    keys = list(users)
    for start in range(0, len(keys), READ_CHUNK):
        by_room: dict[uuid.UUID, list[int]] = {}
        for user_id, room_id in keys[start : start + READ_CHUNK]:
            by_room.setdefault(room_id, []).append(user_id)
        memberships = list(
            Membership.objects.select_related("room").filter(
                users_in_rooms(Membership, by_room), room__deleted_at=None
            )
        )
        unread = unread_counts_of(membership_ids=[m.pk for m in memberships]) if with_unread else {}
        for membership in memberships:
            user = users[membership.user_id, membership.room_id]
            found[user, membership.room_id] = Access(
                user=user,
                room=membership.room,
                role=Role(membership.role),
                membership=membership,
                unread=unread.get(membership.pk),
            )
        members = {(m.user_id, m.room_id) for m in memberships}
        outsiders = {
            room_id
            for room_id, ids in by_room.items()
            if any((u, room_id) not in members for u in ids)
        }
        for room in Room.objects.filter(pk__in=outsiders, deleted_at=None, is_public=True):
            for user_id in by_room[room.pk]:
                user = users[user_id, room.pk]
                found.setdefault((user, room.pk), Access(user=user, room=room, role=None))
    return found


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


def rooms_visible_to(*, user: Any) -> QuerySet[Room]:
    """Rooms the user belongs to and public rooms, with member counts."""
    mine = Membership.objects.filter(user=user).values("room_id")
    return (
        # A subquery, not a join on memberships: the count must see every member.
        Room.objects.filter(Q(pk__in=mine) | Q(is_public=True), deleted_at=None)
        .annotate(member_count=Count("memberships"))
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
        .select_related("author", "author__profile", "attachment")
        .prefetch_related("reactions")
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


# --- Chat ----------------------------------------------------------------------------------
# The PostgreSQL text search configuration of message search; migration 0002's GIN index
# is built on exactly this expression, so the planner can use it.
MESSAGE_SEARCH_CONFIG = "english"
MESSAGE_SEARCH_MAX_TERMS = 10


def message_in_room(*, room: Room, message_id: Any) -> Message:
    """One message of the room. Raises ``NotFound`` (``message_not_found``) for an unknown id
    or a message of another room."""
    try:
        key = int(message_id)
    except (TypeError, ValueError):
        key = 0
    message = (
        Message.objects.filter(room=room, pk=key)
        .select_related("author", "author__profile", "attachment")
        .prefetch_related("reactions")
        .first()
    )
    if message is None:
        raise NotFound("No such message in this room.", code="message_not_found")
    return message


def room_recent_messages(*, room: Room, limit: int) -> list[Message]:
    """The room's newest ``limit`` messages outside threads (a busy thread must not push the
    timeline out of them), oldest first: the history a room socket sends when it opens.
    ``rooms/{id}/messages?top_level=true&before=`` the first one's id continues it over REST;
    a thread's replies are read with the thread."""
    return list(reversed(room_messages(room=room).filter(parent=None)[:limit]))


def thread_replies(*, room: Room, message_id: Any) -> QuerySet[Message]:
    """The replies in the thread of a message, oldest first. Raises ``NotFound`` like
    ``message_in_room``."""
    root = message_in_room(room=room, message_id=message_id)
    return (
        Message.objects.filter(parent=root)
        .select_related("author", "author__profile", "attachment")
        .prefetch_related("reactions")
        .order_by("id")
    )


def message_edit_history(*, room: Room, message_id: Any) -> QuerySet[MessageEdit]:
    """A message's earlier bodies, oldest first (none once it is deleted)."""
    message = message_in_room(room=room, message_id=message_id)
    return MessageEdit.objects.filter(message=message).select_related(
        "edited_by", "edited_by__profile"
    )


def _unread_for(user: Any) -> QuerySet[Message]:
    """Messages that count as unread for ``user`` once past their read position: by others,
    not deleted, not system messages (thread replies count)."""
    return (
        Message.objects.filter(deleted_at=None)
        .exclude(kind=MessageKind.SYSTEM)
        .exclude(author_id=user.pk)
    )


def _unread_subquery(user: Any) -> Coalesce:
    """A membership row's unread count, as an annotation: messages counted by
    ``_unread_for`` posted since the member joined and after their last read message."""
    unread = (
        _unread_for(user)
        .filter(
            room=OuterRef("room"),
            created_at__gt=OuterRef("joined_at"),
            id__gt=Coalesce(
                OuterRef("last_read_message_id"), Value(0), output_field=BigIntegerField()
            ),
        )
        .order_by()
        .values("room")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def unread_counts(*, user: Any, room_ids: list[Any] | None = None) -> dict[Any, int]:
    """The user's unread count in each room they are a member of (or in ``room_ids``). One
    query whatever the number of rooms."""
    memberships = Membership.objects.filter(user=user, room__deleted_at=None)
    if room_ids is not None:
        memberships = memberships.filter(room_id__in=room_ids)
    rows = memberships.annotate(unread=_unread_subquery(user)).values_list("room_id", "unread")
    return dict(rows)


@functools.cache
def _unread_counts_sql(ids: int) -> str:
    message, member = Message._meta, Membership._meta

    def col(meta: Any, field: str) -> str:
        return str(connection.ops.quote_name(meta.get_field(field).column))

    # Only quoted table and column names from the models go in; every value is a parameter.
    return (
        f"SELECT m.{col(member, 'id')}, COUNT(msg.{col(message, 'id')})"  # noqa: S608
        f" FROM {connection.ops.quote_name(member.db_table)} m"
        f" LEFT JOIN {connection.ops.quote_name(message.db_table)} msg"
        f" ON msg.{col(message, 'room')} = m.{col(member, 'room')}"
        f" AND msg.{col(message, 'created_at')} > m.{col(member, 'joined_at')}"
        f" AND msg.{col(message, 'id')} > COALESCE(m.{col(member, 'last_read_message')}, 0)"
        f" AND msg.{col(message, 'deleted_at')} IS NULL"
        f" AND msg.{col(message, 'kind')} <> %s"
        f" AND (msg.{col(message, 'author')} IS NULL"
        f" OR msg.{col(message, 'author')} <> m.{col(member, 'user')})"
        f" WHERE m.{col(member, 'id')} IN ({', '.join(['%s'] * ids)})"
        f" GROUP BY m.{col(member, 'id')}"
    )


def unread_counts_of(*, membership_ids: list[int]) -> dict[int, int]:
    """Each member's unread count in their room, by membership id, as ``unread_counts``
    counts it (messages ``_unread_for`` the member after their joining and their last read
    message), from the members' stored rows: one query per ``READ_CHUNK`` rows. Plain SQL:
    every joining room socket asks, and building the same query through the ORM costs a
    millisecond and more each time."""
    counts: dict[int, int] = {}
    for start in range(0, len(membership_ids), READ_CHUNK):
        chunk = membership_ids[start : start + READ_CHUNK]
        with connection.cursor() as cursor:
            cursor.execute(_unread_counts_sql(len(chunk)), [MessageKind.SYSTEM.value, *chunk])
            counts.update((int(pk), int(count)) for pk, count in cursor.fetchall())
    return counts


def unread_count(*, membership: Membership) -> int:
    """A member's unread count in their room (see ``unread_counts_of``)."""
    return unread_counts_of(membership_ids=[membership.pk])[membership.pk]


def attachment_for_download(*, user: Any, attachment_id: Any) -> Attachment:
    """An attachment its room's member may download. Raises ``NotFound``
    (``attachment_not_found``) for an unknown id or a room the user cannot see, and
    ``Forbidden`` (``not_member``) for a public room's non-member."""
    key = as_uuid(attachment_id)
    attachment = Attachment.objects.filter(pk=key).first() if key is not None else None
    if attachment is None:
        raise NotFound("No such attachment.", code="attachment_not_found")
    try:
        access = room_access(user=user, room_id=attachment.room_id)
    except NotFound as error:
        raise NotFound("No such attachment.", code="attachment_not_found") from error
    if not access.is_member:
        raise Forbidden("Only the room's members may download its files.", code="not_member")
    return attachment


def message_search(*, user: Any, query: str, room: Room | None = None) -> QuerySet[Message]:
    """Messages matching ``query`` in the rooms the user may read (or in ``room``), newest
    first, deleted ones excluded.

    On PostgreSQL: full-text search (``websearch_to_tsquery``: words, ``"a phrase"``,
    ``-word``, ``or``) in the ``english`` configuration. Elsewhere (SQLite): each word must
    appear in the body, case-insensitively. Raises ``Invalid`` (``blank``) for a query with
    no words.
    """
    terms = query.split()[:MESSAGE_SEARCH_MAX_TERMS]
    if not terms:
        raise Invalid("Search for at least one word.", code="blank", field="q")
    messages = Message.objects.filter(deleted_at=None)
    if room is not None:
        messages = messages.filter(room=room)
    else:
        readable = Room.objects.filter(
            Q(memberships__user=user) | Q(is_public=True), deleted_at=None
        ).values("pk")
        messages = messages.filter(room__in=readable)
    if connection.vendor == "postgresql":
        messages = messages.alias(search=SearchVector("body", config=MESSAGE_SEARCH_CONFIG)).filter(
            search=SearchQuery(
                " ".join(terms), config=MESSAGE_SEARCH_CONFIG, search_type="websearch"
            )
        )
    else:
        for term in terms:
            messages = messages.filter(body__icontains=term)
    return (
        messages.select_related("author", "author__profile", "attachment")
        .prefetch_related("reactions")
        .order_by("-id")
    )
