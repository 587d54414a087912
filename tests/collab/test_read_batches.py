"""``BatchedRead``: the keys asked for together are read in one call, each caller gets its
own answer, and a failed read fails only the callers that were waiting for it."""

from __future__ import annotations

import asyncio
import threading

import pytest

from rooms.core.read_batches import BatchedRead, db_read

# ``db_read`` runs on the database thread, whose connection handling (``close_old_connections``)
# touches the database a test before may have left open there.
pytestmark = pytest.mark.django_db


async def read_started(squares: Squares) -> None:
    """Return once the first read is under way on the database thread (a failed start fails
    the test within seconds instead of hanging it)."""

    async def started() -> None:
        while not squares.calls:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(started(), timeout=5)


class Squares:
    """A read of many keys at once that notes what each call was asked for; the first call
    is held until released, as a slow query holds the database thread."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.calls: list[set[int]] = []
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, keys: set[int]) -> dict[int, int]:
        self.calls.append(set(keys))
        if len(self.calls) == 1:
            self.release.wait(timeout=5)
        if self.fail_on in keys:
            raise RuntimeError("the database went away")
        return {key: key * key for key in keys if key >= 0}


async def test_callers_waiting_while_a_read_runs_are_answered_by_one_more_read():
    squares = Squares()
    batched = BatchedRead(db_read(squares))
    first = asyncio.ensure_future(batched.get(2))
    await read_started(squares)
    waiting = [asyncio.ensure_future(batched.get(key)) for key in (3, 4, 4, -1)]
    await asyncio.sleep(0.05)
    squares.release.set()
    assert await first == 4
    assert [await w for w in waiting] == [9, 16, 16, None]  # -1: nothing found
    assert squares.calls == [{2}, {3, 4, -1}]


async def test_a_failed_read_fails_its_own_callers_and_the_next_batch_still_reads():
    squares = Squares(fail_on=7)
    squares.release.set()
    batched = BatchedRead(db_read(squares))
    together = await asyncio.gather(batched.get(7), batched.get(5), return_exceptions=True)
    assert [type(result) for result in together] == [RuntimeError, RuntimeError]
    assert await batched.get(6) == 36


async def test_a_cancelled_caller_leaves_the_others_their_answers():
    squares = Squares()
    batched = BatchedRead(db_read(squares))
    first = asyncio.ensure_future(batched.get(1))
    await read_started(squares)
    gone = asyncio.ensure_future(batched.get(8))
    stays = asyncio.ensure_future(batched.get(9))
    await asyncio.sleep(0.01)
    gone.cancel()
    squares.release.set()
    assert await first == 1
    assert await stays == 81
    with pytest.raises(asyncio.CancelledError):
        await gone
