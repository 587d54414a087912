"""Comments over REST: who may comment, resolve, edit and delete; bad input in the API's error
shape; every change published to the room with its schema; mentions, replies, webhooks and
search."""

from __future__ import annotations

import base64

import pytest
from django.core import mail

from rooms.comments.models import Comment, CommentThread
from rooms.documents.models import DocumentKind
from rooms.membership.models import Role
from rooms.notifications.models import Notification, NotificationKind
from rooms.notifications.services.email import notification_email_send
from rooms.webhooks.models import WebhookDelivery
from tests.conftest import client_for
from tests.factories import DocumentFactory, MembershipFactory, UserFactory, WebhookFactory
from tests.rooms.chat_capture import RoomEvents
from tests.rooms.comment_anchors import board_with_shape, relative_position, text_anchor

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(room_with_everyone):
    return DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.TEXT, title="Plan")


def comments_url(document) -> str:
    return f"/api/v1/documents/{document.pk}/comments"


def open_thread(client, document, anchor, body="What about this?", status=201):
    response = client.post(comments_url(document), {"anchor": anchor, "body": body}, format="json")
    assert response.status_code == status, response.content
    return response.json()


def anchor_for(room_with_everyone, document):
    return text_anchor(document, room_with_everyone.users["owner"])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 201),
        ("editor", 201),
        ("commenter", 201),
        ("viewer", 403),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_commenters_editors_and_owners_comment_and_viewers_do_not(
    room_with_everyone, doc, who, status
):
    anchor = anchor_for(room_with_everyone, doc)
    answer = open_thread(room_with_everyone.client(who), doc, anchor, status=status)
    if status == 403:
        assert answer["code"] == "permission_denied"
    if status == 404:
        assert answer["code"] == "document_not_found"
    assert CommentThread.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("who", ["viewer", "commenter", "owner", "outsider"])
def test_everyone_who_reads_the_document_reads_its_threads(room_with_everyone, doc, who):
    opened = open_thread(
        room_with_everyone.client("commenter"), doc, anchor_for(room_with_everyone, doc)
    )
    response = room_with_everyone.client(who).get(comments_url(doc))
    if who == "outsider":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert [thread["id"] for thread in response.json()["results"]] == [opened["id"]]


def test_a_thread_keeps_its_anchor_quote_and_first_comment(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    thread = open_thread(room_with_everyone.client("commenter"), doc, anchor, body="Why **so**?")

    assert thread["anchor"] == anchor
    assert thread["resolved"] is False
    assert thread["url"] == f"/rooms/{doc.room_id}/documents/{doc.pk}/?thread={thread['id']}"
    assert [(c["author"]["username"], c["body"]) for c in thread["comments"]] == [
        ("the-commenter", "Why **so**?")
    ]
    assert "<strong>so</strong>" in thread["comments"][0]["body_html"]


def test_a_locked_document_still_takes_comments(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    doc.is_locked = True
    doc.locked_at = doc.created_at
    doc.save()
    open_thread(room_with_everyone.client("commenter"), doc, anchor)


def test_an_unknown_thread_is_404_in_the_api_error_shape(room_with_everyone, doc):
    client = room_with_everyone.client("editor")
    base = f"{comments_url(doc)}/999999"
    for method, url, body in [
        ("get", base, None),
        ("post", f"{base}/replies", {"body": "hi"}),
        ("post", f"{base}/resolve", None),
        ("patch", f"{base}/comments/1", {"body": "hi"}),
    ]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (url, response.content)
        assert response.json() == {
            "detail": "No such comment thread on this document.",
            "code": "thread_not_found",
        }


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("not base64!", "invalid_anchor"),
        ("AAAA", "invalid_anchor"),  # three zero bytes: an item id, then trailing bytes
        ("BwE=", "invalid_anchor"),  # an unknown tag
        ("AQVvdGhlcgA=", "anchor_outside_document"),  # the root type "other"
    ],
)
def test_a_malformed_anchor_is_400(room_with_everyone, doc, start, code):
    anchor = {**anchor_for(room_with_everyone, doc), "start": start}
    answer = open_thread(room_with_everyone.client("editor"), doc, anchor, status=400)
    assert answer["code"] == code
    assert list(answer["fields"]) == ["start"]


def test_an_anchor_outside_the_document_is_400(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    client = room_with_everyone.client("editor")
    writer = base64.b64decode(anchor["start"])[1]  # one varint byte: the test's small ids
    # Items of a client this document never saw, and past the clock of the one it did.
    for end in (relative_position(123456789, 0), relative_position(writer, 10**9)):
        answer = open_thread(client, doc, {**anchor, "end": end}, status=400)
        assert (answer["code"], list(answer["fields"])) == ("anchor_outside_document", ["end"])
    # Another document's text.
    other = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.TEXT)
    answer = open_thread(client, other, anchor, status=400)
    assert (answer["code"], list(answer["fields"])) == ("anchor_outside_document", ["start"])
    assert CommentThread.objects.count() == 0


