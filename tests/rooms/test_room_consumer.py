"""The room socket through the real ASGI stack (origin guard, auth, router, consumer, chat and
presence services, database, channel layer): every client frame, every server event (each
checked against its schema in ``rooms.events``), and every bad input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from collab.asgi import application
from rooms.accounts.models import ApiToken
from rooms.accounts.services import api_token_create
from rooms.chat.models import Message, Reaction
from rooms.chat.services.messages import message_send
from rooms.membership.models import Membership, Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory
from tests.rooms.chat_capture import assert_matches_schema

pytestmark = pytest.mark.django_db(transaction=True)


class RoomSocket:
    """One client of the room socket that reads JSON events, each checked against its
    schema."""

    def __init__(self, communicator: WebsocketCommunicator, user: Any) -> None:
        self.ws = communicator
        self.user = user
        self.unpacked: list[dict[str, Any]] = []  # the rest of a presence.batch being read

    @classmethod
    async def open(cls, room, user, token: str | None) -> RoomSocket:
        path = f"/ws/rooms/{room.pk}" + (f"?token={token}" if token else "")
        socket = cls(WebsocketCommunicator(application, path), user)
        connected, _ = await socket.ws.connect()
        assert connected
        return socket

    async def frame(self, timeout: float = 5) -> dict[str, Any]:
        """The next frame as sent."""
        event = json.loads(await self.ws.receive_from(timeout=timeout))
        assert_matches_schema(event)
        return event

    async def event(self, timeout: float = 5) -> dict[str, Any]:
        """The next event, a ``presence.batch`` read as the events it holds."""
        if self.unpacked:
            return self.unpacked.pop(0)
        event = await self.frame(timeout)
        if event["type"] == "presence.batch":
            self.unpacked = event["events"][1:]
            return event["events"][0]
        return event

    async def next_of(self, kind: str, timeout: float = 5) -> dict[str, Any]:
        """The next event of this type, skipping others."""
        while True:
            event = await self.event(timeout)
            if event["type"] == kind:
                return event

    async def joined(self) -> dict[str, list[dict[str, Any]]]:
        """Read the events a socket gets on joining, by type."""
        events: dict[str, list[dict[str, Any]]] = {}
        snapshot = await self.event()
        assert snapshot["type"] == "presence.snapshot"
        events["presence.snapshot"] = [snapshot]
        history = await self.event()
        assert history["type"] == "message.history"
        events["message.history"] = [history]
        return events

    async def send(self, **frame: Any) -> None:
        await self.ws.send_to(text_data=json.dumps(frame))

    async def nothing(self, timeout: float = 0.3) -> bool:
        return not self.unpacked and await self.ws.receive_nothing(timeout=timeout)

    async def closed_with(self, timeout: float = 5) -> int:
        while True:
            output = await self.ws.receive_output(timeout=timeout)
            if output["type"] == "websocket.close":
                return output.get("code", 1000)

    async def close(self) -> None:
        await self.ws.disconnect()


@sync_to_async
def member(room, role: Role = Role.EDITOR, username: str | None = None):
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(room=room, user=user, role=role)
    return user, api_token_create(user=user, name="test")[1]


@sync_to_async
def new_room(**fields):
    return RoomFactory(**fields)


@sync_to_async
def messages_in(room) -> list[tuple[str, str]]:
    return list(Message.objects.filter(room=room).order_by("id").values_list("kind", "body"))


async def joined_socket(room, role: Role = Role.EDITOR, username: str | None = None):
    user, token = await member(room, role, username)
    socket = await RoomSocket.open(room, user, token)
    await socket.joined()
    return socket


async def drain(*sockets: RoomSocket) -> None:
    """Skip what is queued (other members' joins, unread counts)."""
    for socket in sockets:
        while not await socket.nothing(0.2):
            await socket.event()


# --- connecting ---------------------------------------------------------------------------


async def test_no_session_or_token_is_closed_4401_before_any_event():
    room = await new_room()
    socket = RoomSocket(WebsocketCommunicator(application, f"/ws/rooms/{room.pk}"), None)
    await socket.ws.connect()
    assert await socket.closed_with() == 4401


@pytest.mark.parametrize("room_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
async def test_unknown_room_is_closed_4404(room_id):
    user, token = await member(await new_room())
    communicator = WebsocketCommunicator(application, f"/ws/rooms/{room_id}?token={token}")
    await communicator.connect()
    socket = RoomSocket(communicator, user)
    assert await socket.closed_with() == 4404


async def test_outsider_of_a_private_room_is_closed_4404():
    room = await new_room(is_public=False)
    other_room = await new_room()
    user, token = await member(other_room)
    socket = await RoomSocket.open(room, user, token)
    assert await socket.closed_with() == 4404


async def test_joining_sends_who_is_here_the_newest_messages_and_the_unread_count():
    room = await new_room()
    author, _ = await member(room)
    await sync_to_async(message_send)(actor=author, room_id=room.pk, body="before you joined")
    user, token = await member(room)
    await sync_to_async(message_send)(actor=author, room_id=room.pk, body="while you were away")
    socket = await RoomSocket.open(room, user, token)
    snapshot = await socket.event()
    assert snapshot["type"] == "presence.snapshot"
    assert [entry["user"]["id"] for entry in snapshot["members"]] == [user.pk]
    history = await socket.event()
    assert history["type"] == "message.history"
    bodies = [message["body"] for message in history["messages"]]
    assert bodies[-2:] == ["before you joined", "while you were away"]
    # Unread counts what was posted since the member joined (system messages aside).
    unread = await socket.event()
    assert (unread["type"], unread["count"], unread["user_id"]) == ("unread", 1, user.pk)
    await socket.close()


async def test_a_later_joiner_gets_the_messages_posted_since_an_earlier_join():
    room = await new_room()
    first = await joined_socket(room)
    author, _ = await member(room)
    await sync_to_async(message_send)(actor=author, room_id=room.pk, body="after the first")
    user, token = await member(room)
    later = await RoomSocket.open(room, user, token)
    await later.event()  # presence.snapshot
    history = await later.event()
    assert history["type"] == "message.history"
    assert "after the first" in [message["body"] for message in history["messages"]]
    await first.close()
    await later.close()


async def test_a_token_socket_records_the_tokens_use_off_the_handshake():
    room = await new_room()
    user, token = await member(room)
    socket = await RoomSocket.open(room, user, token)
    await socket.joined()

    @sync_to_async
    def last_used():
        return ApiToken.objects.get(user=user).last_used_at

    for _ in range(50):  # written on a thread of its own, shortly after the handshake
        if await last_used() is not None:
            break
        await asyncio.sleep(0.1)
    assert await last_used() is not None
    await socket.close()


async def test_others_see_a_join_and_a_leave():
    room = await new_room()
    first = await joined_socket(room)
    await drain(first)
    second = await joined_socket(room)
    joined = await first.next_of("presence.join")
    assert joined["user"]["id"] == second.user.pk
    await second.close()
    left = await first.next_of("presence.leave")
    assert left["user"]["id"] == second.user.pk
    await first.close()


async def test_a_burst_of_presence_events_reaches_others_in_one_batch_in_order(settings):
    settings.COLLAB_PRESENCE_TICK_SECONDS = 1.0  # the burst below surely fits in one tick
    room = await new_room()
    observer = await joined_socket(room)
    await asyncio.sleep(1.1)  # the tick the observer's own join started is over: quiet
    await drain(observer)
    burst = [await member(room) for _ in range(4)]
    sockets = [await RoomSocket.open(room, user, token) for user, token in burst]
    # The first join of a quiet room goes out at once; the rest of the tick as one frame.
    first = await observer.frame()
    assert (first["type"], first["user"]["id"]) == ("presence.join", burst[0][0].pk)
    batch = await observer.frame()
    assert batch["type"] == "presence.batch"
    assert [(e["type"], e["user"]["id"]) for e in batch["events"]] == [
        ("presence.join", user.pk) for user, _ in burst[1:]
    ]
    for socket in sockets:
        await socket.close()
    await observer.close()


async def test_a_full_room_says_so_then_closes_1013():
    room = await new_room(max_participants=1)
    first = await joined_socket(room)
    user, token = await member(room)
    socket = await RoomSocket.open(room, user, token)
    error = await socket.event()
    assert (error["type"], error["code"]) == ("error", "room_full")
    assert await socket.closed_with() == 1013
    await first.close()


# --- chat -----------------------------------------------------------------------------------


async def test_a_sent_message_reaches_everyone_once_stored():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="message.send", body="hello **bob**", client_id="c1")
    for socket in (alice, bob):
        event = await socket.next_of("message.new")
        assert event["message"]["body"] == "hello **bob**"
        assert "<strong>bob</strong>" in event["message"]["body_html"]
        assert event["message"]["client_id"] == "c1"
    assert await messages_in(room) == [("text", "hello **bob**")]
    await alice.close()
    await bob.close()


async def test_resending_the_same_client_id_stores_one_message_and_confirms_it_to_the_sender():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="message.send", body="once", client_id="same")
    first = await alice.next_of("message.new")
    await bob.next_of("message.new")
    await alice.send(type="message.send", body="once", client_id="same")
    again = await alice.next_of("message.new")
    assert again["message"]["id"] == first["message"]["id"]
    assert await bob.nothing()
    assert await messages_in(room) == [("text", "once")]
    await alice.close()
    await bob.close()


