"""Adding members, changing their roles and removing them. A room always keeps an owner."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from rooms.core.errors import Conflict, Invalid, NotFound
from rooms.membership.models import Membership, Role
from rooms.membership.permissions import require_role
from rooms.membership.selectors import owner_count, room_access
from rooms.membership.signals import JoinedVia, member_joined, member_left, member_role_changed


def _membership(room_id: Any, user_id: Any) -> Membership:
    membership = (
        Membership.objects.select_for_update().filter(room_id=room_id, user_id=user_id).first()
    )
    if membership is None:
        raise NotFound("That user is not a member of this room.", code="member_not_found")
    return membership


def member_add(*, actor: Any, room_id: Any, username: str, role: Role) -> Membership:
    """Add an existing user to the room (owners only).

    Raises ``Invalid`` for an unknown username, ``Conflict`` for a user already in the room.
    """
    access = room_access(user=actor, room_id=room_id)
    require_role(access, Role.OWNER, "add members")
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Invalid("No user has that username.", code="unknown_user", field="username")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                room=access.room, user=user, role=role, invited_by=actor
            )
            member_joined.send(
                sender=Membership, membership=membership, via=JoinedVia.ADDED, by=actor
            )
            return membership
    except IntegrityError as error:
        raise Conflict(
            "That user is already a member.", code="already_member", field="username"
        ) from error


def member_change_role(*, actor: Any, room_id: Any, user_id: Any, role: Role) -> Membership:
    """Give a member another role (owners only). Raises ``Conflict`` when it would leave the
    room without an owner."""
    access = room_access(user=actor, room_id=room_id)
    require_role(access, Role.OWNER, "change roles")
    with transaction.atomic():
        membership = _membership(access.room.pk, user_id)
        if (
            membership.role == Role.OWNER
            and role != Role.OWNER
            and owner_count(room=access.room) == 1
        ):
            raise Conflict("A room must keep at least one owner.", code="last_owner")
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        if old_role != role:
            member_role_changed.send(
                sender=Membership, membership=membership, old_role=old_role, by=actor
            )
    return membership


def member_remove(*, actor: Any, room_id: Any, user_id: Any) -> None:
    """Remove a member: owners remove anyone, everyone may leave. The last owner cannot go."""
    access = room_access(user=actor, room_id=room_id)
    if str(user_id) != str(actor.pk):
        require_role(access, Role.OWNER, "remove members")
    with transaction.atomic():
        membership = _membership(access.room.pk, user_id)
        if membership.role == Role.OWNER and owner_count(room=access.room) == 1:
            raise Conflict("A room must keep at least one owner.", code="last_owner")
        membership.delete()
        member_left.send(sender=Membership, membership=membership, by=actor)
