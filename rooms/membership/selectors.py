"""Reads of rooms and membership shared by views, consumers and services: who may see which
room, with which role."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ForeignKey,
    Model,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from rooms.core.errors import NotFound
from rooms.membership.models import Invite, Membership, Role, Room
from rooms.membership.permissions import Access


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
    room costs Python time per room, paid by every batch of handshakes). ``by_room`` must not
    be empty."""
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
    *, users_rooms: set[tuple[Any, uuid.UUID]]
) -> dict[tuple[Any, uuid.UUID], Access]:
    """``room_access`` of many (user, room id) pairs at once; pairs without access are
    missing. At most two queries per ``READ_CHUNK`` pairs,
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
        for membership in memberships:
            user = users[membership.user_id, membership.room_id]
            found[user, membership.room_id] = Access(
                user=user,
                room=membership.room,
                role=Role(membership.role),
                membership=membership,
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


def owner_count(*, room: Room) -> int:
    return Membership.objects.filter(room=room, role=Role.OWNER).count()


def invite_by_token(*, token: str) -> Invite | None:
    """A live (unrevoked) invite to a live room, or ``None``."""
    return (
        Invite.objects.select_related("room")
        .filter(token=token, revoked_at=None, room__deleted_at=None)
        .first()
    )
