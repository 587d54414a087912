"""Comments through share links: a browser that followed a comment or edit link reads that
document's comments (signed in or not) and, signed in, comments there with the link's role,
checked on every request; a view link gives no comments; a revoked or expired link refuses
with its code and writes nothing; no other document, nor the room's chat, opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rooms.comments.models import AnchorKind, Comment, CommentReaction, CommentThread
from rooms.comments.services.threads import Anchor, thread_create
from rooms.documents.models import DocumentKind, ShareLink, ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from tests.factories import DocumentFactory
from tests.rooms.chat_capture import RoomEvents
from tests.rooms.comment_anchors import text_anchor

pytestmark = pytest.mark.django_db

ROLES = [ShareLinkRole.VIEWER, ShareLinkRole.COMMENTER, ShareLinkRole.EDITOR]
STATES = ["live", "revoked", "expired"]


@pytest.fixture
def doc(room_with_everyone):
    return DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.TEXT, title="Plan")


def url(document, tail: str = "") -> str:
    return f"/api/v1/documents/{document.pk}/comments{tail}"


def make_link(room_with_everyone, document, role) -> tuple[ShareLink, str]:
    return share_link_create(
        actor=room_with_everyone.users["owner"], document_id=document.pk, role=role
    )


def set_state(room_with_everyone, document, link: ShareLink, state: str) -> None:
    if state == "revoked":
        share_link_revoke(
            actor=room_with_everyone.users["owner"], document_id=document.pk, link_id=link.pk
        )
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )


def follower(room_with_everyone, who: str, secret: str) -> APIClient:
    """A browser (session) of ``who`` that opened the link's page."""
    client = APIClient()
    if (user := room_with_everyone.users[who]) is not None:
        client.force_login(user)
    assert client.get(f"/s/{secret}").status_code == 200
    return client


def owners_thread(room_with_everyone, document, anchor) -> CommentThread:
    return thread_create(
        actor=room_with_everyone.users["owner"],
        document_id=document.pk,
        anchor=Anchor(kind=AnchorKind.TEXT, start=anchor["start"], end=anchor["end"]),
        body="Owner's question",
    )


def expected_refusal(role, state) -> tuple[int, str]:
    if role == ShareLinkRole.VIEWER:
        return 404, "document_not_found"  # a view link never shows comments
    if state == "revoked":
        return 403, "share_link_revoked"
    return 403, "share_link_expired"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_reading_comments_through_a_link(room_with_everyone, doc, who, role, state):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    owners_thread(room_with_everyone, doc, anchor)
    link, secret = make_link(room_with_everyone, doc, role)
    client = follower(room_with_everyone, who, secret)
    set_state(room_with_everyone, doc, link, state)

    response = client.get(url(doc))

    if state == "live" and role != ShareLinkRole.VIEWER:
        assert response.status_code == 200
        [thread] = response.json()["results"]
        assert thread["comments"][0]["body"] == "Owner's question"
        assert client.get(url(doc, f"/{thread['id']}")).status_code == 200
    else:
        status, code = expected_refusal(role, state)
        assert (response.status_code, response.json()["code"]) == (status, code)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_commenting_through_a_link(room_with_everyone, doc, who, role, state):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    link, secret = make_link(room_with_everyone, doc, role)
    client = follower(room_with_everyone, who, secret)
    set_state(room_with_everyone, doc, link, state)

    response = client.post(url(doc), {"anchor": anchor, "body": "From the link"}, format="json")

    if who == "anonymous":
        # Google Docs' rule: an anonymous viewer signs in to comment.
        assert response.status_code in (401, 403)
        assert response.json()["code"] == "not_authenticated"
        assert CommentThread.objects.count() == 0
    elif state == "live" and role != ShareLinkRole.VIEWER:
        assert response.status_code == 201, response.content
        assert response.json()["author"]["username"] == "the-outsider"
        assert CommentThread.objects.get().author == room_with_everyone.users["outsider"]
    else:
        status, code = expected_refusal(role, state)
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert CommentThread.objects.count() == 0


def test_without_following_the_link_nothing_opens(room_with_everyone, doc):
    make_link(room_with_everyone, doc, ShareLinkRole.COMMENTER)
    outsider = room_with_everyone.client("outsider")

    assert outsider.get(url(doc)).json()["code"] == "document_not_found"
    anonymous = APIClient().get(url(doc))
    assert anonymous.status_code in (401, 403)


