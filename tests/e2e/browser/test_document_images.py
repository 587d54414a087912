"""Images in documents in real Chromium, two people: one pastes, drops and picks images, the
other sees each appear and load the moment it is stored; alt text and a resize reach the other
too; an oversize or wrong-type image is refused with a message and changes nothing."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.browser.conftest import TIMEOUT_MS, People
from tests.e2e.browser.test_editor import new_document, open_document, status_of, wait_for_text
from tests.e2e.conftest import Server, api_request

pytestmark = pytest.mark.e2e
expect.set_options(timeout=TIMEOUT_MS)

PNG = "image/png"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# The document's images (ProseMirror puts a separator <img> of its own in some paragraphs).
IMAGES = ".ProseMirror img:not(.ProseMirror-separator)"
ALL_LOADED = (
    f"() => [...document.querySelectorAll('{IMAGES}')]"
    ".every(img => img.complete && img.naturalWidth > 0)"
)

# Hands files to the editor the way Chromium delivers a paste or a drop from the desktop.
TRANSFER = """([kind, files]) => {
    const data = new DataTransfer();
    for (const [b64, name, type] of files) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], name, { type }));
    }
    const target = document.querySelector(".ProseMirror");
    const box = target.getBoundingClientRect();
    const event = kind === "paste"
        ? new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
        : new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true,
                                  clientX: box.left + 20, clientY: box.top + 10 });
    target.dispatchEvent(event);
}"""


def image_bytes(image_format: str, color: str, size: tuple[int, int] = (240, 120)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, image_format)
    return output.getvalue()


def transfer(page: Any, kind: str, *files: tuple[bytes, str, str]) -> None:
    page.evaluate(
        TRANSFER,
        [kind, [[base64.b64encode(data).decode(), name, type_] for data, name, type_ in files]],
    )


def stored_nodes(server: Server, document_id: str) -> list[dict[str, Any]]:
    body = api_request(
        server.url, server.seed["tokens"]["owner"], "GET", f"documents/{document_id}/content"
    )
    return list(body["content"].get("content", []))


def images_of(page: Any) -> Any:
    return page.locator(IMAGES)


def test_pasted_dropped_and_picked_images_reach_the_other_person_and_load(
    people: People, app_server: Server, tmp_path: Path, artifacts: Path
) -> None:
    document_id = new_document(app_server, "Pictures", "Before the pictures")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Before the pictures")
    prefix = f"/api/v1/documents/{document_id}/images/"

    alice.locator(".ProseMirror").click()
    alice.keyboard.press("End")
    transfer(alice, "paste", (image_bytes("PNG", "red"), "pasted.png", PNG))
    expect(images_of(bob)).to_have_count(1)
    bob.wait_for_function(ALL_LOADED)
    assert images_of(bob).first.get_attribute("src").startswith(prefix)

    transfer(alice, "drop", (image_bytes("JPEG", "blue"), "dropped.jpg", "image/jpeg"))
    expect(images_of(bob)).to_have_count(2)

    picked = tmp_path / "picked.webp"
    picked.write_bytes(image_bytes("WEBP", "green"))
    with alice.expect_file_chooser() as chooser:
        alice.get_by_role("toolbar", name="Formatting").get_by_role(
            "button", name="Insert image"
        ).click()
    chooser.value.set_files(str(picked))
    expect(images_of(bob)).to_have_count(3)
    bob.wait_for_function(ALL_LOADED)
    sources = [images_of(bob).nth(index).get_attribute("src") for index in range(3)]
    assert all(source.startswith(prefix) for source in sources)
    assert len(set(sources)) == 3
    expect(alice.get_by_test_id("image-upload-placeholder")).to_have_count(0)
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    stored = [node for node in stored_nodes(app_server, document_id) if node["type"] == "image"]
    assert sorted(node["attrs"]["src"] for node in stored) == sorted(sources)
    alice.screenshot(path=str(artifacts / "editor-images.png"))


def test_only_the_uploader_sees_the_placeholder_and_the_image_arrives_once_stored(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Held upload", "Text")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Text")
    held: list[Any] = []
    # Alice's upload is held at her browser's edge until the test lets it through.
    alice.route("**/api/v1/documents/*/images", lambda route: held.append(route))
    alice.locator(".ProseMirror").click()
    alice.keyboard.press("End")
    transfer(alice, "paste", (image_bytes("PNG", "purple"), "held.png", PNG))

    expect(alice.get_by_test_id("image-upload-placeholder")).to_have_text("Uploading held.png…")
    # The placeholder is drawn before the upload leaves the page, and the route's handler runs
    # only while Playwright is called: wait for the request at the edge (10 s at most).
    for _ in range(200):
        if held:
            break
        alice.wait_for_timeout(50)
    assert len(held) == 1
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    expect(bob.get_by_test_id("image-upload-placeholder")).to_have_count(0)
    expect(images_of(bob)).to_have_count(0)
    expect(images_of(alice)).to_have_count(0)

    held[0].continue_()
    expect(images_of(bob)).to_have_count(1)
    bob.wait_for_function(ALL_LOADED)
    expect(alice.get_by_test_id("image-upload-placeholder")).to_have_count(0)


def test_alt_text_and_a_resize_reach_the_other_person_and_versions_keep_the_image(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Described", "Text")
    alice = people.sign_in("editor")
    bob = people.sign_in("editor2")
    for page in (alice, bob):
        open_document(page, app_server, document_id)
        wait_for_text(page, "Text")
    alice.locator(".ProseMirror").click()
    alice.keyboard.press("End")
    transfer(alice, "paste", (image_bytes("PNG", "orange", (400, 200)), "wide.png", PNG))
    expect(images_of(bob)).to_have_count(1)

    images_of(alice).click()
    alice.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name="Image description"
    ).click()
    dialog = alice.get_by_role("dialog", name="Image description")
    dialog.get_by_label("Alt text").fill("An orange banner")
    dialog.get_by_role("button", name="Apply").click()
    expect(images_of(bob)).to_have_attribute("alt", "An orange banner")

    images_of(alice).hover()
    handle = alice.locator('[data-resize-handle="right"]')
    box = handle.bounding_box()
    alice.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    alice.mouse.down()
    alice.mouse.move(box["x"] - 150, box["y"] + box["height"] / 2, steps=5)
    alice.mouse.up()
    width = alice.evaluate(
        "() => collab.editor.getJSON().content.find(node => node.type === 'image').attrs.width"
    )
    assert 200 <= width <= 300
    bob.wait_for_function(
        f"w => document.querySelector('{IMAGES}').getBoundingClientRect().width === w",
        arg=width,
    )

    # A version keeps the image, and its preview shows it.
    expect(status_of(alice)).to_have_attribute("data-status", "saved")
    api_request(
        app_server.url,
        app_server.seed["tokens"]["owner"],
        "POST",
        f"documents/{document_id}/versions",
        {"name": "With the banner"},
    )
    bob.get_by_role("button", name="History", exact=True).click()
    panel = bob.get_by_role("complementary", name="Version history")
    panel.get_by_role("button", name=re.compile("With the banner")).click()
    preview = panel.get_by_label("Version content, read-only").locator("img[src^='/api/']")
    expect(preview).to_have_attribute("alt", "An orange banner")
    bob.wait_for_function(
        "() => { const img = document.querySelector(\"[aria-label='Version content, read-only'] "
        "img[src^='/api/']\"); return img && img.complete && img.naturalWidth > 0; }"
    )


def test_an_oversize_or_wrong_type_image_is_refused_with_a_message_and_changes_nothing(
    people: People, app_server: Server
) -> None:
    document_id = new_document(app_server, "Refusals", "Unchanged")
    alice = people.sign_in("editor")
    open_document(alice, app_server, document_id)
    wait_for_text(alice, "Unchanged")
    before = stored_nodes(app_server, document_id)
    alice.locator(".ProseMirror").click()
    error = alice.get_by_test_id("image-error")

    oversize = b"\x89PNG" + bytes(11 * 1024 * 1024)
    transfer(alice, "paste", (oversize, "huge.png", PNG))
    expect(error).to_contain_text("huge.png is 11.0 MB: images may be at most 10.0 MB.")

    transfer(alice, "drop", (SVG, "logo.svg", "image/svg+xml"))
    expect(error).to_contain_text("logo.svg is not a PNG, JPEG, GIF or WebP image")

    # Labelled a PNG, so the browser sends it: the server decodes it and refuses.
    transfer(alice, "paste", (SVG, "disguised.png", PNG))
    expect(error).to_contain_text(
        "Only PNG, JPEG, GIF and WebP images can be uploaded, and this file does not read as "
        "one of them."
    )

    expect(alice.get_by_test_id("image-upload-placeholder")).to_have_count(0)
    expect(images_of(alice)).to_have_count(0)
    wait_for_text(alice, "Unchanged")
    assert stored_nodes(app_server, document_id) == before
