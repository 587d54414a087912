"""Shapes of the notifications API. A notification is rendered by
``rooms.notifications.events.notification_payload`` (the socket event's shape too);
these serializers describe it for the OpenAPI schema and check the inputs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rooms.core.pagination import PageQuerySerializer
from rooms.core.serializers import StrictSerializer, UserSummarySerializer
from rooms.notifications.events import notification_payload
from rooms.notifications.models import Notification, NotificationKind


class _RoomRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    name = serializers.CharField()


class _DocumentRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    title = serializers.CharField()


class NotificationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    actor = UserSummarySerializer(allow_null=True)
    room = _RoomRefSerializer(allow_null=True)
    document = _DocumentRefSerializer(allow_null=True)
    message_id = serializers.IntegerField(allow_null=True)
    thread_id = serializers.IntegerField(
        allow_null=True, help_text="The comment thread, for a notification about a comment."
    )
    excerpt = serializers.CharField(
        help_text="The start of the message or comment; empty without one."
    )
    data = serializers.DictField()  # type: ignore[assignment]  # a field named data
    url = serializers.CharField(allow_null=True, help_text="Where it leads in the web app.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Notification) -> dict[str, Any]:
        return notification_payload(instance)


class NotificationPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One page of notifications, newest first, with the links to its neighbours."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    unread_count = serializers.IntegerField()
    results = NotificationSerializer(many=True)


class NotificationListQuerySerializer(PageQuerySerializer):
    unread = serializers.BooleanField(required=False, help_text="Only the unread ones.")


class NotificationUpdateSerializer(StrictSerializer):
    read = serializers.BooleanField(help_text="Only true: a notification cannot be unread.")

    def validate_read(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "A notification can only be marked read.", code="invalid_choice"
            )
        return value


class UnreadCountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    unread_count = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")
    unread_count = serializers.IntegerField()


class MembershipPreferencesSerializer(StrictSerializer):
    muted = serializers.BooleanField(help_text="No notifications or emails from this room.")


class MembershipStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    room = serializers.UUIDField(source="room_id")
    role = serializers.CharField()
    muted = serializers.BooleanField()


class DocumentShareSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150, trim_whitespace=True)


class DocumentSharedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    user = UserSummarySerializer()
    notified = serializers.BooleanField(
        help_text="False when they muted the room or still have this share unread."
    )
    added_to_room = serializers.BooleanField(help_text="They joined the room as a viewer.")
    url = serializers.CharField(help_text="The document in the web app.")
