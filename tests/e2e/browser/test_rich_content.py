"""Tables, highlighted code and @mentions in real Chromium, two people in one document: what
one builds with the toolbar, the table menu and the keyboard, or pastes, the other sees live; a
mention rings the bell of the person mentioned and sends them an email."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_document_images import stored_nodes
from tests.e2e.conftest import Server, document_create, server_running

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """The seeded server, looking for mentions soon after an edit, and sending the email of a
    notification at once, inline (no worker here), to files this test reads."""
    data = tmp_path_factory.mktemp("rich-content")
    with server_running(
        data,
        COLLAB_DOCUMENT_MENTION_DELAY_SECONDS="0.2",
        COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS="0",
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(data / "mail"),
    ) as running:
        # The seed's people have no address; the one mentioned here gets one to be emailed at.
        with sqlite3.connect(data / "db.sqlite3") as database:
            database.execute(
                "UPDATE auth_user SET email = 'editor@example.com' WHERE username = 'editor'"
            )
        yield running


def open_both(people: People, server: Server, title: str) -> tuple[Any, Any, str]:
    """``editor`` and ``editor2`` with a new document open."""
    document_id = document_create(server.url, server.seed, title)
    pages = []
    for username in ("editor", "editor2"):
        page = people.sign_in(username)
        page.goto(f"/rooms/{server.seed['room']}/documents/{document_id}/")
        expect(page.locator(".ProseMirror")).to_be_visible()
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
        pages.append(page)
    return pages[0], pages[1], document_id


# Each cell as TAG:text, without the other person's caret (its name label is in the DOM).
CELLS = (
    "() => [...document.querySelectorAll('.ProseMirror table tr')].map(row =>"
    " [...row.children].map(cell => { const copy = cell.cloneNode(true);"
    " copy.querySelectorAll('.collaboration-carets__caret').forEach(caret => caret.remove());"
    " return cell.tagName + ':' + copy.textContent }))"
)


def wait_for_cells(page: Any, expected: list[list[str]]) -> None:
    """Wait until the page's table holds ``expected`` (each cell as TAG:text); on a timeout
    the error says what it held."""
    try:
        page.wait_for_function(
            f"expected => JSON.stringify(({CELLS})()) === JSON.stringify(expected)", arg=expected
        )
    except Exception as error:
        raise AssertionError(f"the table holds {page.evaluate(CELLS)!r}") from error


def test_a_table_built_by_one_person_appears_for_the_other(
    people: People, app_server: Server, artifacts: Path
) -> None:
    ann, bob, _ = open_both(people, app_server, "Table")
    ann.locator(".ProseMirror").click()
    ann.get_by_role("button", name="Insert table").click()
    menu = ann.get_by_role("toolbar", name="Table")
    expect(menu).to_be_visible()

    ann.keyboard.type("Name")
    ann.keyboard.press("Tab")
    ann.keyboard.type("Role")
    ann.keyboard.press("Tab")
    ann.keyboard.type("Team")
    ann.keyboard.press("Tab")  # to the first body row
    ann.keyboard.type("Ada")
    ann.keyboard.press("Control+b")
    ann.keyboard.type("Lead")
    menu.get_by_role("button", name="Add row below").click()
    menu.get_by_role("button", name="Add column after").click()
    # The caret stays in its cell: Tab moves on, into the new column.
    ann.keyboard.press("Tab")
    ann.keyboard.type("Extra")

    expected = [
        ["TH:Name", "TH:", "TH:Role", "TH:Team"],
        ["TD:AdaLead", "TD:Extra", "TD:", "TD:"],
        ["TD:", "TD:", "TD:", "TD:"],
        ["TD:", "TD:", "TD:", "TD:"],
    ]
    wait_for_cells(ann, expected)
    wait_for_cells(bob, expected)
    expect(bob.locator(".ProseMirror td strong")).to_have_text("Lead")
    # The reader's table menu only appears once their own caret is in the table.
    expect(bob.get_by_role("toolbar", name="Table")).to_be_hidden()
    bob.locator(".ProseMirror td").first.click()
    expect(bob.get_by_role("toolbar", name="Table")).to_be_visible()
    ann.screenshot(path=str(artifacts / "rich-content-table.png"))

    # Keyboard: Alt+F10 reaches the menu, arrows move along it, Enter presses.
    ann.keyboard.press("Alt+F10")
    expect(menu.get_by_role("button", name="Add row above")).to_be_focused()
    ann.keyboard.press("End")
    expect(menu.get_by_role("button", name="Delete table")).to_be_focused()
    ann.keyboard.press("Enter")
    expect(bob.locator(".ProseMirror table")).to_have_count(0)
    expect(menu).to_be_hidden()


# Hands HTML and its plain text to the editor the way Chromium delivers a paste from another app.
PASTE_HTML = """([html, text]) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", text);
    document.querySelector(".ProseMirror").dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""

