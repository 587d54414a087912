"""Creates the whiteboard benchmark's board in the server's database: two people who can sign in
(a password each), a room, and one whiteboard holding ``--shapes`` varied shapes written as one
Yjs update (built with pycrdt, appended to the update log and compacted, as a board at rest would
be). Prints the ids as JSON.

Run in the server's environment, from the project folder:
``python -m bench.whiteboard_seed --shapes 2000 --out seed.json``

The shapes sit in a grid of cells, eight kinds in turn: rectangle, sticky note (text that wraps
over several lines), ellipse, arrow bound to its two neighbours, text, pen stroke, sticky note,
arrow bound to its neighbours, with styles varied (fill, dash, width, opacity).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import django

PASSWORD = "bench-password-1"
COLUMNS = 50
CELL_W, CELL_H = 240.0, 180.0
# The shape the second person drags: a rectangle inside both people's first view (top left).
MOVED_INDEX = 0
COLORS = ["#1b2230", "#e03131", "#2f6fdf", "#2b8a3e", "#f08c00", "#9c36b5"]
WORDS = (
    "plan the launch review copy with design ship the beta collect feedback from early users "
    "fix the onboarding flow draft the roadmap for next quarter"
).split()


def cell_box(index: int) -> tuple[float, float]:
    return (index % COLUMNS) * CELL_W + 20, (index // COLUMNS) * CELL_H + 20


def shape_fields(index: int, count: int) -> dict[str, Any]:
    """The stored fields of shape ``index`` (floats: Yjs numbers)."""
    x, y = cell_box(index)
    kind = index % 8
    color = COLORS[index % len(COLORS)]
    base: dict[str, Any] = {
        "x": x,
        "y": y,
        "w": 180.0,
        "h": 120.0,
        "color": color,
        "z": float(index),
    }
    base["text"] = ""
    base["points"] = []
    if index % 5 == 0:
        base["strokeWidth"] = 4.0
    if index % 7 == 0:
        base["dash"] = "dashed"
    if index % 11 == 0:
        base["opacity"] = 0.6
    if kind == 0:
        return {**base, "type": "rect", "fill": "#e7f5ff" if index % 3 else ""}
    if kind == 2:
        return {**base, "type": "ellipse", "fill": "#ebfbee" if index % 3 else ""}
    if kind in (1, 6):
        words = " ".join(WORDS[(index + i) % len(WORDS)] for i in range(12 + index % 9))
        return {**base, "type": "sticky", "h": 150.0, "text": words}
    if kind == 4:
        return {
            **base,
            "type": "text",
            "h": 60.0,
            "text": f"Heading {index}: {WORDS[index % len(WORDS)]}",
        }
    if kind == 5:
        points: list[float] = []
        for step in range(24):
            points += [step * 7.5, 60 + 40 * math.sin(step / 3 + index)]
        return {**base, "type": "pen", "points": points}
    # An arrow from its left neighbour to its right one (bindings follow them when they move).
    arrow = {**base, "type": "arrow", "w": 160.0, "h": 40.0, "text": "next" if kind == 3 else ""}
    arrow["startBinding"] = {"shapeId": shape_id(index - 1), "anchor": {"x": 0.5, "y": 0.5}}
    if index + 1 < count:
        arrow["endBinding"] = {"shapeId": shape_id(index + 1), "anchor": {"x": 0.5, "y": 0.5}}
    if index % 16 == 7:
        arrow["route"] = "elbow"
    return arrow


def shape_id(index: int) -> str:
    return f"bench-{index:05d}"


def board_update(count: int) -> bytes:
    """The whole board as one Yjs update."""
    from pycrdt import Doc, Map

    doc: Doc[Any] = Doc()
    shapes = doc.get("shapes", type=Map)
    with doc.transaction():
        for index in range(count):
            shapes[shape_id(index)] = Map(shape_fields(index, count))
    return bytes(doc.get_update())


def seed(count: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from rooms.documents.models import DocumentKind
    from rooms.documents.services.documents import document_create
    from rooms.membership.models import Role
    from rooms.membership.services.members import member_add
    from rooms.membership.services.rooms import room_create
    from rooms.sync import compaction, log

    update = board_update(count)
    users = get_user_model().objects
    with transaction.atomic():
        owner = users.create_user(username="board-a", password=PASSWORD)
        room = room_create(actor=owner, name="Whiteboard bench")
        users.create_user(username="board-b", password=PASSWORD)
        member_add(actor=owner, room_id=room.pk, username="board-b", role=Role.EDITOR)
        board = document_create(
            actor=owner, room_id=room.pk, title="2,000 shapes", kind=DocumentKind.WHITEBOARD
        )
        log.updates_append(
            [log.PendingUpdate(document_id=board.pk, data=update, author_id=owner.pk)]
        )
    compaction.document_compact(board.pk)
    return {
        "room": str(room.pk),
        "board": str(board.pk),
        "users": ["board-a", "board-b"],
        "password": PASSWORD,
        "shapes": count,
        "update_bytes": len(update),
        "moved": shape_id(MOVED_INDEX),
        "moved_box": [*cell_box(MOVED_INDEX), 180.0, 120.0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shapes", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django.setup()
    args.out.write_text(json.dumps(seed(args.shapes)))


if __name__ == "__main__":
    main()
