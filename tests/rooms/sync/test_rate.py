"""The token bucket, on a fake clock: what it refuses, how long it delays, and how long a
connection has been kept over its rate."""

from __future__ import annotations

import pytest

from rooms.sync.rate import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_take_allows_the_burst_then_refuses_until_tokens_come_back():
    clock = FakeClock()
    bucket = TokenBucket(4, burst=3, clock=clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.25
    assert [bucket.take(), bucket.take()] == [True, False]


def test_burst_defaults_to_twice_the_rate():
    bucket = TokenBucket(5, clock=FakeClock())
    assert sum(bucket.take() for _ in range(20)) == 10


def test_delay_is_zero_within_the_burst_then_spaces_events_at_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock)
    assert [bucket.delay(), bucket.delay()] == [0.0, 0.0]
    assert bucket.delay() == pytest.approx(0.1)
    assert bucket.delay() == pytest.approx(0.2)  # borrowed from the future, in order


def test_a_caller_that_waits_its_delay_is_held_to_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(10, burst=1, clock=clock)
    waited = []
    for _ in range(50):
        delay = bucket.delay()
        waited.append(delay)
        clock.now += delay
    assert waited[0] == 0.0
    assert waited[1:] == pytest.approx([0.1] * 49)
    assert clock.now - 100.0 == pytest.approx(4.9)


def test_over_for_counts_from_the_first_event_that_waited():
    clock = FakeClock()
    bucket = TokenBucket(10, burst=1, clock=clock)
    bucket.delay()
    assert bucket.over_for() == 0.0
    clock.now += bucket.delay()  # waits 0.1 s: over from here
    for _ in range(20):
        clock.now += bucket.delay()
    assert bucket.over_for() == pytest.approx(2.1)


def test_an_event_that_finds_its_token_ends_the_spell_over_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(4, burst=1, clock=clock)
    bucket.delay()
    clock.now += bucket.delay()
    clock.now += bucket.delay()
    assert bucket.over_for() > 0
    clock.now += 0.25  # the client paused for one token's time
    assert bucket.delay() == 0.0
    assert bucket.over_for() == 0.0