def test_a_link_opens_its_document_only_not_others_nor_the_chat(room_with_everyone, doc):
    other = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.TEXT)
    anchor = text_anchor(other, room_with_everyone.users["owner"])
    _, secret = make_link(room_with_everyone, doc, ShareLinkRole.EDITOR)
    client = follower(room_with_everyone, "outsider", secret)

    assert client.get(url(other)).json()["code"] == "document_not_found"
    posted = client.post(url(other), {"anchor": anchor, "body": "x"}, format="json")
    assert posted.json()["code"] == "document_not_found"
    chat = client.post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages", {"body": "hi"}, format="json"
    )
    assert chat.status_code == 404
    assert CommentThread.objects.count() == 0


def test_a_commenter_link_replies_reacts_and_resolves_its_own_threads_only(room_with_everyone, doc):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    owners = owners_thread(room_with_everyone, doc, anchor)
    _, secret = make_link(room_with_everyone, doc, ShareLinkRole.COMMENTER)
    client = follower(room_with_everyone, "outsider", secret)
    first = owners.comments.all()[0]
    thread_url = url(doc, f"/{owners.pk}")

    reply = client.post(f"{thread_url}/replies", {"body": "An answer"}, format="json")
    reacted = client.post(
        f"{thread_url}/comments/{first.pk}/reactions", {"emoji": "👍"}, format="json"
    )
    others = client.post(f"{thread_url}/resolve")
    mine = client.post(url(doc), {"anchor": anchor, "body": "Mine"}, format="json").json()
    own = client.post(url(doc, f"/{mine['id']}/resolve"))

    assert reply.status_code == 201
    assert [c["body"] for c in reply.json()["comments"]] == ["Owner's question", "An answer"]
    assert reacted.status_code == 200
    assert CommentReaction.objects.get().user == room_with_everyone.users["outsider"]
    assert others.status_code == 403
    assert own.status_code == 200 and own.json()["resolved"] is True


def test_an_edit_link_resolves_anyones_thread_but_deletes_only_its_own(room_with_everyone, doc):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    owners = owners_thread(room_with_everyone, doc, anchor)
    _, secret = make_link(room_with_everyone, doc, ShareLinkRole.EDITOR)
    client = follower(room_with_everyone, "outsider", secret)
    first = owners.comments.all()[0]

    assert client.post(url(doc, f"/{owners.pk}/resolve")).status_code == 200
    deleted = client.delete(url(doc, f"/{owners.pk}/comments/{first.pk}"))
    assert deleted.status_code == 403
    assert Comment.objects.filter(pk=first.pk).exists()


def test_a_link_lifts_a_viewer_member_to_comment_on_that_document(room_with_everyone, doc):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    _, secret = make_link(room_with_everyone, doc, ShareLinkRole.COMMENTER)
    client = follower(room_with_everyone, "viewer", secret)

    response = client.post(url(doc), {"anchor": anchor, "body": "Seen"}, format="json")

    assert response.status_code == 201


def test_a_link_revoked_after_commenting_refuses_the_next_comment_and_writes_nothing(
    room_with_everyone, doc
):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    link, secret = make_link(room_with_everyone, doc, ShareLinkRole.COMMENTER)
    client = follower(room_with_everyone, "outsider", secret)
    thread = client.post(url(doc), {"anchor": anchor, "body": "First"}, format="json").json()

    set_state(room_with_everyone, doc, link, "revoked")
    reply = client.post(url(doc, f"/{thread['id']}/replies"), {"body": "Second"}, format="json")
    opened = client.post(url(doc), {"anchor": anchor, "body": "Third"}, format="json")

    assert (reply.status_code, reply.json()["code"]) == (403, "share_link_revoked")
    assert reply.json()["detail"] == "The share link you opened was revoked."
    assert opened.json()["code"] == "share_link_revoked"
    assert list(Comment.objects.values_list("body", flat=True)) == ["First"]


def test_a_comment_through_a_link_reaches_the_room_as_a_members_does(
    room_with_everyone, doc, django_capture_on_commit_callbacks
):
    anchor = text_anchor(doc, room_with_everyone.users["owner"])
    _, secret = make_link(room_with_everyone, doc, ShareLinkRole.COMMENTER)
    client = follower(room_with_everyone, "outsider", secret)
    events = RoomEvents(doc.room_id)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(doc), {"anchor": anchor, "body": "Hello"}, format="json")

    [event] = events.published()
    assert event["type"] == "comment_thread.created"
    assert event["document"] == str(doc.pk)
    assert event["thread"]["comments"][0]["author"]["username"] == "the-outsider"
