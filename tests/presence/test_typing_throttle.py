"""The typing throttle: one broadcast per user and room per interval, nothing stored."""

from __future__ import annotations

from presence.typing_throttle import TypingThrottle, typing_expires_in
from tests.presence.conftest import FakeClock


def throttle(clock: FakeClock) -> TypingThrottle:
    return TypingThrottle(interval=2.0, clock=clock)


def test_one_typing_broadcast_per_interval():
    clock = FakeClock()
    typing = throttle(clock)
    assert typing.allow("room", 1)
    clock.advance(1.9)
    assert not typing.allow("room", 1)
    clock.advance(0.1)
    assert typing.allow("room", 1)


def test_users_and_rooms_are_throttled_apart():
    typing = throttle(FakeClock())
    assert typing.allow("room", 1)
    assert typing.allow("room", 2)
    assert typing.allow("other-room", 1)
    assert not typing.allow("room", 2)


def test_the_throttle_forgets_those_who_stopped_typing():
    clock = FakeClock()
    typing = throttle(clock)
    for user in range(100):
        typing.allow("room", user)
    clock.advance(2)
    typing.allow("room", 1000)
    assert len(typing) == 1


def test_the_interval_and_expiry_come_from_settings(settings):
    settings.COLLAB_TYPING_THROTTLE_SECONDS = 3
    settings.COLLAB_TYPING_EXPIRY_SECONDS = 7
    assert TypingThrottle().interval == 3.0
    assert typing_expires_in() == 7
