"""The chat's event contract: every event type is published, matches its schema in
``rooms.events.SCHEMAS``, survives JSON as is, and shows a message exactly as REST does."""

from __future__ import annotations

import json

import jsonschema
import pytest

from rooms.chat.events import message_history_event, unread_state_event
from rooms.chat.services.messages import message_delete, message_edit, message_send
from rooms.chat.services.reactions import reaction_add, reaction_remove
from rooms.chat.services.read_state import read_state_mark
from rooms.membership.selectors import room_access
from rooms.room_socket.schemas import SCHEMAS
from tests.rooms.chat_capture import RoomEvents, assert_matches_schema

CHAT_EVENTS = {
    "message.new",
    "message.edited",
    "message.deleted",
    "reaction.added",
    "reaction.removed",
    "unread",
}


def test_every_chat_event_is_published_and_matches_its_schema(
    room_with_everyone, django_capture_on_commit_callbacks
):
    room, users = room_with_everyone.room, room_with_everyone.users
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        root, _ = message_send(actor=users["editor"], room_id=room.pk, body="root @the-owner")
        message_send(actor=users["commenter"], room_id=room.pk, body="re", parent_id=root.pk)
        message_edit(actor=users["editor"], room_id=room.pk, message_id=root.pk, body="edited")
        reaction_add(actor=users["owner"], room_id=room.pk, message_id=root.pk, emoji="🎉")
        reaction_remove(actor=users["owner"], room_id=room.pk, message_id=root.pk, emoji="🎉")
        read_state_mark(actor=users["viewer"], room_id=room.pk)
        message_delete(actor=users["owner"], room_id=room.pk, message_id=root.pk)
    published = events.published()  # each one checked against its schema
    assert [event["type"] for event in published] == [
        "message.new",
        "message.new",
        "message.edited",
        "reaction.added",
        "reaction.removed",
        "unread",
        "message.deleted",
    ]
    assert {event["type"] for event in published} == CHAT_EVENTS
    assert CHAT_EVENTS <= set(SCHEMAS)


def test_events_survive_a_json_round_trip_unchanged(
    room_with_everyone, django_capture_on_commit_callbacks
):
    room, users = room_with_everyone.room, room_with_everyone.users
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = message_send(actor=users["editor"], room_id=room.pk, body="hi")
        reaction_add(actor=users["owner"], room_id=room.pk, message_id=message.pk, emoji="👍")
    for event in events.published():
        assert json.loads(json.dumps(event)) == event


def test_a_message_posted_over_rest_is_published_exactly_as_rest_shows_it(
    room_with_everyone, django_capture_on_commit_callbacks
):
    room = room_with_everyone.room
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = room_with_everyone.client("commenter").post(
            f"/api/v1/rooms/{room.pk}/messages",
            {"body": "from an *integration*", "client_id": "ci-1"},
            format="json",
        )
    assert response.status_code == 201
    [event] = events.published()
    assert event["type"] == "message.new"
    assert event["message"] == response.json()


def test_an_edit_over_rest_is_published_as_rest_shows_it(
    room_with_everyone, django_capture_on_commit_callbacks
):
    room, users = room_with_everyone.room, room_with_everyone.users
    message, _ = message_send(actor=users["editor"], room_id=room.pk, body="v1")
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = room_with_everyone.client("editor").patch(
            f"/api/v1/rooms/{room.pk}/messages/{message.pk}", {"body": "v2"}, format="json"
        )
    [event] = events.published()
    assert (event["type"], event["message"]) == ("message.edited", response.json())


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message.new", "message": {}, "parent_reply_count": None},
        {"type": "unread", "room": "r", "user_id": 1, "count": 1},
        {"type": "reaction.added", "message_id": 1, "emoji": "", "user_id": 1},
        {"type": "message.deleted", "message": None, "extra": 1},
    ],
)
def test_the_schemas_refuse_malformed_events(event):
    with pytest.raises(jsonschema.ValidationError):
        assert_matches_schema(event)


def test_history_on_join_is_the_newest_messages_oldest_first_with_has_more(
    room_with_everyone, settings
):
    settings.COLLAB_MESSAGE_HISTORY_ON_JOIN = 2
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    made = [message_send(actor=editor, room_id=room.pk, body=f"m{n}")[0].pk for n in range(3)]
    event = message_history_event(room=room)
    assert_matches_schema(event)
    assert ([m["id"] for m in event["messages"]], event["has_more"]) == (made[1:], True)
    assert message_history_event(room=room, limit=3)["has_more"] is False


def test_history_of_an_empty_room_is_empty(room_with_everyone):
    event = message_history_event(room=room_with_everyone.room)
    assert (event["messages"], event["has_more"]) == ([], False)


def test_a_joining_member_gets_their_unread_state_and_a_non_member_none(room_with_everyone):
    room, users = room_with_everyone.room, room_with_everyone.users
    message_send(actor=users["editor"], room_id=room.pk, body="hi")
    event = unread_state_event(access=room_access(user=users["viewer"], room_id=room.pk))
    assert_matches_schema(event)
    assert (event["user_id"], event["count"], event["last_read_message_id"]) == (
        users["viewer"].pk,
        1,
        None,
    )
    room.is_public = True
    room.save()
    assert unread_state_event(access=room_access(user=users["outsider"], room_id=room.pk)) is None


def test_typing_event_names_the_user_and_its_expiry(room_with_everyone):
    from rooms.chat.events import typing_event

    editor = room_with_everyone.users["editor"]
    event = typing_event(room_id=room_with_everyone.room.pk, user=editor, expires_in=5)
    assert_matches_schema(event)
    assert (event["user"]["id"], event["user"]["display_name"], event["expires_in"]) == (
        editor.pk,
        "the-editor",
        5,
    )
