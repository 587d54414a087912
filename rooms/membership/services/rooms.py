"""Creating, changing, archiving, deleting and joining rooms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from rooms.core.errors import Conflict, Invalid
from rooms.membership.models import INVITER_ROLES, JOIN_ROLES, Membership, Role, Room
from rooms.membership.permissions import require_active_room, require_role
from rooms.membership.selectors import room_access
from rooms.membership.signals import (
    JoinedVia,
    member_joined,
    room_changed,
    room_created,
    room_deleted,
    room_renamed,
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "room"
    slug = base
    while Room.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6).lower()}"
    return slug


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Invalid("A room needs a name.", code="blank", field="name")
    if len(name) > settings.COLLAB_ROOM_NAME_MAX:
        raise Invalid(
            f"Room names are at most {settings.COLLAB_ROOM_NAME_MAX} characters.",
            code="max_length",
            field="name",
        )
    return name


def _check_roles(*, join_role: Role | None, invite_min_role: Role | None) -> None:
    if join_role is not None and join_role not in JOIN_ROLES:
        raise Invalid(
            "Whoever joins gets editor, commenter or viewer.", code="invalid", field="join_role"
        )
    if invite_min_role is not None and invite_min_role not in INVITER_ROLES:
        raise Invalid(
            "Invites come from owners, or editors too.", code="invalid", field="invite_min_role"
        )


def room_create(
    *,
    actor: Any,
    name: str,
    description: str = "",
    is_public: bool = False,
    max_participants: int | None = None,
    join_role: Role = Role.VIEWER,
    invite_min_role: Role = Role.OWNER,
) -> Room:
    """Create a room with ``actor`` as its first owner. Raises ``Invalid`` for a join role
    that is not editor, commenter or viewer, or an invite role that is not owner or editor."""
    name = _clean_name(name)
    _check_roles(join_role=join_role, invite_min_role=invite_min_role)
    with transaction.atomic():
        room = Room.objects.create(
            name=name,
            slug=_unique_slug(name),
            description=description,
            is_public=is_public,
            max_participants=max_participants or Room._meta.get_field("max_participants").default,
            join_role=join_role,
            invite_min_role=invite_min_role,
            created_by=actor,
        )
        Membership.objects.create(room=room, user=actor, role=Role.OWNER)
        room_created.send(sender=Room, room=room, by=actor)
    return room


def room_update(
    *,
    actor: Any,
    room_id: Any,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
    max_participants: int | None = None,
    join_role: Role | None = None,
    invite_min_role: Role | None = None,
) -> Room:
    """Change a room's settings (owners only). Raises ``Invalid`` as ``room_create`` does."""
    access = room_access(user=actor, room_id=room_id)
    require_role(access, Role.OWNER, "change the room")
    _check_roles(join_role=join_role, invite_min_role=invite_min_role)
    room = access.room
    old_name = room.name
    if name is not None:
        room.name = _clean_name(name)
    if description is not None:
        room.description = description
    if is_public is not None:
        room.is_public = is_public
    if max_participants is not None:
        room.max_participants = max_participants
    if join_role is not None:
        room.join_role = join_role
    if invite_min_role is not None:
        room.invite_min_role = invite_min_role
    with transaction.atomic():
        room.save()
        if room.name != old_name:
            room_renamed.send(sender=Room, room=room, old_name=old_name, by=actor)
        room_changed.send(sender=Room, room=room, by=actor)
    return room


def room_set_archived(
    *, actor: Any, room_id: Any, archived: bool, as_operator: bool = False
) -> Room:
    """Archive (make read-only) or unarchive a room (owners, or staff from the admin)."""
    access = room_access(user=actor, room_id=room_id, as_operator=as_operator)
    require_role(access, Role.OWNER, "archive the room")
    room = access.room
    room.is_archived = archived
    room.archived_at = timezone.now() if archived else None
    with transaction.atomic():
        room.save(update_fields=["is_archived", "archived_at", "updated_at"])
        room_changed.send(sender=Room, room=room, by=actor)
    return room


def room_delete(*, actor: Any, room_id: Any) -> None:
    """Delete a room (owners only). It disappears at once and is purged later."""
    access = room_access(user=actor, room_id=room_id)
    require_role(access, Role.OWNER, "delete the room")
    access.room.deleted_at = timezone.now()
    with transaction.atomic():
        access.room.save(update_fields=["deleted_at", "updated_at"])
        room_deleted.send(sender=Room, room=access.room, by=actor)


def room_join(*, actor: Any, room_id: Any) -> Membership:
    """Join a public room with the room's ``join_role``. Raises ``Conflict`` for a member,
    ``Forbidden`` (``room_archived``) for an archived room."""
    access = room_access(user=actor, room_id=room_id)
    if access.is_member:
        raise Conflict("You are already a member of this room.", code="already_member")
    require_active_room(access)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                room=access.room, user=actor, role=access.room.join_role
            )
            member_joined.send(
                sender=Membership, membership=membership, via=JoinedVia.PUBLIC, by=None
            )
            return membership
    except IntegrityError as error:
        raise Conflict("You are already a member of this room.", code="already_member") from error