async def test_a_thread_reply_edit_delete_and_reactions_reach_the_others():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="message.send", body="root", client_id="r")
    root = (await bob.next_of("message.new"))["message"]
    await alice.next_of("message.new")  # her own, as everyone's
    await bob.send(type="message.send", body="reply", parent=root["id"], client_id="x")
    reply = await alice.next_of("message.new")
    assert (reply["message"]["parent"], reply["parent_reply_count"]) == (root["id"], 1)
    await alice.send(type="message.edit", message=root["id"], body="root, edited")
    assert (await bob.next_of("message.edited"))["message"]["body"] == "root, edited"
    await bob.send(type="reaction.add", message=root["id"], emoji="🎉")
    added = await alice.next_of("reaction.added")
    assert (added["emoji"], added["user_id"]) == ("🎉", bob.user.pk)
    await bob.send(type="reaction.remove", message=root["id"], emoji="🎉")
    assert (await alice.next_of("reaction.removed"))["reactions"] == []
    await alice.send(type="message.delete", message=root["id"])
    deleted = await bob.next_of("message.deleted")
    assert deleted["message"]["deleted_at"] is not None
    assert deleted["message"]["body"] == ""
    await alice.close()
    await bob.close()


async def test_a_message_posted_over_rest_appears_live():
    room = await new_room()
    socket = await joined_socket(room)
    await drain(socket)
    author, _ = await member(room)
    await sync_to_async(message_send)(actor=author, room_id=room.pk, body="from a script")
    event = await socket.next_of("message.new")
    assert event["message"]["body"] == "from a script"
    await socket.close()