# A table as a spreadsheet or a web page puts it on the clipboard.
PASTED_TABLE = (
    "<meta charset='utf-8'><table><thead><tr><th>Name</th><th>Role</th></tr></thead>"
    "<tbody><tr><td>Ada</td><td><b>Lead</b></td></tr>"
    "<tr><td>Grace</td><td>Engineer</td></tr></tbody></table>"
)


def nodes_within(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each of ``nodes`` (Tiptap JSON) and every node inside them."""
    for node in nodes:
        yield node
        yield from nodes_within(node.get("content", []))


def test_a_pasted_table_appears_for_the_other_person_and_is_stored_as_a_table(
    people: People, app_server: Server
) -> None:
    ann, bob, document_id = open_both(people, app_server, "Pasted table")
    ann.locator(".ProseMirror").click()
    ann.evaluate(PASTE_HTML, [PASTED_TABLE, "Name\tRole\nAda\tLead\nGrace\tEngineer"])

    expected = [["TH:Name", "TH:Role"], ["TD:Ada", "TD:Lead"], ["TD:Grace", "TD:Engineer"]]
    wait_for_cells(ann, expected)
    wait_for_cells(bob, expected)
    expect(bob.locator(".ProseMirror td strong")).to_have_text("Lead")

    expect(ann.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    stored = list(nodes_within(stored_nodes(app_server, document_id)))
    types = {node["type"] for node in stored}
    assert {"table", "tableRow", "tableHeader", "tableCell"} <= types, stored
    lead = [node for node in stored if node.get("text") == "Lead"]
    assert [mark["type"] for mark in lead[0].get("marks", [])] == ["bold"], stored


def test_a_code_block_with_a_language_is_highlighted_for_both(
    people: People, app_server: Server, artifacts: Path
) -> None:
    ann, bob, _ = open_both(people, app_server, "Code")
    ann.locator(".ProseMirror").click()
    ann.keyboard.type("```")
    ann.keyboard.type(" ")
    ann.keyboard.type("def greet(name):")
    ann.keyboard.press("Enter")
    ann.keyboard.type('    return "hello " + name')
    ann.get_by_label("Code language").select_option("python")

    for page in (ann, bob):
        code = page.locator(".ProseMirror pre code")
        expect(code).to_have_class(re.compile(r"\blanguage-python\b"))
        expect(code.locator(".hljs-keyword").first).to_have_text("def")
        expect(code.locator(".hljs-string")).to_have_text('"hello "')
        expect(page.get_by_label("Code language")).to_have_value("python")
    ann.screenshot(path=str(artifacts / "rich-content-code.png"))

    # Choosing another language changes it for the other person too.
    bob.get_by_label("Code language").select_option("javascript")
    expect(ann.get_by_label("Code language")).to_have_value("javascript")
    expect(ann.locator(".ProseMirror pre code")).to_have_class(re.compile(r"language-javascript"))


def test_a_mention_rings_the_bell_of_the_person_mentioned_and_emails_them(
    people: People, app_server: Server, artifacts: Path
) -> None:
    ann, bob, document_id = open_both(people, app_server, "Mentions")
    bell = ann.locator("[data-notification-bell]")
    before = int(ann.locator("[data-notification-count]").text_content() or 0)

    bob.locator(".ProseMirror").click()
    bob.keyboard.type("Over to @edi")
    options = bob.get_by_role("listbox", name="People to mention").get_by_role("option")
    expect(options).to_have_count(2)  # editor and editor2, filtered as typed
    bob.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    bob.keyboard.press("ArrowUp")
    bob.keyboard.type("tor")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.first).to_have_attribute("data-username", "editor")
    bob.keyboard.press("Enter")
    bob.keyboard.type("please review.")

    mention = ann.locator(".ProseMirror .mention")
    expect(mention).to_have_text("@editor")
    expect(bell.locator("[data-notification-count]")).to_have_text(str(before + 1))
    bob.screenshot(path=str(artifacts / "rich-content-mention.png"))

    # The notification names the document and links to it.
    bell.click()
    newest = ann.locator(".notification-item").first
    expect(newest).to_contain_text("mentioned you in Mentions")
    link = newest.get_by_role("link", name=re.compile("^Open"))
    expect(link).to_have_attribute("href", re.compile(rf"/documents/{document_id}/$"))

    # More typing keeps the mention, and notifies no one again.
    bob.keyboard.type(" Thanks!")
    expect(bob.get_by_test_id("sync-status")).to_have_attribute("data-status", "saved")
    ann.reload()
    expect(ann.locator(".notification-item").filter(has_text="Mentions")).to_have_count(1)

    mail_dir = app_server.data_dir / "mail"
    bodies = [path.read_text() for path in sorted(mail_dir.glob("*.log"))]
    sent = [body for body in bodies if 'mentioned you in "Mentions"' in body]
    assert len(sent) == 1, bodies
    assert "To: editor@example.com" in sent[0]
    assert f"/documents/{document_id}/" in sent[0]
