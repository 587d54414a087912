"""The web app manifest: served as ``application/manifest+json``, linked from the app's pages,
with what browsers need to install the app (a name, a start URL inside its scope, a standalone
display, PNG icons of 192 and 512 pixels that are real static files of those sizes). Chromium's
own verdict: tests/e2e/browser/test_install.py."""

from __future__ import annotations

import json
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from collab.web_manifest import THEME_COLOR
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.manifests: list[str | None] = []
        self.theme_colors: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "link" and names.get("rel") == "manifest":
            self.manifests.append(names.get("href"))
        if tag == "meta" and names.get("name") == "theme-color":
            self.theme_colors.append(names.get("content"))


def head_links(html: str) -> HeadLinks:
    parser = HeadLinks()
    parser.feed(html)
    return parser


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header chunk."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def static_file(url: str) -> Path:
    assert url.startswith("/static/"), url
    found = finders.find(url.removeprefix("/static/"))
    assert isinstance(found, str), f"{url} is not a static file"
    return Path(found)


def test_the_manifest_is_served_as_a_web_manifest_with_what_installing_needs(
    client: Client,
) -> None:
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["name"] == "Collab"
    assert manifest["short_name"] == "Collab"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == THEME_COLOR
    pngs = {icon["sizes"]: icon for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert sorted(pngs) == ["192x192", "512x512"]
    for sizes, icon in pngs.items():
        width, height = png_size(static_file(icon["src"]))
        assert f"{width}x{height}" == sizes
    [svg] = [icon for icon in manifest["icons"] if icon["type"] == "image/svg+xml"]
    assert static_file(svg["src"]).read_text().startswith("<svg ")
    assert client.head("/manifest.webmanifest").status_code == 200
    assert client.post("/manifest.webmanifest").status_code == 405


def test_the_apps_pages_link_the_manifest_and_its_theme_colour(client: Client) -> None:
    room = RoomFactory()
    user = UserFactory()
    MembershipFactory(room=room, user=user, role=Role.OWNER)
    document = DocumentFactory(room=room, created_by=user)
    pages = [client.get(path) for path in ("/accounts/login/", "/accounts/signup/")]
    client.force_login(user)
    pages += [
        client.get(path)
        for path in ("/", f"/rooms/{room.pk}/", f"/rooms/{room.pk}/documents/{document.pk}/")
    ]

    for response in pages:
        assert response.status_code == 200
        links = head_links(response.content.decode())
        assert links.manifests == ["/manifest.webmanifest"]
        assert links.theme_colors == [THEME_COLOR]
