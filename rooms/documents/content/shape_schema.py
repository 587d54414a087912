"""The JSON Schema (draft 2020-12) of one whiteboard shape, and checking shapes against it.

It is the contract of ``docs/whiteboard.md``'s field table: what the web app writes, what
REST writes must be, and what the server reads. Every field but ``type`` and the box is
optional and absent means its default, so boards made before a field existed stay valid.
Unknown fields are refused, so a typo in a REST write is an error and not a silent no-op.
Pure Python, no Django: the API serves ``SHAPE_SCHEMA`` as it is, and its OpenAPI form comes
from ``openapi_form``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_ID = "/api/schemas/shape.json"

SHAPE_TYPES = ("rect", "ellipse", "line", "arrow", "pen", "text", "sticky", "frame", "image")
# Board coordinates: far past any real board, short of where floats lose whole pixels.
COORDINATE_LIMIT = 1e9
TEXT_MAX = 20_000
POINTS_MAX = 200_000
ID_MAX = 128
FONT_SIZE_MIN, FONT_SIZE_MAX = 8, 160
SAFE_INTEGER = 2**53
# A hex colour, a named one or a functional one: every CSS colour the app offers or pastes,
# and nothing that could break out of an SVG attribute.
COLOR_PATTERN = r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/a-z-]{1,60}\))$"
ID_PATTERN = r"^[^\u0000-\u001f\ud800-\udfff]{1,128}$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _coordinate(description: str) -> dict[str, Any]:
    return {
        "type": "number",
        "minimum": -COORDINATE_LIMIT,
        "maximum": COORDINATE_LIMIT,
        "description": description,
    }


def _binding(end: str) -> dict[str, Any]:
    unit = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "type": ["object", "null"],
        "description": f"Lines and arrows: the {end} bound to a shape (null: unbound). The "
        "anchor is a point in the shape's box, normalized to 0..1.",
        "properties": {
            "shapeId": {"type": "string", "pattern": ID_PATTERN},
            "anchor": {
                "type": "object",
                "properties": {"x": unit, "y": unit},
                "required": ["x", "y"],
                "additionalProperties": False,
            },
        },
        "required": ["shapeId", "anchor"],
        "additionalProperties": False,
    }


SHAPE_PROPERTIES: dict[str, Any] = {
    "type": {"enum": list(SHAPE_TYPES), "description": "What the shape is."},
    "x": _coordinate("The box's left (a line's start)."),
    "y": _coordinate("The box's top (a line's start)."),
    "w": _coordinate("The box's width; for lines and arrows the end is x + w and may be < 0."),
    "h": _coordinate("The box's height; for lines and arrows the end is y + h and may be < 0."),
    "color": {
        "type": "string",
        "pattern": COLOR_PATTERN,
        "description": "The stroke and text colour, a CSS colour.",
    },
    "text": {
        "type": "string",
        "maxLength": TEXT_MAX,
        "description": "A text shape's or sticky note's text, a rectangle's or ellipse's "
        "label, a frame's title, a line's or arrow's label.",
    },
    "points": {
        "type": "array",
        "items": {"type": "number", "minimum": -COORDINATE_LIMIT, "maximum": COORDINATE_LIMIT},
        "maxItems": POINTS_MAX,
        "description": "A pen stroke: x0, y0, x1, y1, ... relative to (x, y).",
    },
    "z": {"type": "number", "description": "Stacking order, bottom first."},
    "strokeWidth": {"type": "number", "minimum": 1, "maximum": 64, "default": 2},
    "dash": {"enum": ["solid", "dashed", "dotted"], "default": "solid"},
    "fill": {
        "type": "string",
        "pattern": COLOR_PATTERN.replace("^(", "^(|", 1),
        "default": "",
        "description": 'A CSS colour, or "" for none.',
    },
    "opacity": {"type": "number", "minimum": 0.1, "maximum": 1, "default": 1},
    "startBinding": _binding("start"),
    "endBinding": _binding("end"),
    "startHead": {"enum": ["none", "arrow"], "default": "none"},
    "endHead": {
        "enum": ["none", "arrow"],
        "description": "Absent: an arrow's end has an arrowhead, a line's none.",
    },
    "route": {"enum": ["straight", "elbow", "curved"], "default": "straight"},
    "rotation": {
        "type": "number",
        "minimum": -2 * math.pi,
        "maximum": 2 * math.pi,
        "default": 0,
        "description": "Radians, clockwise about the box's centre; rect, ellipse, text, "
        "sticky, pen and image (ignored on lines, arrows and frames).",
    },
    "groupId": {
        "type": "string",
        "pattern": ID_PATTERN,
        "description": "Shapes with the same groupId are selected, moved and deleted together.",
    },
    "locked": {
        "type": "boolean",
        "default": False,
        "description": "Not picked, moved, resized or deleted until unlocked.",
    },
    "frameId": {
        "type": ["string", "null"],
        "pattern": ID_PATTERN,
        "description": "The frame that holds this shape (null: none, once it left one).",
    },
    "imageId": {
        "type": "string",
        "pattern": UUID_PATTERN,
        "description": "An image: the id of one of the document's uploaded images.",
    },
    "alt": {"type": "string", "maxLength": 1000, "default": "", "description": "Alt text."},
    "fontSize": {
        "type": "number",
        "minimum": FONT_SIZE_MIN,
        "maximum": FONT_SIZE_MAX,
        "description": "Text size in board px (absent: 18 for a text shape, 14 for a "
        "frame's title, 16 elsewhere).",
    },
    "align": {
        "enum": ["left", "center", "right"],
        "description": "Absent: left for a text shape, centre for the others.",
    },
    "legacy": {
        "type": "object",
        "description": "Written by the board migration: the values it had to replace, as "
        "they were (numbers that were not finite as strings), so nothing is lost.",
    },
}

SHAPE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Whiteboard shape",
    "description": "One shape of a whiteboard: a value of the Y.Map 'shapes', keyed by its id.",
    "type": "object",
    "properties": SHAPE_PROPERTIES,
    "required": ["type", "x", "y", "w", "h"],
    "additionalProperties": False,
}

_VALIDATOR = Draft202012Validator(SHAPE_SCHEMA)
_SURROGATE = re.compile("[\ud800-\udfff]")
# What ``shape_errors`` checks a shape's id against (ids are the keys of the Map "shapes").
ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
_ID_VALIDATOR = Draft202012Validator(ID_SCHEMA)


@dataclass(frozen=True)
class ShapeError:
    """One way a shape breaks the schema: ``path`` names the field (``"fontSize"``,
    ``"startBinding.anchor.x"``; ``""`` for the shape itself)."""

    path: str
    message: str


def shape_errors(shape: Any) -> list[ShapeError]:
    """Every way ``shape`` breaks the schema, the shallowest field first (empty: valid).
    Numbers that are not finite (which JSON cannot hold, but a Yjs client can store) are
    errors too: JSON Schema's comparisons let NaN through."""
    found = sorted(
        _VALIDATOR.iter_errors(shape), key=lambda e: (len(e.path), [str(p) for p in e.path])
    )
    errors: list[ShapeError] = []
    for error in found:
        for path in _paths(error):
            if path not in [known.path for known in errors]:
                errors.append(ShapeError(path=path, message=_message(error)))
    reported = {error.path for error in errors}
    errors.extend(
        ShapeError(path=path, message=message)
        for path, message in _unstorable(shape, "")
        if path not in reported
    )
    return errors


