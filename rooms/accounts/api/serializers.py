from __future__ import annotations

from rest_framework import serializers

from rooms.accounts.models import COLOR_PATTERN, ApiToken
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


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)


class CredentialsSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class IssuedTokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField()
