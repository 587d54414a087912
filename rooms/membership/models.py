"""Rooms, the people in them and the invitations that bring more."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """A member's role, from most to least powerful."""

    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    COMMENTER = "commenter", "Commenter"
    VIEWER = "viewer", "Viewer"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANKS = {Role.OWNER: 4, Role.EDITOR: 3, Role.COMMENTER: 2, Role.VIEWER: 1}
ROLE_VALUES = [role.value for role in Role]
# What a public room may give whoever joins it by themselves: never ownership.
JOIN_ROLES = [Role.EDITOR, Role.COMMENTER, Role.VIEWER]
# The least role that may create (and see) a room's invite links.
INVITER_ROLES = [Role.OWNER, Role.EDITOR]


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    is_public = models.BooleanField(
        default=False, help_text="Public rooms are readable by every signed-in user."
    )
    max_participants = models.PositiveIntegerField(
        default=50, help_text="How many people may be in the room at once."
    )
    join_role = models.CharField(
        max_length=16,
        choices=[(role.value, role.label) for role in JOIN_ROLES],
        default=Role.VIEWER,
        help_text="The role of whoever joins this public room by themselves.",
    )
    invite_min_role = models.CharField(
        max_length=16,
        choices=[(role.value, role.label) for role in INVITER_ROLES],
        default=Role.OWNER,
        help_text="Who may create and see invite links: owners only, or editors too.",
    )
    is_archived = models.BooleanField(default=False, help_text="Archived rooms are read-only.")
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when deleted; purged after the retention period."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        through_fields=("room", "user"),
        related_name="rooms",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_participants__gte=1), name="room_max_participants_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(join_role__in=[role.value for role in JOIN_ROLES]),
                name="room_join_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(invite_min_role__in=[role.value for role in INVITER_ROLES]),
                name="room_invite_min_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["is_public", "deleted_at"])]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    joined_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_read_message = models.ForeignKey(
        "rooms.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    muted = models.BooleanField(default=False, help_text="No notifications from this room.")

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="membership_unique_per_room"),
            models.CheckConstraint(
                condition=models.Q(role__in=ROLE_VALUES), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.room} as {self.role}"


class Invite(models.Model):
    """A link that makes whoever opens it a member with ``role``, within its limits."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=ROLE_VALUES), name="invite_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True)
                | models.Q(use_count__lte=models.F("max_uses")),
                name="invite_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"Invite to {self.room} as {self.role}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_used_up(self) -> bool:
        return self.max_uses is not None and self.use_count >= self.max_uses


class AccessEpoch(models.Model):
    """The one row (``id`` 1) counting changes of access, so open document sockets are
    re-checked when access changes instead of all of them every sweep.

    It goes up in the same transaction as any change of memberships, rooms, documents,
    sessions, API tokens or users (``services/access_epoch.py`` and the documents'
    ``access_epoch_hooks.py`` hook their saves and deletes). Each web process reads it every
    sync sweep (one primary-key read) and re-reads its sockets' access only when it moved, and
    at least every ``COLLAB_ACCESS_RECHECK_SECONDS`` for what changes with time alone."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Access epoch {self.value}"
