"""How room events travel: ``publish_now`` sends the events published during a send together,
in order, as one channel-layer message; the room hub hands such a message's events to its
sockets in that order; and the hub's group joins of different groups run side by side."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.layers import get_channel_layer

from rooms.core.live_events import bundle_message, publish_now, room_group
from rooms.room_socket.hub import KeyedLocks, RoomHub


def event(n: int) -> dict[str, Any]:
    return {"type": "message.deleted", "room": "r", "message": n}


async def listen(room: str) -> tuple[Any, str]:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(room_group(room), channel)
    return layer, channel


async def test_events_published_together_go_in_one_message_in_order():
    layer, channel = await listen("r")
    await asyncio.gather(*(publish_now("r", event(n)) for n in range(5)))
    message = await asyncio.wait_for(layer.receive(channel), timeout=1)
    assert message["events"] == [event(n) for n in range(5)]
    assert len(message["texts"]) == 5
    await publish_now("r", event(5))  # alone: a message of its own, as ever
    message = await asyncio.wait_for(layer.receive(channel), timeout=1)
    assert (message["event"], "events" in message) == (event(5), False)


async def test_a_room_never_gets_another_rooms_events():
    mine, channel = await listen("mine")
    await asyncio.gather(publish_now("mine", event(1)), publish_now("theirs", event(2)))
    message = await asyncio.wait_for(mine.receive(channel), timeout=1)
    assert message["event"] == event(1)
    receiving = asyncio.ensure_future(mine.receive(channel))
    await asyncio.sleep(0.1)
    assert not receiving.done()
    receiving.cancel()


class Socket:
    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []

    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        self.got.append(event)


async def test_the_hub_hands_a_messages_events_to_its_sockets_in_order():
    hub = RoomHub()
    socket = Socket()
    await hub.join("r", socket)
    await get_channel_layer().group_send(
        room_group("r"), bundle_message("r", [event(n) for n in range(3)])
    )
    for _ in range(100):
        if len(socket.got) == 3:
            break
        await asyncio.sleep(0.01)
    assert socket.got == [event(0), event(1), event(2)]
    for task in hub._tasks:
        task.cancel()


async def test_keyed_locks_serve_one_key_at_a_time_and_other_keys_alongside():
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(key: str, name: str) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(0.02)
            order.append(f"{name} out")

    await asyncio.gather(hold("a", "a1"), hold("a", "a2"), hold("b", "b1"))
    assert order.index("a1 out") < order.index("a2 in")  # one key: one at a time
    assert order.index("b1 in") < order.index("a1 out")  # another key: alongside
    assert locks._locks == {}  # nothing kept once nobody holds or awaits
