"""The rules of automatic history, as pure functions of their inputs (time is a parameter):
when an automatic version is due, which edit counts as a wipe, and which automatic versions
survive thinning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from rooms.documents.content.tree import FRAGMENT, SHAPES
from rooms.documents.models import DocumentKind


def auto_version_due(
    *,
    first_edit: datetime,
    last_edit: datetime,
    now: datetime,
    idle: timedelta,
    longest: timedelta,
) -> bool:
    """Whether edits not yet in any version (made from ``first_edit`` to ``last_edit``) are
    due for an automatic version: typing stopped ``idle`` ago, or the oldest of them has
    waited ``longest`` while typing goes on."""
    return now - last_edit >= idle or now - first_edit >= longest


def content_size(doc: Doc[Any], kind: str) -> int:
    """What a wipe removes: the characters of a text document, the shapes of a whiteboard."""
    if kind == DocumentKind.WHITEBOARD:
        return len(doc.get(SHAPES, type=Map))
    return _text_length(doc.get(FRAGMENT, type=XmlFragment))


def _text_length(node: XmlFragment | XmlElement) -> int:
    total = 0
    for child in node.children:
        if isinstance(child, XmlText):
            total += len(child)
        elif isinstance(child, XmlElement):
            total += _text_length(child)
    return total


def is_wipe(*, before: int, after: int, least_removed: int) -> bool:
    """Whether going from ``before`` to ``after`` (``content_size``) removes most of the
    content: less than half is left, and at least ``least_removed`` went."""
    return after * 2 < before and before - after >= least_removed


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Aged:
    """What thinning knows of an automatic version."""

    id: Any
    created_at: datetime


def versions_to_keep(
    versions: Iterable[Aged],
    *,
    now: datetime,
    all_for: timedelta = timedelta(days=1),
    hourly_for: timedelta = timedelta(days=7),
) -> set[Any]:
    """The ids of the automatic versions thinning keeps: every one younger than ``all_for``,
    then the newest of each clock hour up to ``hourly_for``, then the newest of each day (UTC
    hours and days of ``created_at``: a version's bucket never moves, so running this again
    later deletes nothing it kept unless the version moved to a coarser tier)."""
    kept: set[Any] = set()
    newest_in: dict[tuple[str, int], Aged] = {}
    for version in versions:
        age = now - version.created_at
        if age < all_for:
            kept.add(version.id)
            continue
        since_epoch = version.created_at - EPOCH
        bucket = (
            ("hour", since_epoch // timedelta(hours=1))
            if age < hourly_for
            else ("day", since_epoch // timedelta(days=1))
        )
        best = newest_in.get(bucket)
        if best is None or version.created_at > best.created_at:
            newest_in[bucket] = version
    kept.update(version.id for version in newest_in.values())
    return kept
