"""Chromium finds the app installable: a page links a manifest the browser parses without
errors, and its installability check (the DevTools protocol's ``Page.getInstallabilityErrors``,
what decides whether the browser offers "Install Collab") reports nothing missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser.conftest import CHROMIUM, TIMEOUT_MS
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_chromium_parses_the_manifest_and_finds_the_app_installable(
    app_server: Server, tmp_path: Path
) -> None:
    # A profile on disk: Chromium never offers to install from an incognito context, which is
    # what the shared browser fixture's contexts are.
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            base_url=app_server.url,
        )
        try:
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto("/accounts/login/")
            devtools = context.new_cdp_session(page)

            manifest = devtools.send("Page.getAppManifest")
            installability = devtools.send("Page.getInstallabilityErrors")
        finally:
            context.close()

    assert manifest["url"] == f"{app_server.url}/manifest.webmanifest"
    assert manifest["errors"] == []
    assert installability["installabilityErrors"] == []
