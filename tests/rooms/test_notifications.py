"""Notifications: ``notify`` and its suppression rules, the triggers (mentions, thread
replies, members added), reading and marking read, and the events they publish."""

from __future__ import annotations

import pytest

from rooms.chat.services.messages import message_edit, message_send
from rooms.core.errors import Invalid, NotFound
from rooms.membership.models import Role
from rooms.membership.services.members import member_add
from rooms.notifications.events import notification_event, unread_count_event
from rooms.notifications.models import Notification, NotificationKind
from rooms.notifications.services.notifications import (
    notification_mark_all_read,
    notification_mark_read,
    notifications_for,
    notifications_unread_count,
    notify,
)
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory
from tests.rooms.chat_capture import assert_matches_schema

pytestmark = pytest.mark.django_db


def _room_with(*usernames: str, muted: tuple[str, ...] = ()):
    room = RoomFactory(is_public=False)
    users = {}
    for name in usernames:
        users[name] = UserFactory(username=name)
        MembershipFactory(room=room, user=users[name], role=Role.EDITOR, muted=name in muted)
    return room, users


def _kinds(user) -> list[tuple[str, int | None]]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("kind", "message_id")
    )


# --- notify ----------------------------------------------------------------------------


def test_notify_stores_one_notification_and_publishes_it_after_commit(
    django_capture_on_commit_callbacks,
):
    room, users = _room_with("ann", "bob")
    message = MessageFactory(room=room, author=users["bob"])
    with django_capture_on_commit_callbacks() as callbacks:
        notification = notify(
            user=users["ann"], kind=NotificationKind.MENTION, message=message, actor=users["bob"]
        )
    assert notification is not None
    assert (notification.room_id, notification.message_id) == (room.pk, message.pk)
    assert notification.read_at is None and notification.emailed_at is None
    # One to send it live, one to queue the email check.
    assert len(callbacks) == 2


def test_notify_suppresses_the_actor_themselves():
    room, users = _room_with("ann")
    assert notify(user=users["ann"], kind="mention", room=room, actor=users["ann"]) is None
    assert Notification.objects.count() == 0


def test_notify_suppresses_a_muted_room():
    room, users = _room_with("ann", "bob", muted=("ann",))
    assert notify(user=users["ann"], kind="invite", room=room, actor=users["bob"]) is None
    assert Notification.objects.count() == 0


def test_notify_twice_for_the_same_message_keeps_one():
    room, users = _room_with("ann", "bob")
    message = MessageFactory(room=room, author=users["bob"])
    first = notify(user=users["ann"], kind="mention", message=message, actor=users["bob"])
    again = notify(user=users["ann"], kind="mention", message=message, actor=users["bob"])
    assert first is not None and again is None
    assert _kinds(users["ann"]) == [("mention", message.pk)]


def test_notify_refuses_an_unknown_kind():
    room, users = _room_with("ann")
    with pytest.raises(Invalid) as error:
        notify(user=users["ann"], kind="birthday", room=room)
    assert error.value.code == "invalid_kind"


# --- triggers --------------------------------------------------------------------------


def test_a_mention_notifies_the_member_named_and_not_the_author():
    room, users = _room_with("ann", "bob", "cat")
    message, _ = message_send(actor=users["bob"], room_id=room.pk, body="hi @ann and @bob")
    assert _kinds(users["ann"]) == [("mention", message.pk)]
    assert _kinds(users["bob"]) == []
    assert _kinds(users["cat"]) == []


def test_a_mention_of_a_non_member_notifies_nobody():
    room, users = _room_with("bob")
    outsider = UserFactory(username="zed")
    message_send(actor=users["bob"], room_id=room.pk, body="hi @zed")
    assert _kinds(outsider) == []


def test_a_room_mention_notifies_every_member_but_the_author_once():
    room, users = _room_with("ann", "bob", "cat")
    message, _ = message_send(actor=users["bob"], room_id=room.pk, body="@room and @ann")
    assert _kinds(users["ann"]) == [("mention", message.pk)]
    assert _kinds(users["cat"]) == [("mention", message.pk)]
    assert _kinds(users["bob"]) == []


def test_a_room_mention_skips_members_who_muted_the_room():
    room, users = _room_with("ann", "bob", "cat", muted=("cat",))
    message_send(actor=users["bob"], room_id=room.pk, body="@room")
    assert len(_kinds(users["ann"])) == 1
    assert _kinds(users["cat"]) == []


def test_a_reply_notifies_the_root_author_and_earlier_repliers_not_the_replier():
    room, users = _room_with("ann", "bob", "cat", "dan")
    root, _ = message_send(actor=users["ann"], room_id=room.pk, body="question")
    first, _ = message_send(actor=users["bob"], room_id=room.pk, body="one", parent_id=root.pk)
    second, _ = message_send(actor=users["cat"], room_id=room.pk, body="two", parent_id=root.pk)
    assert _kinds(users["ann"]) == [("reply", first.pk), ("reply", second.pk)]
    assert _kinds(users["bob"]) == [("reply", second.pk)]
    assert _kinds(users["cat"]) == []
    assert _kinds(users["dan"]) == []  # never in the thread


