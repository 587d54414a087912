"""Real Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright's sync API) against a
real Daphne serving the built web app, with the seeded people signed in through the real
sign-in form. Screenshots go to ``tests/e2e/artifacts/``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server

CHROMIUM = Path(os.environ.get("COLLAB_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Generous: CI runs on a slow two-core machine, and Chromium competes with Daphne for it.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def app_server(frontend_built: Path, server: Server) -> Server:
    """The module's Daphne, started after the web app was built so it serves the app."""
    return server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's package (`apt-get install -y "
            "chromium`, as a full test run does as root) or set COLLAB_CHROMIUM."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class People:
    """Opens signed-in browser contexts (one per person, as separate browsers would be) and
    closes them all at the end of the test."""

    def __init__(self, browser: Any, server: Server) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []
        # What the Content-Security-Policy refused on any page: checked when the test ends.
        self.refused: list[str] = []

    def sign_in(self, username: str, viewport: dict[str, int] | None = None) -> Any:
        """A new context signed in as ``username`` through the sign-in form; returns its page."""
        from playwright.sync_api import expect

        context = self.browser.new_context(
            base_url=self.server.url, viewport=viewport or {"width": 1400, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", self._console)
        self.contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(self.server.seed["password"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Your rooms")).to_be_visible(timeout=TIMEOUT_MS)
        return page

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(f"{message.location.get('url')}: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        assert self.refused == [], "the Content-Security-Policy refused something"


@pytest.fixture
def people(browser: Any, app_server: Server) -> Iterator[People]:
    crowd = People(browser, app_server)
    try:
        yield crowd
    finally:
        crowd.close()
