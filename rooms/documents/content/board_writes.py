"""Whole-board (PUT) and by-id (PATCH) writes of a whiteboard's shapes, checked against the
shape schema and applied field by field.

A changed shape keeps its ``Y.Map`` and only its changed fields are set or deleted, as the
web app's ``updateShape`` does: someone moving a shape while a script recolours it keeps
both edits. A shape whose value is unchanged is not checked again, so a board read with GET
(old shapes and all) can be written back with PUT. Pure pycrdt, no Django.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

from rooms.documents.content.shape_schema import ShapeError, shape_errors, shape_id_valid
from rooms.documents.content.tree import SHAPES, plain

Plan = dict[str, dict[str, Any] | None]
"""What to write: each changed shape's whole new value by id, ``None`` to remove it."""


class ShapeInvalid(Exception):
    """A written shape breaks the schema; ``path`` names the field from the body's root
    (``shapes.<id>.<field>``)."""

    def __init__(self, shape_id: str, error: ShapeError) -> None:
        path = ".".join(filter(None, ["shapes", shape_id, error.path]))
        detail = f"Shape {shape_id!r}: {error.path or 'the shape'}: {error.message}"
        # A key that is not Unicode (a lone surrogate) is named escaped, so the answer is JSON.
        self.path = _escaped(path)
        super().__init__(_escaped(detail))


def _escaped(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _stored(doc: Doc[Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in doc.get(SHAPES, type=Map).items()}


def _checked(shape_id: str, value: Any) -> dict[str, Any]:
    if not shape_id_valid(shape_id):
        raise ShapeInvalid(shape_id, ShapeError("", "A shape id is 1 to 128 characters."))
    errors = shape_errors(value)
    if errors:
        raise ShapeInvalid(shape_id, errors[0])
    return dict(value)


def put_plan(doc: Doc[Any], wanted: dict[str, Any]) -> Plan:
    """The plan that makes the board hold exactly ``wanted`` (shapes by id). Raises
    ``ShapeInvalid`` for the first new or changed shape that breaks the schema."""
    stored = _stored(doc)
    plan: Plan = {key: None for key in stored if key not in wanted}
    for key, value in wanted.items():
        if stored.get(key) != plain(value):
            plan[key] = _checked(key, value)
    return plan


def patch_plan(doc: Doc[Any], patch: dict[str, Any]) -> Plan:
    """The plan of a merge patch: by id, ``null`` removes the shape, an object adds it (whole)
    or changes the given fields of a stored one (a field set to ``null`` is removed, so reads
    as its default). Raises ``ShapeInvalid`` for the first shape that would break the
    schema."""
    stored = _stored(doc)
    plan: Plan = {}
    for key, change in patch.items():
        if change is None:
            if key in stored:
                plan[key] = None
            continue
        base = stored.get(key)
        merged = dict(base) if isinstance(base, dict) else {}
        if not isinstance(change, dict):
            raise ShapeInvalid(key, ShapeError("", "A shape is an object, or null to remove it."))
        for field, value in change.items():
            if value is None:
                merged.pop(field, None)
            else:
                merged[field] = value
        if merged != base:
            plan[key] = _checked(key, merged)
    return plan


def apply_plan(doc: Doc[Any], plan: Plan) -> None:
    """Write ``plan`` (inside the caller's transaction, so it is one update)."""
    shapes = doc.get(SHAPES, type=Map)
    for key, value in plan.items():
        if value is None:
            if key in shapes:
                del shapes[key]
            continue
        current = shapes.get(key)
        if not isinstance(current, Map):
            shapes[key] = Map({field: _as_stored(item) for field, item in value.items()})
            continue
        for field in [field for field in current.keys() if field not in value]:
            del current[field]
        for field, item in value.items():
            if field not in current or plain(current[field]) != plain(item):
                current[field] = _as_stored(item)


def _as_stored(value: Any) -> Any:
    """A JSON value as the web app stores it: every number a float (a JavaScript number;
    Yrs would store a Python int past 2^53 as a BigInt, which the app does not read)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {key: _as_stored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_stored(item) for item in value]
    return value
