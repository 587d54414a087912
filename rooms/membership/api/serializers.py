"""Shapes of the rooms, members and invites API: read serializers for responses, strict ones
for request bodies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.membership.models import INVITER_ROLES, JOIN_ROLES, Invite, Membership, Role, Room
from rooms.membership.payloads import member_payload, room_payload

MAX_PARTICIPANTS_CEILING = 10_000


MAX_INVITE_TTL_SECONDS = 90 * 24 * 3600
# Invite.max_uses is a PositiveIntegerField: 32-bit on PostgreSQL.
MAX_INVITE_USES = 2**31 - 1


class RoomSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    role = serializers.SerializerMethodField(help_text="The caller's role; null if not a member.")
    member_count = serializers.IntegerField(read_only=True)
    unread_count = serializers.SerializerMethodField(
        help_text="Messages by others the caller has not read; null if not a member."
    )

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "is_public",
            "max_participants",
            "join_role",
            "invite_min_role",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
            "role",
            "member_count",
            "unread_count",
        ]
        read_only_fields = fields

    def get_role(self, room: Room) -> str | None:
        roles: dict[Any, str] = self.context.get("roles", {})
        return roles.get(room.pk)

    def get_unread_count(self, room: Room) -> int | None:
        unread: dict[Any, int] = self.context.get("unread", {})
        return unread.get(room.pk)

    def to_representation(self, instance: Room) -> dict[str, Any]:
        return room_payload(
            instance,
            role=self.get_role(instance),
            member_count=instance.member_count,  # type: ignore[attr-defined]
            unread_count=self.get_unread_count(instance),
        )


class RoomCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=settings.COLLAB_ROOM_NAME_MAX)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False, default=False)
    max_participants = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PARTICIPANTS_CEILING
    )
    join_role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in JOIN_ROLES],
        required=False,
        help_text="The role of whoever joins this public room by themselves (default viewer).",
    )
    invite_min_role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in INVITER_ROLES],
        required=False,
        help_text="Who may create and see invite links: owner (the default) or editor.",
    )


class RoomUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=settings.COLLAB_ROOM_NAME_MAX, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)
    max_participants = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PARTICIPANTS_CEILING
    )
    join_role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in JOIN_ROLES],
        required=False,
        help_text="The role of whoever joins this public room by themselves (default viewer).",
    )
    invite_min_role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in INVITER_ROLES],
        required=False,
        help_text="Who may create and see invite links: owner (the default) or editor.",
    )
    is_archived = serializers.BooleanField(required=False)


class MemberSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Renders ``rooms.membership.payloads.member_payload``; the fields describe it."""

    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields

    def to_representation(self, instance: Membership) -> dict[str, Any]:
        return member_payload(instance)


class MemberAddSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.EDITOR)


class MemberRoleSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InviteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Invite
        fields = [
            "id",
            "token",
            "role",
            "expires_at",
            "max_uses",
            "use_count",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class InviteCreateSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.EDITOR)
    expires_in_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=60,
        max_value=MAX_INVITE_TTL_SECONDS,
        help_text="Seconds until the link expires; null for never. Default: a week.",
    )
    max_uses = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_INVITE_USES
    )


class InvitePreviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    room_id = serializers.UUIDField(source="room.id")
    room_name = serializers.CharField(source="room.name")
    role = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    # DRF's metaclass moves declared fields off the class, so this does not shadow is_valid().
    is_valid = serializers.SerializerMethodField()  # type: ignore[assignment]

    def get_is_valid(self, invite: Invite) -> bool:
        return not (invite.is_expired or invite.is_used_up or invite.room.is_archived)
