"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers
from rest_framework.fields import Field

# Integers in the database are at most 64-bit, and its driver refuses a larger number (an
# OverflowError on SQLite) instead of matching no row: no request integer goes past these.
INTEGER_MAX = 2**63 - 1
INTEGER_MIN = -(2**63)


def _bound_integer(field: serializers.IntegerField) -> None:
    """Give ``field`` the database's bounds where it declares none (a 400 ``max_value`` or
    ``min_value`` past them), in the schema too."""
    if field.max_value is None:
        field.max_value = INTEGER_MAX
        message = field.error_messages["max_value"].format(max_value=INTEGER_MAX)
        field.validators.append(MaxValueValidator(INTEGER_MAX, message=message))
    if field.min_value is None:
        field.min_value = INTEGER_MIN
        message = field.error_messages["min_value"].format(min_value=INTEGER_MIN)
        field.validators.append(MinValueValidator(INTEGER_MIN, message=message))


class StrictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Refuses unknown fields and non-object bodies instead of silently ignoring them, and
    integers the database could not hold."""

    def get_fields(self) -> dict[str, Field]:  # type: ignore[type-arg]
        fields: dict[str, Field] = super().get_fields()  # type: ignore[type-arg]
        for field in fields.values():
            if isinstance(field, serializers.IntegerField):
                _bound_integer(field)
        return fields

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
