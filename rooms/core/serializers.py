"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Refuses unknown fields and non-object bodies instead of silently ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ["Expected a JSON object."]}, code="not_an_object"
            )
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field."] for name in unknown}, code="unknown_field"
            )
        return super().to_internal_value(data)


def user_summary(user: Any) -> dict[str, Any]:
    """How a person is shown to others: id, username, display name and colour. Plain code,
    not a serializer: live events build hundreds of these per join."""
    profile = user.profile
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": profile.name,
        "color": profile.color,
    }


# The REST API's own field, so a payload's times read exactly as a serializer's would.
_DATETIME = serializers.DateTimeField(read_only=True)


def json_datetime(value: datetime | None) -> str | None:
    """``value`` as every API payload writes a time (ISO 8601, ``Z`` for UTC), or ``None``."""
    return None if value is None else str(_DATETIME.to_representation(value))


class UserSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``user_summary`` in the REST API (the fields describe it for the OpenAPI schema). Takes
    a user, or a summary already made (presence keeps them: ``presence.summaries``)."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(source="profile.name", read_only=True)
    color = serializers.CharField(source="profile.color", read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return instance if isinstance(instance, dict) else user_summary(instance)


def validated(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    """The request body checked by ``serializer_class``; raises its ``ValidationError``."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