def test_a_shape_anchor_must_name_a_shape_of_the_board(room_with_everyone):
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD)
    board_with_shape(board, "shape-1")
    client = room_with_everyone.client("commenter")

    thread = open_thread(client, board, {"kind": "shape", "shape_id": "shape-1"})
    assert thread["anchor"] == {"kind": "shape", "shape_id": "shape-1"}
    missing = open_thread(client, board, {"kind": "shape", "shape_id": "nope"}, status=400)
    assert missing["code"] == "anchor_outside_document"
    text_on_board = open_thread(
        client, board, {"kind": "text", "start": "AA==", "end": "AA=="}, status=400
    )
    assert text_on_board["code"] == "invalid_anchor"


def test_a_comment_past_the_limit_is_400(room_with_everyone, doc, settings):
    settings.COLLAB_COMMENT_MAX_LENGTH = 10
    anchor = anchor_for(room_with_everyone, doc)
    client = room_with_everyone.client("editor")
    answer = open_thread(client, doc, anchor, body="x" * 11, status=400)
    assert (answer["code"], list(answer["fields"])) == ("max_length", ["body"])
    thread = open_thread(client, doc, anchor, body="x" * 10)
    reply = client.post(
        f"{comments_url(doc)}/{thread['id']}/replies", {"body": "y" * 11}, format="json"
    )
    assert reply.status_code == 400 and reply.json()["code"] == "max_length"


def test_replies_edits_deletions_and_reactions_publish_the_thread(
    room_with_everyone, doc, django_capture_on_commit_callbacks
):
    anchor = anchor_for(room_with_everyone, doc)
    events = RoomEvents(doc.room_id)
    commenter, editor = room_with_everyone.client("commenter"), room_with_everyone.client("editor")
    with django_capture_on_commit_callbacks(execute=True):
        thread = open_thread(commenter, doc, anchor)
        changes(room_with_everyone, doc, thread, commenter, editor)
    check_published(events, thread)


def changes(room_with_everyone, doc, thread, commenter, editor):
    url = f"{comments_url(doc)}/{thread['id']}"

    replied = editor.post(f"{url}/replies", {"body": "Because."}, format="json")
    assert replied.status_code == 201
    reply_id = replied.json()["comments"][1]["id"]
    assert (
        editor.patch(f"{url}/comments/{reply_id}", {"body": "Because!"}, format="json").status_code
        == 200
    )
    assert commenter.patch(f"{url}/comments/{reply_id}", {"body": "no"}, format="json").json()[
        "code"
    ] == ("not_author")
    reacted = commenter.post(f"{url}/comments/{reply_id}/reactions", {"emoji": "👍"}, format="json")
    assert reacted.json()["comments"][1]["reactions"] == [
        {"emoji": "👍", "count": 1, "user_ids": [room_with_everyone.users["commenter"].pk]}
    ]
    bad_emoji = commenter.post(
        f"{url}/comments/{reply_id}/reactions", {"emoji": "nope"}, format="json"
    )
    assert bad_emoji.status_code == 400 and bad_emoji.json()["code"] == "invalid_emoji"
    assert commenter.delete(f"{url}/comments/{reply_id}/reactions/👍").status_code == 204
    assert editor.delete(f"{url}/comments/{reply_id}").status_code == 204


def check_published(events, thread):
    reply_id = thread["comments"][0]["id"] + 1
    published = events.published()
    assert [event["type"] for event in published] == [
        "comment_thread.created",
        "comment.created",
        "comment.edited",
        "comment.reactions",
        "comment.reactions",
        "comment.deleted",
    ]
    assert [event["thread"]["revision"] for event in published] == [1, 2, 3, 4, 5, 6]
    assert [len(event["thread"]["comments"]) for event in published] == [1, 2, 2, 2, 2, 1]
    assert published[2]["thread"]["comments"][1]["body"] == "Because!"
    assert published[2]["comment_id"] == reply_id


