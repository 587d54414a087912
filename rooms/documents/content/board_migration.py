"""Bringing a stored whiteboard to the current board version, losing nothing.

A board's version is ``version`` in the Y.Doc's Map ``meta`` (absent: 1, the boards made
before issue 25, whose shapes hold only type, x, y, w, h, color, text, points and z). Version
2 is the shape schema of ``shape_schema.py``. Migrating a board:

- moves each value of a known field that breaks the schema (a number that is not finite, a
  string where a number belongs, a width out of range) into the shape's ``legacy`` object,
  as it was, and puts the field's default in its place (0 for the box, absent for the
  optional fields, which then read as their default);
- gives a shape missing its box fields 0 for each, as every reader already assumed;
- leaves alone what it cannot mend without guessing: a shape of an unknown type, a field
  the schema does not know, an entry of ``shapes`` that is not a map;
- sets ``meta.version``, so a second run changes nothing (it is idempotent), and is written as
  one update like any other edit. Pure pycrdt, no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, Map

from rooms.documents.content.shape_schema import SHAPE_PROPERTIES, SHAPE_SCHEMA, shape_errors
from rooms.documents.content.tree import SHAPES, plain

META = "meta"
BOARD_VERSION = 2
LEGACY = "legacy"
_BOX = tuple(SHAPE_SCHEMA["required"][1:])  # x, y, w, h


@dataclass
class Migration:
    """What migrating one board did (or would do)."""

    from_version: int
    repaired: dict[str, list[str]] = field(default_factory=dict)  # shape id: fields
    left_as_they_are: list[str] = field(default_factory=list)  # ids of shapes it cannot read

    @property
    def changed(self) -> bool:
        return self.from_version < BOARD_VERSION


def board_version(doc: Doc[Any]) -> int:
    """The board's version (1 for a board with no ``meta.version``)."""
    version = doc.get(META, type=Map).get("version")
    ok = isinstance(version, int | float) and not isinstance(version, bool)
    return int(version) if ok and math.isfinite(version) and version >= 1 else 1


def needs_migration(doc: Doc[Any]) -> bool:
    """Whether a loaded document is a board with shapes below ``BOARD_VERSION`` (a text
    document has no shapes, so never)."""
    return board_version(doc) < BOARD_VERSION and len(doc.get(SHAPES, type=Map)) > 0


def migrate(doc: Doc[Any]) -> Migration:
    """Bring the board to ``BOARD_VERSION`` inside the caller's transaction (so it becomes one
    update with whatever else the caller writes); nothing at all when it is there already."""
    found = Migration(from_version=board_version(doc))
    if not found.changed:
        return found
    for key, value in doc.get(SHAPES, type=Map).items():
        if not isinstance(value, Map) or plain(value.get("type")) not in _known_types():
            found.left_as_they_are.append(key)
            continue
        repaired = _repair(value)
        if repaired:
            found.repaired[key] = repaired
    doc.get(META, type=Map)["version"] = BOARD_VERSION
    found.left_as_they_are.sort()
    return found


def _known_types() -> list[str]:
    return list(SHAPE_PROPERTIES["type"]["enum"])


def _repair(shape: Map[Any]) -> list[str]:
    """Repair one shape's known fields; returns their names."""
    bad: set[str] = set()
    for error in shape_errors(plain(shape)):
        name = error.path.split(".", 1)[0]
        if name in SHAPE_PROPERTIES and name not in ("type", LEGACY):
            bad.add(name)
    bad.update(name for name in _BOX if name not in shape)
    kept = plain(shape.get(LEGACY))
    legacy = dict(kept) if isinstance(kept, dict) else {}
    moved = False
    for name in sorted(bad):
        if name in shape:
            legacy[name] = _json_safe(plain(shape[name]))
            moved = True
        if name in _BOX:
            shape[name] = 0
        elif name in shape:
            del shape[name]
    if moved:
        shape[LEGACY] = legacy
    return sorted(bad)


def _json_safe(value: Any) -> Any:
    """A value JSON can hold: numbers that are not finite spelled as JavaScript does."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value
