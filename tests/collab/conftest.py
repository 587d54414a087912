"""Fixtures of the tests of the project's wiring."""

from __future__ import annotations

import logging

import pytest

from rooms.core.request_context import ContextFilter


@pytest.fixture
def records():
    """The records the root logger emits, through the filters settings.LOGGING gave its
    console handler (the ones that stamp the ids)."""
    root = logging.getLogger()
    console = next(
        handler
        for handler in root.handlers
        if any(isinstance(f, ContextFilter) for f in handler.filters)
    )
    captured: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    capture = Capture()
    capture.filters = list(console.filters)
    root.addHandler(capture)
    yield captured
    root.removeHandler(capture)
