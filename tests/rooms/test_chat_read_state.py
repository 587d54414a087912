"""Read state: a member's position only moves forward, the unread count follows the rule,
and the member (alone) is told when it changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rooms.chat.models import Message, MessageKind
from rooms.chat.selectors import unread_counts
from rooms.chat.services.read_state import read_state_mark
from rooms.core.errors import Forbidden, Invalid
from rooms.membership.models import Membership
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory
from tests.rooms.chat_capture import RoomEvents


@pytest.fixture
def reader(room_with_everyone):
    return room_with_everyone.users["commenter"]


def post(room, author, **kwargs):
    return MessageFactory(room=room, author=author, **kwargs)


def test_unread_counts_others_messages_since_joining_not_own_system_or_deleted(
    room_with_everyone, reader
):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    before_joining = post(room, editor)
    Message.objects.filter(pk=before_joining.pk).update(
        created_at=Membership.objects.get(room=room, user=reader).joined_at - timedelta(hours=1)
    )
    post(room, editor)
    post(room, editor)
    post(room, reader)
    post(room, None, kind=MessageKind.SYSTEM)
    post(room, editor, deleted_at=timezone.now(), body="")
    assert unread_counts(user=reader) == {room.pk: 2}


def test_reading_up_to_a_message_counts_only_what_follows(room_with_everyone, reader):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    first, second, _third = (post(room, editor) for _ in range(3))
    state = read_state_mark(actor=reader, room_id=room.pk, message_id=second.pk)
    assert (state.last_read_message_id, state.unread_count) == (second.pk, 1)
    assert unread_counts(user=reader) == {room.pk: 1}
    assert first.pk < second.pk


def test_reading_publishes_unread_for_that_member(
    room_with_everyone, reader, django_capture_on_commit_callbacks
):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    first = post(room, editor)
    post(room, editor)
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        read_state_mark(actor=reader, room_id=room.pk, message_id=first.pk)
    assert events.published() == [
        {
            "type": "unread",
            "room": str(room.pk),
            "user_id": reader.pk,
            "last_read_message_id": first.pk,
            "count": 1,
        }
    ]


def test_the_read_position_never_moves_backwards(
    room_with_everyone, reader, django_capture_on_commit_callbacks
):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    first, second = post(room, editor), post(room, editor)
    read_state_mark(actor=reader, room_id=room.pk, message_id=second.pk)
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        state = read_state_mark(actor=reader, room_id=room.pk, message_id=first.pk)
    assert (state.last_read_message_id, state.unread_count) == (second.pk, 0)
    assert Membership.objects.get(room=room, user=reader).last_read_message_id == second.pk
    assert events.published() == []


def test_reading_without_a_message_reads_everything(room_with_everyone, reader):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    post(room, editor)
    newest = post(room, editor)
    state = read_state_mark(actor=reader, room_id=room.pk)
    assert (state.last_read_message_id, state.unread_count) == (newest.pk, 0)


def test_reading_an_empty_room_changes_nothing(room_with_everyone, reader):
    state = read_state_mark(actor=reader, room_id=room_with_everyone.room.pk)
    assert (state.last_read_message_id, state.unread_count) == (None, 0)


def test_reading_up_to_a_message_of_another_room_is_refused(room_with_everyone, reader):
    elsewhere = MessageFactory()
    with pytest.raises(Invalid) as caught:
        read_state_mark(actor=reader, room_id=room_with_everyone.room.pk, message_id=elsewhere.pk)
    assert (caught.value.code, caught.value.field) == ("unknown_message", "message")
    membership = Membership.objects.get(room=room_with_everyone.room, user=reader)
    assert membership.last_read_message_id is None


def test_a_public_rooms_non_member_has_no_read_position(db):
    room = RoomFactory(is_public=True)
    MessageFactory(room=room)
    with pytest.raises(Forbidden) as caught:
        read_state_mark(actor=UserFactory(), room_id=room.pk)
    assert caught.value.code == "not_member"


def test_unread_counts_of_many_rooms_take_one_query(db, django_assert_num_queries):
    user = UserFactory()
    rooms = [RoomFactory() for _ in range(3)]
    for n, room in enumerate(rooms):
        MembershipFactory(room=room, user=user)
        for _ in range(n):
            MessageFactory(room=room)
    with django_assert_num_queries(1):
        counts = unread_counts(user=user)
    assert counts == {rooms[0].pk: 0, rooms[1].pk: 1, rooms[2].pk: 2}


def test_room_list_and_detail_show_the_callers_unread_count(room_with_everyone, reader):
    room = room_with_everyone.room
    post(room, room_with_everyone.users["editor"])
    client = room_with_everyone.client("commenter")
    listed = {r["id"]: r["unread_count"] for r in client.get("/api/v1/rooms").json()["results"]}
    detail = client.get(f"/api/v1/rooms/{room.pk}").json()
    assert (listed[str(room.pk)], detail["unread_count"]) == (1, 1)


def test_a_non_members_unread_count_is_null(room_with_everyone):
    room = room_with_everyone.room
    room.is_public = True
    room.save()
    detail = room_with_everyone.client("outsider").get(f"/api/v1/rooms/{room.pk}").json()
    assert detail["unread_count"] is None


def test_read_over_rest_answers_with_the_read_state(room_with_everyone, reader):
    room = room_with_everyone.room
    message = post(room, room_with_everyone.users["editor"])
    response = room_with_everyone.client("commenter").post(
        f"/api/v1/rooms/{room.pk}/read", {"message": message.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "room": str(room.pk),
        "last_read_message": message.pk,
        "unread_count": 0,
    }
