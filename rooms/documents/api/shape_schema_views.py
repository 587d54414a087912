"""The whiteboard shape's JSON Schema, served as it is, and its OpenAPI form for the bodies
of whiteboard writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from rooms.documents.content.shape_schema import SHAPE_SCHEMA, openapi_form

SCHEMA_MEDIA_TYPE = "application/schema+json"


@require_GET
@cache_control(public=True, max_age=3600)
def shape_schema(request: HttpRequest) -> JsonResponse:
    """``GET /api/schemas/shape.json``: public, like the OpenAPI document."""
    return JsonResponse(SHAPE_SCHEMA, content_type=SCHEMA_MEDIA_TYPE)


def shapes_body_schema(*, patch: bool) -> dict[str, Any]:
    """The OpenAPI schema of a whiteboard write's body: whole shapes by id for PUT; for PATCH
    each id's fields to set (``null`` removes a field) or ``null`` to remove the shape."""
    shape = openapi_form()
    if patch:
        fields = {name: {**field, "nullable": True} for name, field in shape["properties"].items()}
        shape = {
            **{key: value for key, value in shape.items() if key != "required"},
            "properties": fields,
            "nullable": True,
            "description": "The fields to set (null removes one); a new shape must be whole. "
            "null removes the shape.",
        }
    return {
        "type": "object",
        "properties": {
            "shapes": {
                "type": "object",
                "additionalProperties": shape,
                "description": "Shapes by id (1 to 128 characters). Each is checked against "
                f"{SHAPE_SCHEMA['$id']}.",
            }
        },
        "required": ["shapes"],
        "additionalProperties": False,
    }
