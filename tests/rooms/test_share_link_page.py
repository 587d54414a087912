"""The page a share link opens: the live document for a guest, the app for someone whose own
access gives as much, and a clear 404 or 410 for a link that opens nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rooms.documents.models import ShareLink, ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def make_link(room_with_everyone, role=ShareLinkRole.VIEWER):
    document = DocumentFactory(room=room_with_everyone.room, title="Plan")
    link, secret = share_link_create(
        actor=room_with_everyone.users["owner"], document_id=document.pk, role=role
    )
    return document, link, secret


def browser(room_with_everyone, who: str) -> Client:
    client = Client()
    if (user := room_with_everyone.users[who]) is not None:
        client.force_login(user)
    return client


def page_context(response) -> dict:
    html = response.content.decode()
    start = html.index('id="share-context" type="application/json">') + len(
        'id="share-context" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_a_guest_gets_the_live_document_with_the_links_role(room_with_everyone):
    document, _, secret = make_link(room_with_everyone, ShareLinkRole.EDITOR)
    response = browser(room_with_everyone, "anonymous").get(f"/s/{secret}")
    assert response.status_code == 200
    context = page_context(response)
    assert context["document"] == {"id": str(document.pk), "title": "Plan", "kind": "text"}
    assert (context["role"], context["canWrite"], context["link"]) == ("editor", True, secret)
    assert context["user"]["name"] == "Guest"
    assert context["docsSocket"] == "ws://testserver/ws/docs"


def test_an_edit_link_to_a_locked_document_does_not_write(room_with_everyone):
    document, _, secret = make_link(room_with_everyone, ShareLinkRole.EDITOR)
    document.is_locked, document.locked_at = True, timezone.now()
    document.save()
    context = page_context(browser(room_with_everyone, "anonymous").get(f"/s/{secret}"))
    assert context["canWrite"] is False


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_a_member_with_as_much_is_sent_to_the_document_in_the_app(room_with_everyone, who):
    document, _, secret = make_link(room_with_everyone, ShareLinkRole.VIEWER)
    response = browser(room_with_everyone, who).get(f"/s/{secret}")
    assert response.status_code == 302
    assert response["Location"] == f"/rooms/{document.room_id}/documents/{document.pk}/"


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_someone_with_less_gets_the_links_role_on_this_document_only(room_with_everyone, who):
    _, _, secret = make_link(room_with_everyone, ShareLinkRole.EDITOR)
    response = browser(room_with_everyone, who).get(f"/s/{secret}")
    assert response.status_code == 200
    assert page_context(response)["canWrite"] is True
    assert not room_with_everyone.room.memberships.filter(user__username="the-outsider").exists()


def test_an_unknown_link_is_404_and_says_so(room_with_everyone):
    _, _, secret = make_link(room_with_everyone)
    response = browser(room_with_everyone, "anonymous").get(f"/s/{secret}x")
    assert response.status_code == 404
    assert "This link does not exist." in response.content.decode()


def test_a_revoked_link_is_410_and_says_so(room_with_everyone):
    document, link, secret = make_link(room_with_everyone)
    share_link_revoke(
        actor=room_with_everyone.users["owner"], document_id=document.pk, link_id=link.pk
    )
    response = browser(room_with_everyone, "anonymous").get(f"/s/{secret}")
    assert response.status_code == 410
    assert "This link was revoked." in response.content.decode()
    assert "share-context" not in response.content.decode()


def test_an_expired_link_is_410_and_says_so(room_with_everyone):
    _, link, secret = make_link(room_with_everyone)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = browser(room_with_everyone, "anonymous").get(f"/s/{secret}")
    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()


def test_the_page_gives_what_comments_need_and_sign_in_returns_to_the_link(room_with_everyone):
    _, _, secret = make_link(room_with_everyone, ShareLinkRole.COMMENTER)
    guest = page_context(browser(room_with_everyone, "anonymous").get(f"/s/{secret}"))
    outsider = page_context(browser(room_with_everyone, "outsider").get(f"/s/{secret}"))

    assert (guest["signedIn"], guest["user"]["id"]) == (False, None)
    assert guest["signInUrl"] == f"/accounts/login/?next=%2Fs%2F{secret}"
    assert guest["commentsSocket"] == "ws://testserver/ws/share-comments"
    assert guest["csrfToken"]
    assert outsider["signedIn"] is True
    assert outsider["user"]["id"] == room_with_everyone.users["outsider"].pk
