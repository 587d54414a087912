"""Invitation links: create, revoke, accept."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rooms.core.errors import Forbidden, Invalid, NotFound
from rooms.membership.models import Invite, Membership, Role
from rooms.membership.permissions import require_active_room, require_inviter, require_role
from rooms.membership.selectors import room_access
from rooms.membership.signals import JoinedVia, member_joined


def invite_create(
    *,
    actor: Any,
    room_id: Any,
    role: Role,
    expires_in: timedelta | None = None,
    max_uses: int | None = None,
) -> Invite:
    """Create an invite link: owners, and editors where the room lets them
    (``invite_min_role``), never to a role above their own. Raises ``Forbidden``."""
    access = room_access(user=actor, room_id=room_id)
    require_inviter(access)
    require_active_room(access)
    if not access.at_least(role):
        raise Forbidden("You cannot invite to a role above your own.", code="role_too_high")
    if expires_in is not None and expires_in <= timedelta(0):
        raise Invalid("An invite must expire in the future.", code="invalid", field="expires_in")
    return Invite.objects.create(
        room=access.room,
        token=secrets.token_urlsafe(24),
        role=role,
        created_by=actor,
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
        max_uses=max_uses,
    )


def invite_revoke(*, actor: Any, room_id: Any, invite_id: int, as_operator: bool = False) -> None:
    """Revoke an invite: owners any, editors their own (and staff from the admin)."""
    access = room_access(user=actor, room_id=room_id, as_operator=as_operator)
    require_role(access, Role.EDITOR, "revoke invites")
    invite = Invite.objects.filter(room=access.room, pk=invite_id, revoked_at=None).first()
    if invite is None:
        raise NotFound("No such invite.", code="invite_not_found")
    if not access.at_least(Role.OWNER) and invite.created_by_id != actor.pk:
        raise Forbidden("Only the room's owners may revoke others' invites.")
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at"])


def invite_accept(*, actor: Any, token: str) -> Membership:
    """Join the invite's room with its role.

    Raises ``NotFound`` for an unknown or revoked token (or a deleted room), ``Invalid`` with
    code ``invite_expired`` or ``invite_used_up``. A member accepting again keeps their
    membership and does not use the invite up.
    """
    with transaction.atomic():
        invite = (
            Invite.objects.select_for_update()
            .select_related("room")
            .filter(token=token, revoked_at=None, room__deleted_at=None)
            .first()
        )
        if invite is None:
            raise NotFound("This invite does not exist or was revoked.", code="invite_not_found")
        existing = Membership.objects.filter(room=invite.room, user=actor).first()
        if existing is not None:
            return existing
        if invite.is_expired:
            raise Invalid("This invite has expired.", code="invite_expired", field="token")
        if invite.is_used_up:
            raise Invalid("This invite has been used up.", code="invite_used_up", field="token")
        if invite.room.is_archived:
            raise Forbidden("The room is archived and read-only.", code="room_archived")
        Invite.objects.filter(pk=invite.pk).update(use_count=F("use_count") + 1)
        membership = Membership.objects.create(
            room=invite.room, user=actor, role=invite.role, invited_by=invite.created_by
        )
        member_joined.send(
            sender=Membership, membership=membership, via=JoinedVia.INVITE, by=invite.created_by
        )
        return membership
