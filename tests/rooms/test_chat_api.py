"""The chat over REST: history, threads, edits, reactions and search."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.utils import timezone

from rooms.chat.models import Reaction
from rooms.chat.selectors import room_recent_messages
from rooms.chat.services.messages import message_edit, message_send
from tests.factories import (
    MembershipFactory,
    MessageFactory,
    ReactionFactory,
    RoomFactory,
    UserFactory,
)


def ids(page):
    return [message["id"] for message in page["results"]]


def test_history_on_join_is_the_newest_messages_oldest_first(room_with_everyone):
    room = room_with_everyone.room
    made = [MessageFactory(room=room).pk for _ in range(5)]
    assert [m.pk for m in room_recent_messages(room=room, limit=3)] == made[2:]


def test_before_continues_the_history_over_rest(room_with_everyone):
    room = room_with_everyone.room
    made = [MessageFactory(room=room).pk for _ in range(5)]
    oldest_sent = room_recent_messages(room=room, limit=3)[0]
    page = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/rooms/{room.pk}/messages?before={oldest_sent.pk}")
        .json()
    )
    assert ids(page) == [made[1], made[0]]


def test_a_busy_thread_does_not_push_the_timeline_out_of_the_history(room_with_everyone):
    room = room_with_everyone.room
    roots = [MessageFactory(room=room).pk for _ in range(4)]
    for _ in range(5):
        MessageFactory(room=room, parent_id=roots[1])
    assert [m.pk for m in room_recent_messages(room=room, limit=3)] == roots[1:]
    page = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/rooms/{room.pk}/messages?top_level=true&before={roots[1]}")
        .json()
    )
    assert ids(page) == [roots[0]]
    everything = room_with_everyone.client("viewer").get(f"/api/v1/rooms/{room.pk}/messages")
    assert len(everything.json()["results"]) == 9  # without the filter, replies too


def test_listing_messages_takes_a_fixed_number_of_queries(
    room_with_everyone, django_assert_max_num_queries
):
    room = room_with_everyone.room
    for _ in range(10):
        ReactionFactory(message=MessageFactory(room=room))
    client = room_with_everyone.client("viewer")
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/rooms/{room.pk}/messages")
    assert len(response.json()["results"]) == 10


def test_a_message_shows_its_reactions_grouped_by_emoji(room_with_everyone):
    room, users = room_with_everyone.room, room_with_everyone.users
    message = MessageFactory(room=room)
    ReactionFactory(message=message, user=users["owner"], emoji="👍")
    ReactionFactory(message=message, user=users["editor"], emoji="🎉")
    ReactionFactory(message=message, user=users["viewer"], emoji="👍")
    shown = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/rooms/{room.pk}/messages/{message.pk}")
        .json()
    )
    assert shown["reactions"] == [
        {"emoji": "👍", "count": 2, "user_ids": [users["owner"].pk, users["viewer"].pk]},
        {"emoji": "🎉", "count": 1, "user_ids": [users["editor"].pk]},
    ]


def test_thread_replies_are_listed_oldest_first_in_pages(room_with_everyone):
    room = room_with_everyone.room
    root = MessageFactory(room=room)
    replies = [MessageFactory(room=room, parent=root).pk for _ in range(3)]
    MessageFactory(room=room)
    client = room_with_everyone.client("viewer")
    page = client.get(f"/api/v1/rooms/{room.pk}/messages/{root.pk}/replies?page_size=2").json()
    seen = ids(page)
    page = client.get(page["next"]).json()
    assert seen + ids(page) == replies


def test_replies_of_a_message_in_another_room_are_not_found(room_with_everyone):
    elsewhere = MessageFactory()
    response = room_with_everyone.client("owner").get(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{elsewhere.pk}/replies"
    )
    assert (response.status_code, response.json()["code"]) == (404, "message_not_found")


def test_edit_over_rest_and_its_history(room_with_everyone):
    room, editor = room_with_everyone.room, room_with_everyone.users["editor"]
    message, _ = message_send(actor=editor, room_id=room.pk, body="v1")
    client = room_with_everyone.client("editor")
    edited = client.patch(
        f"/api/v1/rooms/{room.pk}/messages/{message.pk}", {"body": "v2"}, format="json"
    )
    assert (edited.status_code, edited.json()["body"]) == (200, "v2")
    message_edit(actor=editor, room_id=room.pk, message_id=message.pk, body="v3")
    history = room_with_everyone.client("viewer").get(
        f"/api/v1/rooms/{room.pk}/messages/{message.pk}/edits"
    )
    assert [(e["body"], e["edited_by"]["username"]) for e in history.json()["results"]] == [
        ("v1", "the-editor"),
        ("v2", "the-editor"),
    ]


def test_reactions_over_rest_add_once_and_remove_by_emoji_in_the_path(room_with_everyone):
    room = room_with_everyone.room
    message = MessageFactory(room=room)
    client = room_with_everyone.client("commenter")
    url = f"/api/v1/rooms/{room.pk}/messages/{message.pk}/reactions"
    first = client.post(url, {"emoji": "👍🏽"}, format="json")
    again = client.post(url, {"emoji": "👍🏽"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reactions"][0]["count"] == 1
    removed = client.delete(f"{url}/{quote('👍🏽')}")
    assert removed.status_code == 204
    assert not Reaction.objects.filter(message=message).exists()


def test_delete_over_rest_leaves_a_tombstone(room_with_everyone):
    room = room_with_everyone.room
    message = MessageFactory(room=room, author=room_with_everyone.users["commenter"])
    response = room_with_everyone.client("owner").delete(
        f"/api/v1/rooms/{room.pk}/messages/{message.pk}"
    )
    assert response.status_code == 204
    shown = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/rooms/{room.pk}/messages/{message.pk}")
        .json()
    )
    assert (shown["body"], shown["deleted_at"] is not None) == ("", True)


# --- search --------------------------------------------------------------------------------


def search(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return ids(response.json())


def test_room_search_matches_every_word_case_insensitively_newest_first(room_with_everyone):
    room = room_with_everyone.room
    older = MessageFactory(room=room, body="Deploy the release on Friday")
    newer = MessageFactory(room=room, body="the RELEASE deploy went fine")
    MessageFactory(room=room, body="release notes only")
    MessageFactory(room=room, body="deploy release", deleted_at=timezone.now())
    MessageFactory(body="deploy release in another room")
    found = search(
        room_with_everyone.client("viewer"),
        f"/api/v1/rooms/{room.pk}/messages/search?q=release+deploy",
    )
    assert found == [newer.pk, older.pk]


def test_search_everywhere_covers_only_rooms_the_caller_may_read(db):
    from tests.conftest import client_for

    me = UserFactory()
    mine = RoomFactory()
    MembershipFactory(room=mine, user=me)
    public = RoomFactory(is_public=True)
    private = RoomFactory()
    in_mine = MessageFactory(room=mine, body="quarterly budget")
    in_public = MessageFactory(room=public, body="budget draft")
    MessageFactory(room=private, body="secret budget")
    MessageFactory(room=RoomFactory(is_public=True, deleted_at=timezone.now()), body="budget")
    found = search(client_for(me), "/api/v1/messages/search?q=budget")
    assert found == [in_public.pk, in_mine.pk]


@pytest.mark.parametrize("query", ["", "   "])
def test_search_without_words_is_400(room_with_everyone, query):
    response = room_with_everyone.client("viewer").get(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/search", {"q": query}
    )
    assert response.status_code == 400
    assert "q" in response.json()["fields"]
