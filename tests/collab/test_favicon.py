"""The site's icon: an SVG linked from every page (the app's, the API docs', the admin's, the
not-found page), and ``/favicon.ico``, which browsers ask for on their own, answering with it
rather than a 404. The icon is a static file with nothing the Content-Security-Policy
refuses."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db

ICON = "collab/favicon.svg"


class IconLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "link" and "icon" in (names.get("rel") or "").split():
            self.links.append(names)


def icon_links(html: str) -> list[dict[str, str | None]]:
    parser = IconLinks()
    parser.feed(html)
    return parser.links


def icon_file() -> Path:
    found = finders.find(ICON)
    assert isinstance(found, str), f"{ICON} is not a static file"
    return Path(found)


def test_favicon_ico_answers_with_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == icon_file().read_bytes()
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_the_svg_icon(client: Client) -> None:
    signed_out = ["/accounts/login/", "/accounts/signup/", "/nowhere/", "/admin/login/"]
    room = RoomFactory()
    user = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(room=room, user=user, role=Role.OWNER)
    document = DocumentFactory(room=room, created_by=user)
    signed_in = [
        "/",
        f"/rooms/{room.pk}/",
        f"/rooms/{room.pk}/documents/{document.pk}/",
        f"/rooms/{room.pk}/settings/",
        "/notifications/",
        "/accounts/profile/",
        "/api/docs",
        "/admin/",
    ]

    pages = [(path, client.get(path)) for path in signed_out]
    client.force_login(user)
    pages += [(path, client.get(path)) for path in signed_in]

    for path, response in pages:
        assert response.status_code in (200, 404), path
        links = icon_links(response.content.decode())
        assert len(links) == 1, path
        assert links[0]["type"] == "image/svg+xml", path
        href = links[0]["href"] or ""
        assert re.fullmatch(r"/static/collab/favicon(\.[0-9a-f]+)?\.svg", href), (path, href)


def test_the_icon_has_nothing_the_policy_refuses() -> None:
    svg = icon_file().read_text()

    assert svg.startswith("<svg ")
    assert not re.search(r"<script|<style|\sstyle=|\son\w+=|href=|url\((?!#)", svg)
