"""Reads of the chat shared by views, consumers and services: messages, threads, edits,
unread counts, attachments and message search."""

from __future__ import annotations

import functools
import uuid
from dataclasses import replace
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from rooms.chat.models import Attachment, Message, MessageEdit, MessageKind
from rooms.core.errors import Forbidden, Invalid, NotFound
from rooms.membership.models import Membership, Room
from rooms.membership.permissions import Access
from rooms.membership.selectors import READ_CHUNK, as_uuid, room_access, room_accesses


def room_messages(*, room: Room) -> QuerySet[Message]:
    """A room's top-level and thread messages, newest first."""
    return (
        Message.objects.filter(room=room)
        .select_related("author", "author__profile", "attachment")
        .prefetch_related("reactions")
        .order_by("-id")
    )


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


def room_accesses_with_unread(
    *, users_rooms: set[tuple[Any, uuid.UUID]]
) -> dict[tuple[Any, uuid.UUID], Access]:
    """``room_accesses``, each member's carrying their unread count (a joining room socket
    sends it): one query more than ``room_accesses`` per ``READ_CHUNK`` members."""
    accesses = room_accesses(users_rooms=users_rooms)
    unread = unread_counts_of(
        membership_ids=[a.membership.pk for a in accesses.values() if a.membership is not None]
    )
    return {
        key: access
        if access.membership is None
        else replace(access, unread=unread.get(access.membership.pk))
        for key, access in accesses.items()
    }


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
