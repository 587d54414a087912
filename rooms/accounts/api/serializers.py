from __future__ import annotations

from rest_framework import serializers

from rooms.accounts.models import COLOR_PATTERN, ApiToken, TokenScope
from rooms.core.serializers import StrictSerializer


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(source="profile.display_name", read_only=True)
    color = serializers.CharField(source="profile.color", read_only=True)
    email_notifications = serializers.BooleanField(
        source="profile.email_notifications", read_only=True
    )


class MeUpdateSerializer(StrictSerializer):
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    color = serializers.RegexField(COLOR_PATTERN, required=False, help_text="#rrggbb, lowercase")
    email_notifications = serializers.BooleanField(required=False)


MAX_TOKEN_ROOMS = 100


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    rooms = serializers.ListField(
        source="room_ids",
        child=serializers.UUIDField(),
        allow_null=True,
        help_text="The only rooms it reaches; null: every room of its owner.",
    )
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Recorded at most once a minute."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "scope",
            "rooms",
            "last_used_at",
        ]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="In the future; absent or null: never."
    )
    scope = serializers.ChoiceField(
        choices=TokenScope.choices,
        default=TokenScope.READ_WRITE,
        help_text="read_only: every method but GET, HEAD and OPTIONS is refused (403 "
        "token_scope), and its document sockets are read-only.",
    )
    rooms = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=MAX_TOKEN_ROOMS,
        help_text="Limit it to these rooms; absent or null: every room.",
    )


class CredentialsSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class IssuedTokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField()
