"""Both presence registries, through the same tests: per-connection membership counted per
user, status and viewing over a user's connections, heartbeats, expiry and the sweep."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from presence.registry_interface import MemberState, RoomAtCapacity, UnknownConnection
from tests.presence.conftest import TTL

ROOM = str(uuid.uuid4())
OTHER_ROOM = str(uuid.uuid4())
DOC_A = str(uuid.uuid4())
DOC_B = str(uuid.uuid4())


async def join(
    registry, connection, *, user=1, room=ROOM, status="online", viewing=None, limit=None
):
    return await registry.join(
        room_id=room,
        user_id=user,
        connection_id=connection,
        status=status,
        viewing=viewing,
        max_users=limit,
    )


async def test_a_users_first_connection_joins_and_further_tabs_do_not(registry):
    first = await join(registry, "tab-1")
    second = await join(registry, "tab-2")
    assert (first.joined, first.before, first.after) == (True, None, MemberState("online", None, 1))
    assert (second.joined, second.updated) == (False, False)
    assert await registry.members(room_id=ROOM) == {1: MemberState("online", None, 2)}


async def test_only_the_last_connection_to_leave_is_a_leave(registry, clock):
    await join(registry, "tab-1")
    await join(registry, "tab-2")
    clock.advance(5)
    not_last = await registry.leave(room_id=ROOM, user_id=1, connection_id="tab-1")
    last = await registry.leave(room_id=ROOM, user_id=1, connection_id="tab-2")
    assert (not_last.left, not_last.after) == (False, MemberState("online", None, 1))
    assert (last.left, last.before, last.at) == (True, MemberState("online", None, 1), clock.now)
    assert await registry.members(room_id=ROOM) == {}


async def test_leaving_twice_or_never_joined_changes_nothing(registry):
    await join(registry, "tab-1")
    await registry.leave(room_id=ROOM, user_id=1, connection_id="tab-1")
    assert await registry.leave(room_id=ROOM, user_id=1, connection_id="tab-1") is None
    assert await registry.leave(room_id=ROOM, user_id=2, connection_id="never") is None


async def test_rejoining_with_the_same_connection_id_replaces_it(registry):
    await join(registry, "tab-1", status="online")
    again = await join(registry, "tab-1", status="away")
    assert (again.joined, again.updated) == (False, True)
    assert await registry.members(room_id=ROOM) == {1: MemberState("away", None, 1)}


async def test_rooms_and_users_are_counted_apart(registry):
    await join(registry, "a", user=1)
    await join(registry, "b", user=2)
    await join(registry, "c", user=1, room=OTHER_ROOM)
    assert await registry.members(room_id=ROOM) == {
        1: MemberState("online", None, 1),
        2: MemberState("online", None, 1),
    }
    assert await registry.members(room_id=OTHER_ROOM) == {1: MemberState("online", None, 1)}


async def test_a_user_is_online_if_any_connection_is(registry):
    await join(registry, "tab-1", status="away")
    joined_online = await join(registry, "tab-2", status="online")
    assert (joined_online.updated, joined_online.after.status) == (True, "online")
    still_online = await registry.set_status(
        room_id=ROOM, user_id=1, connection_id="tab-1", status="away"
    )
    assert (still_online.updated, still_online.after.status) == (False, "online")
    now_away = await registry.set_status(
        room_id=ROOM, user_id=1, connection_id="tab-2", status="away"
    )
    assert (now_away.updated, now_away.before.status, now_away.after.status) == (
        True,
        "online",
        "away",
    )


async def test_closing_the_only_online_tab_makes_the_user_away(registry):
    await join(registry, "idle", status="away")
    await join(registry, "active", status="online")
    change = await registry.leave(room_id=ROOM, user_id=1, connection_id="active")
    assert (change.left, change.updated, change.after) == (
        False,
        True,
        MemberState("away", None, 1),
    )


async def test_viewing_is_the_most_recently_set_one(registry, clock):
    await join(registry, "tab-1", viewing=DOC_A)
    clock.advance(1)
    await join(registry, "tab-2")  # a tab that chose nothing does not hide the choice
    assert (await registry.members(room_id=ROOM))[1].viewing == DOC_A
    clock.advance(1)
    change = await registry.set_viewing(
        room_id=ROOM, user_id=1, connection_id="tab-2", viewing=DOC_B
    )
    assert (change.updated, change.before.viewing, change.after.viewing) == (True, DOC_A, DOC_B)
    clock.advance(1)
    cleared = await registry.set_viewing(
        room_id=ROOM, user_id=1, connection_id="tab-1", viewing=None
    )
    assert (cleared.updated, cleared.after.viewing) == (True, None)


async def test_viewing_order_holds_within_one_clock_tick(registry):
    await join(registry, "tab-1")
    await join(registry, "tab-2")
    for connection, document in [("tab-1", DOC_A), ("tab-2", DOC_B), ("tab-1", DOC_A)]:
        await registry.set_viewing(
            room_id=ROOM, user_id=1, connection_id=connection, viewing=document
        )
    assert (await registry.members(room_id=ROOM))[1].viewing == DOC_A


async def test_closing_the_tab_viewed_last_shows_the_previous_choice(registry, clock):
    await join(registry, "tab-1", viewing=DOC_A)
    clock.advance(1)
    await join(registry, "tab-2", viewing=DOC_B)
    change = await registry.leave(room_id=ROOM, user_id=1, connection_id="tab-2")
    assert (change.updated, change.after.viewing) == (True, DOC_A)


async def test_changing_an_unknown_connection_raises(registry):
    with pytest.raises(UnknownConnection):
        await registry.set_status(room_id=ROOM, user_id=1, connection_id="nope", status="away")
    with pytest.raises(UnknownConnection):
        await registry.set_viewing(room_id=ROOM, user_id=1, connection_id="nope", viewing=None)


async def test_a_full_room_refuses_a_new_user_but_not_another_tab(registry):
    await join(registry, "a", user=1, limit=2)
    await join(registry, "b", user=2, limit=2)
    with pytest.raises(RoomAtCapacity):
        await join(registry, "c", user=3, limit=2)
    second_tab = await join(registry, "a2", user=1, limit=2)
    assert second_tab.after.connections == 2
    await join(registry, "c", user=3, room=OTHER_ROOM, limit=2)
    await registry.leave(room_id=ROOM, user_id=2, connection_id="b")
    assert (await join(registry, "c", user=3, limit=2)).joined


async def test_a_connection_not_renewed_within_the_ttl_is_swept(registry, clock):
    await join(registry, "tab-1")
    clock.advance(TTL - 1)
    assert await registry.sweep() == []
    clock.advance(1)
    [change] = await registry.sweep()
    assert (change.room_id, change.user_id, change.left) == (ROOM, 1, True)
    assert change.at == clock.now - TTL  # when the user was last known to be there
    assert await registry.members(room_id=ROOM) == {}
    assert await registry.sweep() == []


async def test_a_heartbeat_renews_the_connection_for_another_ttl(registry, clock):
    await join(registry, "tab-1")
    clock.advance(TTL - 1)
    assert await registry.heartbeat(room_id=ROOM, user_id=1, connection_id="tab-1")
    renewed_at = clock.now
    clock.advance(TTL - 1)
    assert await registry.sweep() == []
    clock.advance(1)
    [change] = await registry.sweep()
    assert (change.left, change.at) == (True, renewed_at)


async def test_a_heartbeat_of_a_swept_connection_reports_it_gone(registry, clock):
    await join(registry, "tab-1")
    clock.advance(TTL)
    await registry.sweep()
    assert not await registry.heartbeat(room_id=ROOM, user_id=1, connection_id="tab-1")
    assert await registry.members(room_id=ROOM) == {}


async def test_an_expired_tab_of_a_user_still_here_is_no_leave(registry, clock):
    await join(registry, "stale", status="online")
    clock.advance(TTL / 2)
    await join(registry, "live", status="away")
    clock.advance(TTL / 2)
    [change] = await registry.sweep()
    assert (change.left, change.updated, change.after) == (
        False,
        True,
        MemberState("away", None, 1),
    )


async def test_the_sweep_reports_each_user_once(registry, clock):
    for connection in ("tab-1", "tab-2", "tab-3"):
        await join(registry, connection, user=1)
    await join(registry, "other", user=2, room=OTHER_ROOM)
    clock.advance(TTL)
    changes = await registry.sweep()
    assert sorted((c.room_id, c.user_id, c.left) for c in changes) == sorted(
        [(ROOM, 1, True), (OTHER_ROOM, 2, True)]
    )


async def test_a_process_may_sweep_once_per_interval(registries):
    registry = registries.new(sweep_interval=60)
    assert registry.sweep_due()
    assert not registry.sweep_due()


async def test_the_sweep_frees_a_full_room(registry, clock):
    await join(registry, "a", user=1, limit=1)
    clock.advance(TTL)
    with pytest.raises(RoomAtCapacity):
        await join(registry, "b", user=2, limit=1)
    await registry.sweep()
    assert (await join(registry, "b", user=2, limit=1)).joined


# --- Redis only: many processes, key expiry ---------------------------------------------


async def test_two_processes_see_each_others_members(redis_registries):
    first, second = redis_registries.new(), redis_registries.new()
    await join(first, "on-first", user=1)
    joined_elsewhere = await join(second, "on-second", user=1)
    await join(second, "other-user", user=2)
    assert not joined_elsewhere.joined
    assert await first.members(room_id=ROOM) == await second.members(room_id=ROOM)
    assert await first.members(room_id=ROOM) == {
        1: MemberState("online", None, 2),
        2: MemberState("online", None, 1),
    }
    await first.leave(room_id=ROOM, user_id=1, connection_id="on-first")
    last = await second.leave(room_id=ROOM, user_id=1, connection_id="on-second")
    assert last.left


async def test_one_process_sweeps_what_a_crashed_one_left(redis_registries, clock):
    crashed, survivor = redis_registries.new(), redis_registries.new()
    await join(crashed, "gone", user=1)
    await join(survivor, "here", user=2)
    clock.advance(TTL - 1)
    await survivor.heartbeat(room_id=ROOM, user_id=2, connection_id="here")
    clock.advance(1)
    [change] = await survivor.sweep()
    assert (change.user_id, change.left) == (1, True)
    assert set(await crashed.members(room_id=ROOM)) == {2}


async def test_the_room_limit_holds_across_processes(redis_registries):
    first, second = redis_registries.new(), redis_registries.new()
    await join(first, "a", user=1, limit=1)
    with pytest.raises(RoomAtCapacity):
        await join(second, "b", user=2, limit=1)


async def test_redis_forgets_a_room_whose_processes_all_stopped(redis_registries):
    """Key expiry removes the data even if no sweep runs; a later sweep still reports the
    leave, because the expiry index names the user."""
    registry = redis_registries.new(ttl=0.05, sweep_interval=0.05, clock=time.time)
    await join(registry, "tab-1", user=7)
    for _ in range(100):  # keys live 2 * ttl + sweep interval = 150 ms
        if not await registry.members(room_id=ROOM):
            break
        await asyncio.sleep(0.05)
    assert await registry.members(room_id=ROOM) == {}
    [change] = await registry.sweep()
    assert (change.user_id, change.left, change.before) == (7, True, None)