def test_a_reply_that_mentions_someone_in_the_thread_notifies_them_once_as_a_mention():
    room, users = _room_with("ann", "bob")
    root, _ = message_send(actor=users["ann"], room_id=room.pk, body="question")
    reply, _ = message_send(
        actor=users["bob"], room_id=room.pk, body="@ann see here", parent_id=root.pk
    )
    assert _kinds(users["ann"]) == [("mention", reply.pk)]


def test_a_reply_does_not_notify_a_thread_author_who_left_the_room():
    room, users = _room_with("ann", "bob")
    root, _ = message_send(actor=users["ann"], room_id=room.pk, body="question")
    room.memberships.filter(user=users["ann"]).delete()
    message_send(actor=users["bob"], room_id=room.pk, body="answer", parent_id=root.pk)
    assert _kinds(users["ann"]) == []


def test_an_edit_that_adds_a_mention_notifies_only_the_newly_named():
    room, users = _room_with("ann", "bob", "cat")
    message, _ = message_send(actor=users["bob"], room_id=room.pk, body="hi @ann")
    message_edit(actor=users["bob"], room_id=room.pk, message_id=message.pk, body="hi @ann @cat")
    assert _kinds(users["ann"]) == [("mention", message.pk)]
    assert _kinds(users["cat"]) == [("mention", message.pk)]


def test_being_added_to_a_room_notifies_an_invite_with_the_role():
    room, users = _room_with("owner")
    room.memberships.filter(user=users["owner"]).update(role=Role.OWNER)
    newcomer = UserFactory(username="newbie")
    member_add(actor=users["owner"], room_id=room.pk, username="newbie", role=Role.VIEWER)
    notification = Notification.objects.get(user=newcomer)
    assert (notification.kind, notification.room_id, notification.actor_id) == (
        "invite",
        room.pk,
        users["owner"].pk,
    )
    assert notification.data == {"role": "viewer"}


# --- reading and marking read ----------------------------------------------------------


def test_notifications_are_listed_newest_first_and_filtered_by_unread():
    room, users = _room_with("ann", "bob")
    first = notify(user=users["ann"], kind="invite", room=room, actor=users["bob"])
    second = notify(
        user=users["ann"],
        kind="mention",
        message=MessageFactory(room=room, author=users["bob"]),
        actor=users["bob"],
    )
    assert first is not None and second is not None
    assert list(notifications_for(user=users["ann"])) == [second, first]
    notification_mark_read(user=users["ann"], notification_id=second.pk)
    assert list(notifications_for(user=users["ann"], unread_only=True)) == [first]
    assert notifications_unread_count(user_id=users["ann"].pk) == 1


def test_marking_read_twice_keeps_the_first_time():
    room, users = _room_with("ann", "bob")
    notification = notify(user=users["ann"], kind="invite", room=room, actor=users["bob"])
    assert notification is not None
    read = notification_mark_read(user=users["ann"], notification_id=notification.pk)
    again = notification_mark_read(user=users["ann"], notification_id=notification.pk)
    assert read.read_at is not None and again.read_at == read.read_at


@pytest.mark.parametrize("notification_id", ["mine-of-someone-else", "not-a-number", 999999])
def test_marking_another_users_or_an_unknown_notification_is_not_found(notification_id):
    room, users = _room_with("ann", "bob")
    theirs = notify(user=users["bob"], kind="invite", room=room, actor=users["ann"])
    assert theirs is not None
    target = theirs.pk if notification_id == "mine-of-someone-else" else notification_id
    with pytest.raises(NotFound) as error:
        notification_mark_read(user=users["ann"], notification_id=target)
    assert error.value.code == "notification_not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_marks_only_the_callers_and_reports_the_count():
    room, users = _room_with("ann", "bob")
    for _ in range(3):
        notify(
            user=users["ann"],
            kind="mention",
            message=MessageFactory(room=room, author=users["bob"]),
            actor=users["bob"],
        )
    notify(user=users["bob"], kind="invite", room=room, actor=users["ann"])
    marked = notification_mark_all_read(user=users["ann"])
    assert (marked.marked, marked.unread) == (3, 0)
    assert notifications_unread_count(user_id=users["bob"].pk) == 1
    assert notification_mark_all_read(user=users["ann"]).marked == 0


# --- events ----------------------------------------------------------------------------


def test_the_notification_events_match_their_schemas():
    room, users = _room_with("ann", "bob")
    message = MessageFactory(room=room, author=users["bob"], body="hello @ann")
    notification = notify(user=users["ann"], kind="mention", message=message, actor=users["bob"])
    assert notification is not None
    event = notification_event(notification)
    assert_matches_schema(event)
    assert event["notification"]["url"] == f"/rooms/{room.pk}/#message-{message.pk}"
    assert event["notification"]["excerpt"] == "hello @ann"
    assert_matches_schema(unread_count_event(user_id=users["ann"].pk, count=1))
