"""The rules of automatic history, with a fake now: when a version is due, what a wipe is, and
which automatic versions thinning keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pycrdt import Doc, Map

from rooms.documents.content import tree as content
from rooms.documents.version_rules import (
    Aged,
    auto_version_due,
    content_size,
    is_wipe,
    versions_to_keep,
)

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
IDLE = timedelta(minutes=1)
LONGEST = timedelta(minutes=5)


@pytest.mark.parametrize(
    ("first", "last", "due"),
    [
        (timedelta(seconds=50), timedelta(seconds=50), False),  # typing stopped 50 s ago
        (timedelta(seconds=60), timedelta(seconds=60), True),  # a minute after it stopped
        (timedelta(minutes=4), timedelta(seconds=5), False),  # still typing, for 4 minutes
        (timedelta(minutes=5), timedelta(seconds=5), True),  # still typing, for 5 minutes
    ],
)
def test_an_automatic_version_is_due_a_minute_after_typing_stops_or_every_five_minutes(
    first, last, due
):
    assert (
        auto_version_due(
            first_edit=NOW - first, last_edit=NOW - last, now=NOW, idle=IDLE, longest=LONGEST
        )
        is due
    )


@pytest.mark.parametrize(
    ("before", "after", "wipe"),
    [
        (100, 0, True),
        (100, 49, True),
        (100, 50, False),  # half is left
        (30, 0, True),
        (19, 0, False),  # less than the minimum removed
        (0, 0, False),
    ],
)
def test_a_wipe_leaves_less_than_half_and_removes_at_least_the_minimum(before, after, wipe):
    assert is_wipe(before=before, after=after, least_removed=20) is wipe


def test_content_size_counts_the_characters_of_text_and_the_shapes_of_a_board():
    doc: Doc = Doc()
    content.replace_blocks(doc, content.paragraphs_from_text("Hello\n\nworld, again"))
    assert content_size(doc, "text") == len("Hello") + len("world, again")
    board: Doc = Doc()
    shapes = board.get(content.SHAPES, type=Map)
    shapes["a"] = Map({"kind": "rect"})
    shapes["b"] = Map({"kind": "ellipse"})
    assert content_size(board, "whiteboard") == 2


def aged(name: str, **ago: float) -> Aged:
    return Aged(id=name, created_at=NOW - timedelta(**ago))


def test_thinning_keeps_the_last_day_then_one_an_hour_for_a_week_then_one_a_day():
    versions = [
        aged("minute", minutes=1),
        aged("23h", hours=23, minutes=59),
        # 12:30 now: 9:35 and 9:50 the day before are one clock hour; the newer stays.
        aged("hour-older", days=1, hours=2, minutes=55),
        aged("hour-newer", days=1, hours=2, minutes=40),
        aged("next-hour", days=1, hours=3, minutes=40),
        # Past a week: one per day (UTC), the newest of it.
        aged("day-older", days=9, hours=12),
        aged("day-newer", days=9, hours=1),
        aged("other-day", days=10, hours=1),
    ]

    kept = versions_to_keep(versions, now=NOW)

    assert kept == {"minute", "23h", "hour-newer", "next-hour", "day-newer", "other-day"}
    # Running it again on what it kept keeps all of it.
    assert versions_to_keep([v for v in versions if v.id in kept], now=NOW) == kept
