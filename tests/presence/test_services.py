"""The presence services the room socket calls: join, status, viewing, heartbeat, leave and
the sweep, on both registries, with the events they publish checked against their schemas."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from asgiref.sync import sync_to_async

from presence.memory_registry import MemoryPresenceRegistry
from presence.models import LastSeen
from presence.services import (
    RoomFull,
    presence_heartbeat,
    presence_join,
    presence_leave,
    presence_set_status,
    presence_set_viewing,
    presence_snapshot,
    presence_sweep,
)
from rooms.core.errors import Invalid, NotFound
from rooms.membership.models import Role
from tests.factories import (
    DocumentFactory,
    LastSeenFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
)
from tests.presence.conftest import TTL, assert_valid

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def new_room(**fields):
    return RoomFactory(**fields)


@sync_to_async
def member(room, role=Role.EDITOR, **fields):
    user = UserFactory(**fields)
    MembershipFactory(room=room, user=user, role=role)
    return user


@sync_to_async
def outsider():
    return UserFactory()


@sync_to_async
def document_in(room):
    return DocumentFactory(room=room)


@sync_to_async
def last_seen(room, user):
    return LastSeen.objects.filter(room=room, user=user).values_list("seen_at", flat=True).first()


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def summary(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.profile.name,
        "color": user.profile.color,
    }


async def test_joining_publishes_presence_join_and_returns_the_snapshot(registry, room_events):
    room = await new_room()
    alice = await member(room, username="alice")
    events = await room_events(room.pk)
    joined = await presence_join(user=alice, room_id=room.pk, connection_id="c1", registry=registry)
    assert await events.next() == {
        "type": "presence.join",
        "room": str(room.pk),
        "user": summary(alice),
        "status": "online",
        "viewing": None,
    }
    assert joined.snapshot == {
        "type": "presence.snapshot",
        "room": str(room.pk),
        "members": [
            {"user": summary(alice), "status": "online", "viewing": None, "connections": 1}
        ],
        "last_seen": [],
    }
    assert joined.connection.room_id == str(room.pk)
    assert_valid(joined.snapshot)


async def test_a_second_tab_publishes_nothing_and_counts_in_the_snapshot(registry, room_events):
    room = await new_room()
    alice = await member(room)
    await presence_join(user=alice, room_id=room.pk, connection_id="c1", registry=registry)
    events = await room_events(room.pk)
    second = await presence_join(user=alice, room_id=room.pk, connection_id="c2", registry=registry)
    assert await events.all() == []
    assert second.snapshot["members"][0]["connections"] == 2


async def test_the_snapshot_lists_who_left_newest_first(registry, clock):
    room = await new_room()
    alice, bob, carol = await member(room), await member(room), await member(room)
    await sync_to_async(LastSeenFactory)(room=room, user=bob, seen_at=at(100))
    await sync_to_async(LastSeenFactory)(room=room, user=carol, seen_at=at(200))
    await sync_to_async(LastSeenFactory)(room=room, user=alice, seen_at=at(300))
    joined = await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    assert assert_valid(joined.snapshot)["last_seen"] == [
        {"user": summary(carol), "seen_at": at(200).isoformat()},
        {"user": summary(bob), "seen_at": at(100).isoformat()},
    ]


async def test_only_readers_of_the_room_may_join(registry):
    private = await new_room(is_public=False)
    public = await new_room(is_public=True)
    stranger = await outsider()
    for room_id in (private.pk, uuid.uuid4(), "not-a-room"):
        with pytest.raises(NotFound) as error:
            await presence_join(
                user=stranger, room_id=room_id, connection_id="c", registry=registry
            )
        assert error.value.code == "room_not_found"
    joined = await presence_join(
        user=stranger, room_id=public.pk, connection_id="c", registry=registry
    )
    assert joined.snapshot["members"][0]["user"]["id"] == stranger.pk


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "busy"}, "invalid_status"),
        ({"status": None}, "invalid_status"),
        ({"viewing": "not-a-document"}, "invalid_viewing"),
        ({"viewing": str(uuid.uuid4())}, "invalid_viewing"),
        ({"viewing": 42}, "invalid_viewing"),
        ({"connection_id": ""}, "invalid_connection_id"),
        ({"connection_id": "x" * 201}, "invalid_connection_id"),
    ],
)
async def test_bad_join_input_is_refused_with_a_stable_code(registry, fields, code):
    room = await new_room()
    alice = await member(room)
    with pytest.raises(Invalid) as error:
        await presence_join(
            user=alice, room_id=room.pk, registry=registry, **{"connection_id": "c", **fields}
        )
    assert error.value.code == code
    assert await registry.members(room_id=str(room.pk)) == {}


async def test_the_room_refuses_a_participant_past_its_maximum(registry):
    room = await new_room(max_participants=2)
    alice, bob, carol = await member(room), await member(room), await member(room)
    for user in (alice, bob):
        await presence_join(
            user=user, room_id=room.pk, connection_id=f"c{user.pk}", registry=registry
        )
    with pytest.raises(RoomFull) as error:
        await presence_join(user=carol, room_id=room.pk, connection_id="carol", registry=registry)
    assert (error.value.code, error.value.status) == ("room_full", 409)
    another_tab = await presence_join(
        user=alice, room_id=room.pk, connection_id="alice-2", registry=registry
    )
    assert len(another_tab.snapshot["members"]) == 2


async def test_a_full_room_is_swept_before_it_refuses(registry, clock, room_events):
    room = await new_room(max_participants=1)
    alice, bob = await member(room), await member(room)
    await presence_join(user=alice, room_id=room.pk, connection_id="a", registry=registry)
    clock.advance(TTL)
    events = await room_events(room.pk)
    await presence_join(user=bob, room_id=room.pk, connection_id="b", registry=registry)
    assert [(e["type"], e["user"]["id"]) for e in await events.all()] == [
        ("presence.leave", alice.pk),
        ("presence.join", bob.pk),
    ]


async def test_status_changes_are_published_when_others_would_see_them(registry, room_events):
    room = await new_room()
    alice = await member(room)
    one = (
        await presence_join(user=alice, room_id=room.pk, connection_id="1", registry=registry)
    ).connection
    two = (
        await presence_join(user=alice, room_id=room.pk, connection_id="2", registry=registry)
    ).connection
    events = await room_events(room.pk)
    await presence_set_status(connection=one, status="away", registry=registry)
    assert await events.all() == []  # still online in the other tab
    await presence_set_status(connection=two, status="away", registry=registry)
    assert await events.next() == {
        "type": "presence.update",
        "room": str(room.pk),
        "user": summary(alice),
        "status": "away",
        "viewing": None,
    }
    with pytest.raises(Invalid) as error:
        await presence_set_status(connection=two, status="gone", registry=registry)
    assert error.value.code == "invalid_status"


async def test_viewing_a_document_of_the_room_is_published(registry, room_events):
    room = await new_room()
    alice = await member(room, role=Role.VIEWER)
    document = await document_in(room)
    connection = (
        await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    ).connection
    events = await room_events(room.pk)
    await presence_set_viewing(connection=connection, viewing=str(document.pk), registry=registry)
    assert (await events.next())["viewing"] == str(document.pk)
    await presence_set_viewing(connection=connection, viewing=None, registry=registry)
    assert (await events.next())["viewing"] is None


async def test_viewing_a_document_of_another_room_is_invalid(registry, room_events):
    room, elsewhere = await new_room(), await new_room(is_public=True)
    alice = await member(room)
    foreign = await document_in(elsewhere)
    connection = (
        await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    ).connection
    events = await room_events(room.pk)
    for viewing in (str(foreign.pk), str(uuid.uuid4()), "nonsense", 7):
        with pytest.raises(Invalid) as error:
            await presence_set_viewing(connection=connection, viewing=viewing, registry=registry)
        assert (error.value.code, error.value.field) == ("invalid_viewing", "viewing")
    assert await events.all() == []
    assert (await registry.members(room_id=str(room.pk)))[alice.pk].viewing is None


async def test_joining_while_viewing_a_document(registry):
    room = await new_room()
    alice = await member(room)
    document = await document_in(room)
    joined = await presence_join(
        user=alice, room_id=room.pk, connection_id="c", viewing=str(document.pk), registry=registry
    )
    assert joined.snapshot["members"][0]["viewing"] == str(document.pk)


async def test_the_last_tab_leaving_publishes_leave_and_writes_last_seen(
    registry, clock, room_events
):
    room = await new_room()
    alice = await member(room)
    one = (
        await presence_join(user=alice, room_id=room.pk, connection_id="1", registry=registry)
    ).connection
    two = (
        await presence_join(user=alice, room_id=room.pk, connection_id="2", registry=registry)
    ).connection
    events = await room_events(room.pk)
    await presence_leave(connection=one, registry=registry)
    assert await events.all() == []
    assert await last_seen(room, alice) is None
    clock.advance(12)
    await presence_leave(connection=two, registry=registry)
    assert await events.next() == {
        "type": "presence.leave",
        "room": str(room.pk),
        "user": summary(alice),
        "seen_at": at(clock.now).isoformat(),
    }
    assert await last_seen(room, alice) == at(clock.now)
    await presence_leave(connection=two, registry=registry)  # twice: nothing more
    assert await events.all() == []


async def test_the_sweep_publishes_leave_for_expired_users(registry, clock, room_events):
    room = await new_room()
    alice, bob = await member(room), await member(room)
    await presence_join(user=alice, room_id=room.pk, connection_id="a", registry=registry)
    bobs = (
        await presence_join(user=bob, room_id=room.pk, connection_id="b", registry=registry)
    ).connection
    clock.advance(TTL - 1)
    await presence_heartbeat(connection=bobs, registry=registry)
    clock.advance(1)
    events = await room_events(room.pk)
    assert await presence_sweep(registry=registry) == 1
    assert await events.all() == [
        {
            "type": "presence.leave",
            "room": str(room.pk),
            "user": summary(alice),
            "seen_at": at(clock.now - TTL).isoformat(),
        }
    ]
    assert await last_seen(room, alice) == at(clock.now - TTL)
    snapshot = assert_valid(await presence_snapshot(room_id=str(room.pk), registry=registry))
    assert [m["user"]["id"] for m in snapshot["members"]] == [bob.pk]
    assert [m["user"]["id"] for m in snapshot["last_seen"]] == [alice.pk]


async def test_a_swept_connection_joins_again_on_its_next_heartbeat(registry, clock, room_events):
    room = await new_room()
    alice = await member(room)
    connection = (
        await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    ).connection
    await presence_set_status(connection=connection, status="away", registry=registry)
    clock.advance(TTL)
    await presence_sweep(registry=registry)
    events = await room_events(room.pk)
    await presence_heartbeat(connection=connection, registry=registry)
    assert (await events.next())["type"] == "presence.join"
    members = await registry.members(room_id=str(room.pk))
    assert members[alice.pk].status == "away"  # it comes back as it was


async def test_a_status_from_a_swept_connection_joins_it_again(registry, clock):
    room = await new_room()
    alice = await member(room)
    connection = (
        await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    ).connection
    clock.advance(TTL)
    await presence_sweep(registry=registry)
    await presence_set_status(connection=connection, status="away", registry=registry)
    assert (await registry.members(room_id=str(room.pk)))[alice.pk].status == "away"


async def test_last_seen_never_moves_back(registry, clock):
    room = await new_room()
    alice = await member(room)
    await sync_to_async(LastSeenFactory)(room=room, user=alice, seen_at=at(clock.now + 60))
    connection = (
        await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    ).connection
    await presence_leave(connection=connection, registry=registry)
    assert await last_seen(room, alice) == at(clock.now + 60)


async def test_the_web_process_sweeps_a_registry_only_it_sees(clock, room_events):
    registry = MemoryPresenceRegistry(ttl=TTL, sweep_interval=0.01, clock=clock)
    room = await new_room()
    alice = await member(room)
    await presence_join(user=alice, room_id=room.pk, connection_id="c", registry=registry)
    events = await room_events(room.pk)
    clock.advance(TTL)  # the sweeper that joining started finds the connection expired
    assert (await events.next())["type"] == "presence.leave"


async def test_a_storm_of_joins_and_leaves_at_once(registry, clock, room_events):
    """Twenty join together (their reads shared): each snapshot shows the joiner, each join
    is published once; then they leave together, each leave is published and every
    ``LastSeen`` is written, moved forward where one was older and kept where it was newer."""
    room = await new_room()
    users = [await member(room) for _ in range(20)]
    await sync_to_async(LastSeenFactory)(room=room, user=users[0], seen_at=at(clock.now - 60))
    later = at(clock.now + 60)
    await sync_to_async(LastSeenFactory)(room=room, user=users[1], seen_at=later)
    events = await room_events(room.pk)
    joined = await asyncio.gather(
        *(
            presence_join(user=user, room_id=room.pk, connection_id="c", registry=registry)
            for user in users
        )
    )
    for user, join in zip(users, joined, strict=True):
        assert_valid(join.snapshot)
        assert user.pk in {m["user"]["id"] for m in join.snapshot["members"]}
        assert join.access.user is user
    published = await events.all()
    assert sorted(e["user"]["id"] for e in published if e["type"] == "presence.join") == sorted(
        u.pk for u in users
    )
    assert len((await presence_snapshot(room_id=str(room.pk), registry=registry))["members"]) == 20

    clock.advance(5)
    await asyncio.gather(
        *(presence_leave(connection=join.connection, registry=registry) for join in joined)
    )
    left = [e["user"]["id"] for e in await events.all() if e["type"] == "presence.leave"]
    assert sorted(left) == sorted(u.pk for u in users)
    assert await last_seen(room, users[0]) == at(clock.now)
    assert await last_seen(room, users[1]) == later  # never moves back
    for user in users[2:]:
        assert await last_seen(room, user) == at(clock.now)