async def test_reading_sends_the_new_unread_count_to_that_member_alone():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="message.send", body="news", client_id="n")
    message = (await bob.next_of("message.new"))["message"]
    await drain(alice, bob)
    await bob.send(type="read", message=message["id"])
    unread = await bob.next_of("unread")
    assert (unread["user_id"], unread["count"]) == (bob.user.pk, 0)
    assert await alice.nothing()
    await alice.close()
    await bob.close()


async def test_typing_reaches_the_others_not_the_typist_and_is_throttled():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="typing")
    typing = await bob.next_of("typing")
    assert typing["user"]["id"] == alice.user.pk
    assert typing["expires_in"] > 0
    await alice.send(type="typing")  # within the throttle interval: not broadcast again
    assert await bob.nothing()
    assert await alice.nothing()
    await alice.close()
    await bob.close()


async def test_status_and_viewing_reach_the_others():
    room = await new_room()
    document = await sync_to_async(DocumentFactory)(room=room)
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="presence.status", status="away")
    assert (await bob.next_of("presence.update"))["status"] == "away"
    await alice.send(type="presence.viewing", document=str(document.pk))
    assert (await bob.next_of("presence.update"))["viewing"] == str(document.pk)
    await alice.close()
    await bob.close()


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"body": "no type"}', "invalid_frame"),
        ('{"type": "message.launch", "client_id": "k"}', "unknown_type"),
        ('{"type": "message.send", "client_id": "k"}', "invalid_frame"),
        (
            '{"type": "message.edit", "message": "1", "body": "x", "client_id": "k"}',
            "invalid_frame",
        ),
        (
            '{"type": "reaction.add", "message": true, "emoji": "x", "client_id": "k"}',
            "invalid_frame",
        ),
        ('{"type": "message.send", "body": "x", "client_id": 7}', "invalid_frame"),
        ('{"type": "presence.status", "status": "asleep", "client_id": "k"}', "invalid_status"),
        ('{"type": "presence.viewing", "document": "nope", "client_id": "k"}', "invalid_viewing"),
        ('{"type": "message.send", "body": "   ", "client_id": "k"}', "blank"),
    ],
)
async def test_a_bad_frame_gets_an_error_event_and_the_socket_goes_on(frame, code):
    room = await new_room()
    socket = await joined_socket(room)
    await drain(socket)
    await socket.ws.send_to(text_data=frame)
    error = await socket.next_of("error")
    assert error["code"] == code
    if '"client_id": "k"' in frame:
        assert error["client_id"] == "k"
    await socket.send(type="message.send", body="still here", client_id="after")
    assert (await socket.next_of("message.new"))["message"]["body"] == "still here"
    assert await messages_in(room) == [("text", "still here")]
    await socket.close()


