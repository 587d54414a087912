"""Authorship in real Chromium: two people type into one document; "Colour by author" in the
history panel colours each one's text with their profile colour and names them in a legend."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import end_of_paragraph, new_document, open_document, status_of
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

BACKGROUND = "element => getComputedStyle(element).boxShadow"


def test_colour_by_author_shows_each_persons_text_in_their_colour_with_a_legend(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Who wrote what", "Intro.\n\nSecond.")
    api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "POST",
        f"documents/{document_id}/versions",
        {"name": "Before them"},
    )
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        expect(status_of(page)).to_have_attribute("data-status", "saved")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" Alice wrote this.")
    expect(bob.locator(".ProseMirror")).to_contain_text("Alice wrote this.")
    end_of_paragraph(bob, 1)
    bob.keyboard.type(" Bob wrote that.")
    expect(alice.locator(".ProseMirror")).to_contain_text("Bob wrote that.")
    for page in (alice, bob):
        expect(status_of(page)).to_have_attribute("data-status", "saved")

    bob.get_by_role("button", name="History", exact=True).click()
    panel = bob.get_by_role("complementary", name="Version history")
    panel.get_by_label("Colour by author").check()

    legend = panel.get_by_role("list", name="Authors")
    expect(legend.get_by_role("listitem")).to_have_text(["owner", "editor", "editor2"])
    by_alice = bob.locator(".ProseMirror .author-run", has_text="Alice wrote this.")
    by_bob = bob.locator(".ProseMirror .author-run", has_text="Bob wrote that.")
    by_owner = bob.locator(".ProseMirror .author-run", has_text="Intro.")
    expect(by_alice).to_have_attribute("title", "editor")
    expect(by_bob).to_have_attribute("title", "editor2")
    expect(by_owner).to_have_attribute("title", "owner")
    colours = {run.evaluate(BACKGROUND) for run in (by_alice, by_bob, by_owner)}
    assert len(colours) == 3, colours

    # Alice again, from a fresh page (a new Yjs client id): her new text is coloured once the
    # map, asked again, knows that client.
    open_document(alice, app_server, document_id)
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    end_of_paragraph(alice, 0)
    alice.keyboard.type(" Later.")
    expect(bob.locator(".ProseMirror .author-run", has_text="Later.")).to_have_attribute(
        "title", "editor"
    )

    # The diff against the current document names who wrote each insertion.
    panel.get_by_role("button", name=re.compile("Before them")).click()
    panel.get_by_label("Show changes").select_option("current")
    changes = panel.get_by_role("region", name="Changes")
    expect(changes.locator("ins", has_text="Alice wrote this.")).to_have_attribute(
        "title", "Written by editor"
    )
    expect(changes.locator("ins", has_text="Bob wrote that.")).to_have_attribute(
        "title", "Written by editor2"
    )

    panel.get_by_label("Colour by author").uncheck()
    expect(bob.locator(".ProseMirror .author-run")).to_have_count(0)
    expect(legend).to_be_hidden()
