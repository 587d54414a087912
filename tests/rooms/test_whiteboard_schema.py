"""The whiteboard shape's JSON Schema: what it accepts and refuses, where it is served, and
that the documentation's field table lists exactly its fields."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from rooms.documents.content.shape_schema import SHAPE_PROPERTIES, SHAPE_SCHEMA, shape_errors

IMAGE_ID = "6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
BOX = {"x": 10, "y": 20, "w": 100, "h": 50}
EVERY_FIELD = {
    "type": "rect",
    **BOX,
    "color": "#e03131",
    "text": "A label",
    "points": [0, 0, 10.5, -3],
    "z": 3,
    "strokeWidth": 4,
    "dash": "dashed",
    "fill": "rgba(47, 111, 223, 0.2)",
    "opacity": 0.5,
    "startBinding": {"shapeId": "a", "anchor": {"x": 0, "y": 1}},
    "endBinding": None,
    "startHead": "arrow",
    "endHead": "none",
    "route": "curved",
    "rotation": -math.pi / 2,
    "groupId": "group-1",
    "locked": True,
    "frameId": "frame-1",
    "imageId": IMAGE_ID,
    "alt": "A diagram",
    "fontSize": 24,
    "align": "right",
    "legacy": {"x": "NaN"},
}


def test_a_shape_with_every_documented_field_is_valid():
    assert shape_errors(EVERY_FIELD) == []
    assert set(EVERY_FIELD) == set(SHAPE_PROPERTIES)


def test_a_shape_that_left_its_frame_has_a_null_frame_id():
    assert shape_errors({"type": "rect", **BOX, "frameId": None}) == []


@pytest.mark.parametrize("kind", SHAPE_PROPERTIES["type"]["enum"])
def test_every_type_with_only_its_box_is_valid(kind):
    assert shape_errors({"type": kind, **BOX}) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"type": "cloud"}, "type"),
        ({"x": "10"}, "x"),
        ({"x": math.nan}, "x"),
        ({"y": math.inf}, "y"),
        ({"w": 2e9}, "w"),
        ({"color": '"/><script>'}, "color"),
        ({"fill": "url(#x)"}, "fill"),
        ({"strokeWidth": 0}, "strokeWidth"),
        ({"strokeWidth": 65}, "strokeWidth"),
        ({"dash": "wavy"}, "dash"),
        ({"opacity": 0}, "opacity"),
        ({"startBinding": {"shapeId": "a", "anchor": {"x": 1.5, "y": 0}}}, "startBinding.anchor.x"),
        ({"endBinding": {"shapeId": "a"}}, "endBinding.anchor"),
        ({"endHead": "diamond"}, "endHead"),
        ({"route": "zigzag"}, "route"),
        ({"rotation": 7}, "rotation"),
        ({"groupId": ""}, "groupId"),
        ({"groupId": None}, "groupId"),
        ({"frameId": 3}, "frameId"),
        ({"locked": "yes"}, "locked"),
        ({"imageId": "not-a-uuid"}, "imageId"),
        ({"fontSize": 7}, "fontSize"),
        ({"fontSize": 161}, "fontSize"),
        ({"align": "justify"}, "align"),
        ({"points": [0, "1"]}, "points.1"),
        ({"text": "x" * 20_001}, "text"),
        ({"colour": "#fff"}, "colour"),
        ({"x": True}, "x"),
    ],
)
def test_a_bad_field_is_refused_with_its_path(change, path):
    errors = shape_errors({"type": "rect", **BOX, **change})

    assert [error.path for error in errors] == [path]


def test_a_shape_without_its_box_is_refused():
    assert [error.path for error in shape_errors({"type": "rect", "x": 0, "y": 0})] == ["w", "h"]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SHAPE_SCHEMA)


def test_the_schema_is_served_at_a_stable_public_url(db):
    response = Client().get("/api/schemas/shape.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert response.json() == SHAPE_SCHEMA


def test_the_documented_field_table_lists_exactly_the_schemas_fields():
    page = (Path(__file__).parents[2] / "docs" / "whiteboard.md").read_text()
    table = page.split("## A shape's fields", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for row in re.findall(r"^\| (.+?) \|", table, flags=re.MULTILINE):
        documented.update(re.findall(r"`(\w+)`", row))

    assert documented - {"frame", "image"} == set(SHAPE_PROPERTIES)
