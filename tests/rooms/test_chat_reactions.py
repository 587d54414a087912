"""Emoji reactions: the emoji rule, idempotent add and remove, and their events."""

from __future__ import annotations

import factory
import pytest
from django.utils import timezone

from rooms.chat.models import Reaction
from rooms.chat.services.reactions import (
    MAX_DISTINCT_EMOJI,
    emoji_clean,
    reaction_add,
    reaction_remove,
)
from rooms.core.errors import Conflict, Forbidden, Invalid, NotFound
from tests.factories import MessageFactory, ReactionFactory, UserFactory
from tests.rooms.chat_capture import RoomEvents


@pytest.mark.parametrize(
    "emoji",
    [
        "👍",
        "👍🏽",
        "❤️",
        "🎉",
        "👩‍💻",
        "👨‍👩‍👧‍👦",
        "🏳️‍🌈",
        "🇫🇷",
        "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
        "1️⃣",
        "#⃣",
        "☕",
        "✅",
        ":tada:",
        ":+1:",
        ":thumbs_up:",
    ],
)
def test_one_emoji_or_a_short_name_is_accepted(emoji):
    assert emoji_clean(emoji) == emoji


@pytest.mark.parametrize(
    "emoji",
    [
        "",
        " ",
        "a",
        "like",
        "👍👍",
        "👍 ",
        "🇫",
        "🇫🇷🇩🇪",
        "‍👍",
        "👍‍",
        "🏽",
        "1",
        "::",
        ":Tada:",
        ":two words:",
        ":" + "a" * 31 + ":",
        "<b>",
        "👍<script>",
        "\u200b",
    ],
)
def test_anything_else_is_invalid_emoji(emoji):
    with pytest.raises(Invalid) as caught:
        emoji_clean(emoji)
    assert (caught.value.code, caught.value.field) == ("invalid_emoji", "emoji")


@pytest.fixture
def message(room_with_everyone):
    return MessageFactory(room=room_with_everyone.room, author=room_with_everyone.users["owner"])


def react(room_with_everyone, message, who="commenter", emoji="👍"):
    return reaction_add(
        actor=room_with_everyone.users[who],
        room_id=room_with_everyone.room.pk,
        message_id=message.pk,
        emoji=emoji,
    )


def test_reacting_twice_stores_and_publishes_once(
    room_with_everyone, message, django_capture_on_commit_callbacks
):
    events = RoomEvents(room_with_everyone.room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _, first = react(room_with_everyone, message)
        _, second = react(room_with_everyone, message)
    assert (first, second) == (True, False)
    assert Reaction.objects.filter(message=message).count() == 1
    [event] = events.published()
    assert event == {
        "type": "reaction.added",
        "room": str(room_with_everyone.room.pk),
        "message_id": message.pk,
        "emoji": "👍",
        "user_id": room_with_everyone.users["commenter"].pk,
        "reactions": [
            {"emoji": "👍", "count": 1, "user_ids": [room_with_everyone.users["commenter"].pk]}
        ],
    }


def test_removed_event_carries_the_reactions_left(
    room_with_everyone, message, django_capture_on_commit_callbacks
):
    react(room_with_everyone, message, who="editor", emoji="🎉")
    react(room_with_everyone, message, who="commenter", emoji="🎉")
    events = RoomEvents(room_with_everyone.room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        removed = reaction_remove(
            actor=room_with_everyone.users["editor"],
            room_id=room_with_everyone.room.pk,
            message_id=message.pk,
            emoji="🎉",
        )
    assert removed is True
    [event] = events.published()
    assert (event["type"], event["reactions"]) == (
        "reaction.removed",
        [{"emoji": "🎉", "count": 1, "user_ids": [room_with_everyone.users["commenter"].pk]}],
    )


def test_removing_a_reaction_that_is_not_there_changes_and_publishes_nothing(
    room_with_everyone, message, django_capture_on_commit_callbacks
):
    ReactionFactory(message=message, user=room_with_everyone.users["editor"], emoji="👍")
    events = RoomEvents(room_with_everyone.room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        removed = reaction_remove(
            actor=room_with_everyone.users["commenter"],
            room_id=room_with_everyone.room.pk,
            message_id=message.pk,
            emoji="👍",
        )
    assert removed is False
    assert Reaction.objects.filter(message=message).count() == 1
    assert events.published() == []


def test_viewer_may_not_react(room_with_everyone, message):
    with pytest.raises(Forbidden):
        react(room_with_everyone, message, who="viewer")
    assert not Reaction.objects.exists()


def test_reacting_to_a_message_of_another_room_is_not_found(room_with_everyone):
    elsewhere = MessageFactory()
    with pytest.raises(NotFound) as caught:
        react(room_with_everyone, elsewhere)
    assert caught.value.code == "message_not_found"
    assert not Reaction.objects.exists()


def test_reacting_to_a_deleted_message_is_refused(room_with_everyone):
    tombstone = MessageFactory(room=room_with_everyone.room, body="", deleted_at=timezone.now())
    with pytest.raises(Conflict) as caught:
        react(room_with_everyone, tombstone)
    assert caught.value.code == "message_deleted"
    assert not Reaction.objects.exists()


def test_a_message_takes_a_bounded_number_of_different_emoji(room_with_everyone, message):
    short_names = [f":e{n}:" for n in range(MAX_DISTINCT_EMOJI)]
    ReactionFactory.create_batch(
        MAX_DISTINCT_EMOJI,
        message=message,
        user=UserFactory(),
        emoji=factory.Iterator(short_names),
    )
    with pytest.raises(Conflict) as caught:
        react(room_with_everyone, message, emoji=":one_more:")
    assert caught.value.code == "too_many_reactions"
    _, joined = react(room_with_everyone, message, emoji=":e0:")
    assert joined is True
