"""A room page reloaded while offline: the service worker serves the page and the app, the
document comes from IndexedDB, and the edit reaches the others once the page is back online."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import (
    end_of_paragraph,
    new_document,
    open_document,
    status_of,
    wait_for_text,
)
from tests.e2e.conftest import Server, content_text

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


def wait_until_kept_for_offline(page: Any) -> None:
    """The service worker controls the page and holds a copy of it."""
    page.wait_for_function(
        """async () => {
            if (!navigator.serviceWorker.controller) return false;
            const pages = await caches.open('collab-pages-v1');
            return Boolean(await pages.match(location.origin + location.pathname));
        }""",
        polling=250,
    )


def wait_until_stored_on_device(page: Any) -> None:
    """Every edit so far is in IndexedDB: y-indexeddb queues a write per edit, and a read of
    its store completes only after the writes queued before it (a reload could cut them)."""
    page.evaluate(
        """() => new Promise((resolve, reject) => {
            const tx = window.collab.connection.local.db.transaction('updates', 'readonly');
            tx.objectStore('updates').count();
            tx.oncomplete = () => resolve(true);
            tx.onerror = () => reject(tx.error);
        })"""
    )


def test_a_reload_while_offline_shows_the_document_with_the_offline_edit(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Trip notes", "Trip notes")
    owner_token = app_server.seed["tokens"]["owner"]
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Trip notes")
        expect(status_of(page)).to_have_attribute("data-status", "saved")
    wait_until_kept_for_offline(alice)

    alice.context.set_offline(True)
    expect(status_of(alice)).to_have_attribute("data-status", "offline")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" (typed on the train)")
    wait_for_text(alice, "Trip notes (typed on the train)")
    wait_until_stored_on_device(alice)

    response = alice.reload()
    assert response is not None and response.from_service_worker
    expect(alice.get_by_role("heading", name="Trip notes", level=1)).to_be_visible()
    wait_for_text(alice, "Trip notes (typed on the train)")
    expect(status_of(alice)).to_have_attribute("data-status", "offline")
    expect(status_of(alice)).to_contain_text("Offline")
    assert "train" not in content_text(app_server.url, owner_token, document_id)

    alice.context.set_offline(False)
    wait_for_text(bob, "Trip notes (typed on the train)")
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    assert content_text(app_server.url, owner_token, document_id) == (
        "Trip notes (typed on the train)"
    )