async def test_an_over_long_body_is_refused_and_nothing_is_stored(settings):
    settings.COLLAB_MESSAGE_MAX_LENGTH = 20
    room = await new_room()
    socket = await joined_socket(room)
    await drain(socket)
    await socket.send(type="message.send", body="x" * 21, client_id="long")
    error = await socket.next_of("error")
    assert (error["code"], error["client_id"]) == ("max_length", "long")
    assert await messages_in(room) == []
    await socket.close()


async def test_editing_someone_elses_message_is_refused_and_changes_nothing():
    room = await new_room()
    alice = await joined_socket(room)
    bob = await joined_socket(room)
    await drain(alice, bob)
    await alice.send(type="message.send", body="mine", client_id="m")
    message = (await bob.next_of("message.new"))["message"]
    await drain(alice, bob)
    await bob.send(type="message.edit", message=message["id"], body="yours now", client_id="e")
    assert (await bob.next_of("error"))["code"] == "not_author"
    assert await alice.nothing()
    assert await messages_in(room) == [("text", "mine")]
    await alice.close()
    await bob.close()


async def test_reacting_to_a_message_of_another_room_is_refused():
    room, elsewhere = await new_room(), await new_room()
    author, _ = await member(elsewhere)
    foreign, _ = await sync_to_async(message_send)(actor=author, room_id=elsewhere.pk, body="x")
    socket = await joined_socket(room)
    await drain(socket)
    await socket.send(type="reaction.add", message=foreign.pk, emoji="👍", client_id="r")
    assert (await socket.next_of("error"))["code"] == "message_not_found"
    assert not await sync_to_async(Reaction.objects.exists)()
    await socket.close()


async def test_a_viewer_reads_but_may_not_post():
    room = await new_room()
    editor = await joined_socket(room)
    viewer = await joined_socket(room, Role.VIEWER)
    await drain(editor, viewer)
    await viewer.send(type="message.send", body="let me in", client_id="v")
    assert (await viewer.next_of("error"))["code"] == "permission_denied"
    await editor.send(type="message.send", body="for everyone", client_id="e")
    assert (await viewer.next_of("message.new"))["message"]["body"] == "for everyone"
    assert await messages_in(room) == [("text", "for everyone")]
    await editor.close()
    await viewer.close()


async def test_flooding_past_the_chat_rate_gets_rate_limited_errors(settings):
    settings.COLLAB_MESSAGE_RATE_PER_SECOND = 1
    settings.COLLAB_MESSAGE_BURST = 2
    room = await new_room()
    socket = await joined_socket(room)
    await drain(socket)
    for index in range(3):
        await socket.send(type="message.send", body=f"m{index}", client_id=f"c{index}")
    error = await socket.next_of("error")
    assert (error["code"], error["client_id"]) == ("rate_limited", "c2")
    assert len(await messages_in(room)) == 2
    await socket.close()


async def test_flooding_frames_closes_1013_and_others_carry_on(settings):
    settings.COLLAB_MAX_ROOM_FRAMES_PER_SECOND = 5
    room = await new_room()
    flooder = await joined_socket(room)
    other = await joined_socket(room)
    await drain(flooder, other)
    for _ in range(11):
        await flooder.send(type="typing")
    assert await flooder.closed_with() == 1013
    await other.send(type="message.send", body="unaffected", client_id="u")
    assert (await other.next_of("message.new"))["message"]["body"] == "unaffected"
    await other.close()


async def test_a_binary_frame_closes_4400_and_others_carry_on():
    room = await new_room()
    rude = await joined_socket(room)
    other = await joined_socket(room)
    await drain(rude, other)
    await rude.ws.send_to(bytes_data=b"\x00\x01")
    assert await rude.closed_with() == 4400
    await other.send(type="message.send", body="fine", client_id="f")
    assert (await other.next_of("message.new"))["message"]["body"] == "fine"
    await other.close()


async def test_an_oversize_frame_closes_4413(settings):
    settings.COLLAB_MAX_ROOM_FRAME_BYTES = 1000
    room = await new_room()
    socket = await joined_socket(room)
    await drain(socket)
    await socket.send(type="message.send", body="x" * 1000, client_id="big")
    assert await socket.closed_with() == 4413
    assert await messages_in(room) == []


async def test_a_removed_member_is_closed_4403_at_the_next_heartbeat(settings):
    settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS = 0.2
    room = await new_room(is_public=False)
    socket = await joined_socket(room)
    await drain(socket)
    await sync_to_async(Membership.objects.filter(user=socket.user).delete)()
    assert await socket.closed_with() == 4403
