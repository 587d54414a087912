"""The per-user chat rate limit: a burst passes, the next action is refused with 429 and
stores nothing, and the count lives in the shared cache."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from rooms.chat.models import Message, Reaction
from rooms.chat.services.messages import message_edit, message_send
from rooms.chat.services.rate import ChatRateLimited
from rooms.chat.services.reactions import reaction_add

BURST = 3


@pytest.fixture
def limited(settings, room_with_everyone):
    # A window far longer than the test, so only the count decides.
    settings.COLLAB_MESSAGE_RATE_PER_SECOND = 0.001
    settings.COLLAB_MESSAGE_BURST = BURST
    return room_with_everyone


def send(room_with_everyone, who="editor", **kwargs):
    return message_send(
        actor=room_with_everyone.users[who],
        room_id=room_with_everyone.room.pk,
        body=kwargs.pop("body", "hi"),
        **kwargs,
    )


def test_the_action_past_the_burst_is_refused_and_not_stored(limited):
    for _ in range(BURST):
        send(limited)
    with pytest.raises(ChatRateLimited) as caught:
        send(limited, body="one too many")
    assert (caught.value.status, caught.value.code) == (429, "rate_limited")
    assert caught.value.retry_after == 3000
    assert Message.objects.filter(room=limited.room).count() == BURST
    assert not Message.objects.filter(body="one too many").exists()


def test_the_limit_is_per_user(limited):
    for _ in range(BURST):
        send(limited, who="editor")
    _, created = send(limited, who="commenter")
    assert created is True


def test_edits_and_reactions_count_with_sends(limited):
    message, _ = send(limited)
    message_edit(
        actor=limited.users["editor"], room_id=limited.room.pk, message_id=message.pk, body="v2"
    )
    reaction_add(
        actor=limited.users["editor"], room_id=limited.room.pk, message_id=message.pk, emoji="👍"
    )
    with pytest.raises(ChatRateLimited):
        reaction_add(
            actor=limited.users["editor"],
            room_id=limited.room.pk,
            message_id=message.pk,
            emoji="🎉",
        )
    assert list(Reaction.objects.values_list("emoji", flat=True)) == ["👍"]


def test_resending_a_known_client_id_is_not_counted(limited):
    send(limited, client_id="same")
    for _ in range(BURST * 2):
        _, created = send(limited, client_id="same")
        assert created is False
    send(limited)
    send(limited)


def test_the_count_lives_in_the_shared_cache(limited):
    """Another cache client (as another process has) sees the same count."""
    for _ in range(BURST):
        send(limited)
    other_client = caches.create_connection("default")
    assert other_client.get(f"chat-rate:{limited.users['editor'].pk}") == BURST


def test_a_rate_of_zero_turns_the_limit_off(limited, settings):
    settings.COLLAB_MESSAGE_RATE_PER_SECOND = 0
    for _ in range(BURST + 2):
        send(limited)
    assert Message.objects.filter(room=limited.room).count() == BURST + 2