def test_deleting_the_first_comment_deletes_the_thread(
    room_with_everyone, doc, django_capture_on_commit_callbacks
):
    anchor = anchor_for(room_with_everyone, doc)
    thread = open_thread(room_with_everyone.client("commenter"), doc, anchor)
    url = f"{comments_url(doc)}/{thread['id']}"
    first = thread["comments"][0]["id"]
    events = RoomEvents(doc.room_id)

    assert room_with_everyone.client("editor").delete(f"{url}/comments/{first}").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        deleted = room_with_everyone.client("owner").delete(f"{url}/comments/{first}")
    assert deleted.status_code == 204

    assert events.published() == [
        {
            "type": "comment_thread.deleted",
            "room": str(doc.room_id),
            "document": str(doc.pk),
            "thread_id": thread["id"],
        }
    ]
    assert not CommentThread.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("author", 200), ("other-commenter", 403), ("editor", 200), ("owner", 200), ("viewer", 403)],
)
def test_the_author_editors_and_owners_resolve_and_reopen(room_with_everyone, doc, who, status):
    other = UserFactory(username="other-commenter")
    MembershipFactory(room=room_with_everyone.room, user=other, role=Role.COMMENTER)
    thread = open_thread(
        room_with_everyone.client("commenter"), doc, anchor_for(room_with_everyone, doc)
    )
    if who == "author":
        client = room_with_everyone.client("commenter")
    else:
        client = client_for(other) if who == "other-commenter" else room_with_everyone.client(who)
    url = f"{comments_url(doc)}/{thread['id']}"

    resolved = client.post(f"{url}/resolve")
    assert resolved.status_code == status
    if status != 200:
        return
    assert resolved.json()["resolved"] is True
    assert resolved.json()["resolved_by"]["id"] == CommentThread.objects.get().resolved_by_id
    reopened = client.post(f"{url}/reopen")
    assert reopened.json()["resolved"] is False and reopened.json()["resolved_by"] is None


def test_a_mention_notifies_in_the_app_with_a_link_to_the_thread(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    editor = room_with_everyone.users["editor"]
    thread = open_thread(
        room_with_everyone.client("commenter"), doc, anchor, body="@the-editor have a look"
    )

    notification = Notification.objects.get(user=editor)
    assert notification.kind == NotificationKind.MENTION
    listed = room_with_everyone.client("editor").get("/api/v1/notifications").json()["results"]
    assert [(n["kind"], n["thread_id"], n["url"], n["excerpt"]) for n in listed] == [
        ("mention", thread["id"], thread["url"], "@the-editor have a look")
    ]


def test_a_reply_notifies_those_who_commented_before_and_not_the_replier(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    users = room_with_everyone.users
    thread = open_thread(room_with_everyone.client("commenter"), doc, anchor)
    url = f"{comments_url(doc)}/{thread['id']}/replies"
    room_with_everyone.client("editor").post(url, {"body": "one"}, format="json")
    room_with_everyone.client("owner").post(url, {"body": "two"}, format="json")

    got = sorted(
        (n.user.username, n.actor.username)
        for n in Notification.objects.filter(kind=NotificationKind.COMMENT_REPLY)
    )
    assert got == [
        ("the-commenter", "the-editor"),
        ("the-commenter", "the-owner"),
        ("the-editor", "the-owner"),
    ]
    assert not Notification.objects.filter(user=users["owner"]).exists()


def test_webhooks_hear_of_new_comments_and_resolutions(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    WebhookFactory(room=room_with_everyone.room, events=["comment.created", "comment.resolved"])
    client = room_with_everyone.client("commenter")
    thread = open_thread(client, doc, anchor)
    client.post(f"{comments_url(doc)}/{thread['id']}/resolve")

    deliveries = list(WebhookDelivery.objects.order_by("created_at", "id"))
    assert [d.event for d in deliveries] == ["comment.created", "comment.resolved"]
    created, resolved = (d.payload["data"] for d in deliveries)
    assert created["comment"]["body"] == "What about this?"
    assert created["thread"]["id"] == thread["id"]
    assert created["document"] == {"id": str(doc.pk), "title": "Plan"}
    assert resolved["thread"]["resolved"] is True
    assert resolved["by"]["username"] == "the-commenter"


def test_room_search_finds_comment_text(room_with_everyone, doc):
    anchor = anchor_for(room_with_everyone, doc)
    thread = open_thread(
        room_with_everyone.client("commenter"), doc, anchor, body="Budget needs a second look"
    )
    found = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/rooms/{doc.room_id}/search", {"q": "second budget"})
        .json()
    )
    assert [(c["thread"], c["body"], c["document"]["id"], c["url"]) for c in found["comments"]] == [
        (thread["id"], "Budget needs a second look", str(doc.pk), thread["url"])
    ]


def test_a_mention_in_a_comment_is_emailed_with_the_link_to_its_thread(
    room_with_everyone, doc, settings
):
    settings.COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS = 0
    settings.COLLAB_PUBLIC_URL = "https://collab.example"
    editor = room_with_everyone.users["editor"]
    editor.email = "editor@example.com"
    editor.save()
    anchor = anchor_for(room_with_everyone, doc)
    thread = open_thread(
        room_with_everyone.client("commenter"), doc, anchor, body="@the-editor please check"
    )

    assert notification_email_send(user_id=editor.pk) == 1
    [email] = mail.outbox
    assert 'the-commenter mentioned you in a comment on "Plan"' in email.body
    assert '"@the-editor please check"' in email.body
    assert f"https://collab.example{thread['url']}" in email.body