def _unstorable(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """What Yjs cannot store or JSON cannot hold: numbers that are not finite or are whole
    numbers past what a JavaScript number holds exactly, and strings
    with lone surrogates (not Unicode; Yrs would refuse them)."""
    if isinstance(value, float) and not math.isfinite(value):
        yield path, "Numbers must be finite."
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > SAFE_INTEGER:
        yield path, "Numbers must be within ±2^53, as JavaScript's are."
    elif isinstance(value, str) and _SURROGATE.search(value):
        yield path, "Text must be valid Unicode."
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                yield inner, "Text must be valid Unicode."
            else:
                yield from _unstorable(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = next(_unstorable(item, f"{path}.{index}"), None)
            if found:
                yield found
                return


def shape_id_valid(shape_id: str) -> bool:
    """Whether ``shape_id`` may name a shape (1 to 128 characters, no control characters)."""
    return bool(_ID_VALIDATOR.is_valid(shape_id))


def _paths(error: ValidationError) -> list[str]:
    """The fields an error is about: the missing ones of ``required``, the unknown ones of
    ``additionalProperties``."""
    path = ".".join(str(part) for part in error.path)
    if error.validator == "additionalProperties":
        names = sorted(set(error.instance) - set(error.schema.get("properties", {})))
    elif error.validator == "required":
        names = [name for name in error.validator_value if name not in error.instance]
    else:
        return [path]
    return [".".join(filter(None, [path, name])) for name in names] or [path]


def _message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return "This field is not a shape field."
    if error.validator == "required":
        return "This field is required."
    if error.validator == "pattern":
        return f"{error.instance!r} is not allowed here."
    return str(error.message)


def openapi_form(schema: dict[str, Any] = SHAPE_SCHEMA) -> dict[str, Any]:
    """The schema as OpenAPI 3.0 writes it: no ``$schema`` or ``$id``, and ``"type": [t,
    "null"]`` as ``"type": t`` with ``nullable``."""
    return dict(_openapi(schema))


def _openapi(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in schema.items():
        if key in ("$schema", "$id"):
            continue
        if key == "type" and isinstance(value, list):
            kinds = [kind for kind in value if kind != "null"]
            yield "type", kinds[0]
            yield "nullable", True
        elif isinstance(value, dict):
            yield (
                key,
                dict(_openapi(value))
                if key != "properties"
                else {name: dict(_openapi(field)) for name, field in value.items()},
            )
        else:
            yield key, value
