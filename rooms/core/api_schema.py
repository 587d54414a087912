"""The OpenAPI schema's error responses, for every operation at once: each documents the
statuses it can answer with in the API's error shape (``rooms.core.api_errors``), chosen from
what it is (its method, its path, whether it needs a signed-in caller, whether it pages), so a
new view is documented without a decorator of its own.

``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` names ``ApiAutoSchema``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
WITH_BODY = {"POST", "PUT", "PATCH"}

ERRORS = {
    400: "Bad input: `invalid` with `fields` naming each bad one (query parameters too, "
    "`page_size` among them), `parse_error`, `nesting_too_deep`, `bad_request`, or the "
    "operation's own code.",
    401: "No credentials, or they no longer hold: `not_authenticated`, `bad_token` (unknown or "
    "revoked), `token_expired`.",
    403: "Not allowed: `permission_denied`, `token_scope` (a read-only token's write), "
    "`token_rooms` (a room-limited token on a route about no one room), or the operation's "
    "own code (`room_archived`, `not_author`...).",
    404: "No such object, or not visible to you (a room-limited token's other rooms too), or a "
    "`cursor` this server did not make.",
    409: "The change conflicts with the current state (the operation's own code).",
    412: "`If-Match` named an older state (`precondition_failed`).",
    413: "Too large: a body past `DATA_UPLOAD_MAX_MEMORY_SIZE` (`request_too_large`), or the "
    "document or file past its limit.",
    415: "A body in a media type the operation does not take.",
    429: "Too many requests (`Retry-After` says when to try again).",
}


class ApiErrorFieldSerializer(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField()
    code = serializers.CharField()


class ApiErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Every error of the API."""

    detail = serializers.CharField(help_text="For a person to read.")
    code = serializers.CharField(help_text="Stable, for a program to test.")
    fields = serializers.DictField(  # type: ignore[assignment]  # the body's key, not .fields
        child=ApiErrorFieldSerializer(many=True),
        required=False,
        help_text="Each bad input, by name (nested ones as `outer.inner`, list items as "
        "`name.0`), with its own code.",
    )


def _is_page(response: dict[str, Any]) -> bool:
    """Whether a response is a page of a list (``rooms.core.pagination``): it takes a cursor."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).endswith("Page")


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give."""

    def error_statuses(self, responses: dict[str, Any]) -> set[int]:
        """The error statuses of this operation, beside any it declares itself."""
        method = self.method.upper()
        open_to_anyone = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        pages = _is_page(responses.get("200", {}))
        statuses = {400}
        if not open_to_anyone:
            statuses |= {401, 403}
        if "{" in self.path or pages:
            statuses.add(404)
        if method in UNSAFE and not open_to_anyone:
            statuses.add(409)
        if method in WITH_BODY:
            statuses |= {413, 415}
        if method in UNSAFE:
            statuses.add(429)  # chat's rate, the sign-in guard, sign-up and reset limits
        return statuses

    def get_operation_id(self) -> str:
        """drf-spectacular's, a page's GET named ``_list`` as a list's is."""
        operation_id = str(super().get_operation_id())
        response = self.get_response_serializers()
        if operation_id.endswith("_retrieve") and type(response).__name__.endswith("Page"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def _get_response_bodies(self, direction: str = "response") -> Any:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        declared = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
        for status in sorted(self.error_statuses(responses) | declared):
            given = responses.get(str(status), {})
            description = given.get("description") or ERRORS.get(status, "An error.")
            described = OpenApiResponse(ApiErrorSerializer, description=description)
            responses[str(status)] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                described, str(status), direction=direction
            )
        return responses
