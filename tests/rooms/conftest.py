"""Fixtures shared by the webhook tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.background.conftest import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local HTTP server whose answers a test scripts (``tests/background/conftest.py``)."""
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def local(settings):
    """Hooks may reach 127.0.0.1; short timeouts and no waits between attempts."""
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True
    settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 1
    settings.COLLAB_WEBHOOK_RETRY_DELAYS = [0, 0]
    return settings
