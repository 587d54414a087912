"""Mentions in a document's text: the look after edits (``document_mentions_record``) notifies
each person mentioned once, names the author of the update that brought the mention in, and
tells nobody who may not read the document."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from pycrdt import Doc

from rooms.documents.content.tree import append_blocks
from rooms.documents.models import DocumentKind, DocumentMention
from rooms.documents.services.mentions import document_mentions_record, mentioned_ids
from rooms.membership.models import Role
from rooms.notifications.models import Notification
from rooms.notifications.services.email import notification_email_send
from rooms.sync import compaction, log
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def mention(user: Any) -> dict[str, Any]:
    return {"type": "mention", "attrs": {"id": str(user.pk), "label": user.username}}


def paragraph(*inline: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(inline)}


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def write(document: Any, doc: Doc, author: Any, *blocks: dict[str, Any]) -> None:
    """``author`` appends ``blocks`` to their copy ``doc`` of the document, and the log
    appends the update as a live edit's commit would."""
    update = append_blocks(doc, list(blocks))
    log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=update, author_id=author.pk)]
    )


def mentions_of(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="mention"))


@pytest.fixture
def team():
    room = RoomFactory(is_public=False, name="Design")
    people = {name: UserFactory(username=name) for name in ("ann", "bob", "cat")}
    for user in people.values():
        MembershipFactory(room=room, user=user, role=Role.EDITOR)
    document = DocumentFactory(room=room, title="Plan")
    return document, people


def test_mentioned_ids_reads_mention_nodes_at_any_depth():
    content = {
        "type": "doc",
        "content": [
            paragraph(text("hi "), {"type": "mention", "attrs": {"id": "7", "label": "x"}}),
            {
                "type": "table",
                "content": [
                    {
                        "type": "tableRow",
                        "content": [
                            {
                                "type": "tableCell",
                                "content": [
                                    paragraph(
                                        {"type": "mention", "attrs": {"id": "9", "label": "y"}}
                                    )
                                ],
                            }
                        ],
                    }
                ],
            },
            paragraph({"type": "mention", "attrs": {"id": "not-a-number"}}),
        ],
    }
    assert mentioned_ids(content) == {7, 9}


def test_a_new_mention_notifies_once_naming_who_wrote_it(team):
    document, people = team
    ann, bob = people["ann"], people["bob"]
    doc = Doc()
    write(document, doc, ann, paragraph(text("Over to "), mention(bob)))

    recorded = document_mentions_record(document_id=document.pk)

    assert [(row.user, row.mentioned_by) for row in recorded] == [(bob, ann)]
    (notification,) = mentions_of(bob)
    assert notification.document == document
    assert notification.actor == ann
    assert notification.message is None and notification.comment is None
    assert document_mentions_record(document_id=document.pk) == []
    assert len(mentions_of(bob)) == 1


def test_an_edit_that_keeps_the_mention_does_not_notify_again(team):
    document, people = team
    ann, bob = people["ann"], people["bob"]
    doc = Doc()
    write(document, doc, ann, paragraph(mention(bob), text(" please review")))
    document_mentions_record(document_id=document.pk)

    write(document, doc, ann, paragraph(text("More words, same mention above.")))

    assert document_mentions_record(document_id=document.pk) == []
    assert len(mentions_of(bob)) == 1


def test_the_author_of_the_update_that_brought_the_mention_in_is_named(team):
    document, people = team
    ann, bob, cat = people["ann"], people["bob"], people["cat"]
    doc = Doc()
    write(document, doc, ann, paragraph(text("Notes")))
    write(document, doc, bob, paragraph(text("cc "), mention(cat)))
    write(document, doc, ann, paragraph(text("and "), mention(bob)))

    document_mentions_record(document_id=document.pk)

    assert {n.user.username: n.actor.username for n in Notification.objects.all()} == {
        "cat": "bob",
        "bob": "ann",
    }


def test_someone_who_cannot_read_the_document_is_not_notified(team):
    document, people = team
    outsider = UserFactory(username="eve")
    doc = Doc()
    write(document, doc, people["ann"], paragraph(text("psst "), mention(outsider)))

    assert document_mentions_record(document_id=document.pk) == []

    assert mentions_of(outsider) == []
    assert not DocumentMention.objects.filter(user=outsider).exists()


def test_a_mention_compacted_before_the_look_notifies_without_an_author(team):
    document, people = team
    doc = Doc()
    write(document, doc, people["ann"], paragraph(mention(people["bob"])))
    compaction.document_compact(document.pk)

    document_mentions_record(document_id=document.pk)

    (notification,) = mentions_of(people["bob"])
    assert notification.actor is None


def test_a_whiteboard_or_a_missing_document_records_nothing(db):
    whiteboard = DocumentFactory(kind=DocumentKind.WHITEBOARD)
    assert document_mentions_record(document_id=whiteboard.pk) == []
    assert document_mentions_record(document_id="9b4c4a4e-0000-4000-8000-000000000000") == []


def test_the_email_says_who_mentioned_whom_in_which_document_and_links_to_it(team, settings):
    settings.COLLAB_PUBLIC_URL = "https://collab.example"
    settings.COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS = 0
    document, people = team
    doc = Doc()
    write(document, doc, people["ann"], paragraph(mention(people["bob"])))
    document_mentions_record(document_id=document.pk)

    assert notification_email_send(user_id=people["bob"].pk) == 1

    (email,) = mail.outbox
    assert email.to == [people["bob"].email]
    assert 'ann mentioned you in "Plan"' in email.body
    url = f"https://collab.example/rooms/{document.room_id}/documents/{document.pk}/"
    assert url in email.body


def test_the_notifications_page_names_the_document(team, client):
    document, people = team
    write(document, Doc(), people["ann"], paragraph(mention(people["bob"])))
    document_mentions_record(document_id=document.pk)
    client.force_login(people["bob"])

    html = client.get("/notifications/").content.decode()

    name = people["ann"].profile.name
    assert f"<strong>{name}</strong> mentioned you in <strong>Plan</strong>" in html
    assert f'href="/rooms/{document.room_id}/documents/{document.pk}/"' in html


def test_mentions_of_no_one_are_ignored_and_the_real_one_still_notified(team):
    document, people = team
    nobody = {"type": "mention", "attrs": {"id": "987654321", "label": "ghost"}}
    not_an_id = {"type": "mention", "attrs": {"id": "bob", "label": "bob"}}
    no_attrs = {"type": "mention"}
    write(
        document,
        Doc(),
        people["ann"],
        paragraph(nobody, not_an_id, no_attrs, mention(people["cat"])),
    )

    recorded = document_mentions_record(document_id=document.pk)

    assert [row.user for row in recorded] == [people["cat"]]
    assert Notification.objects.count() == 1
