"""Lists that update themselves, through the real ASGI stack: documents and members reach the
room sockets of everyone with the room open; rooms joined, changed and left and the unread
count per room reach the person's own socket (``/ws/me``). Every event read is checked against
its schema, and no event of a room reaches anyone who may not see it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from collab.asgi import application
from rooms.accounts.services import api_token_create, api_token_revoke
from rooms.chat.services.messages import message_delete, message_send
from rooms.chat.services.read_state import read_state_mark
from rooms.documents.models import DocumentKind
from rooms.documents.services.documents import (
    document_create,
    document_delete,
    document_rename,
    document_set_locked,
)
from rooms.documents.services.sharing import document_share
from rooms.membership.models import Role
from rooms.membership.services.members import member_add, member_change_role, member_remove
from rooms.membership.services.rooms import (
    room_create,
    room_delete,
    room_join,
    room_set_archived,
)
from tests.factories import MembershipFactory, RoomFactory, UserFactory
from tests.rooms.chat_capture import assert_matches_schema
from tests.rooms.test_room_consumer import RoomSocket, member

pytestmark = pytest.mark.django_db(transaction=True)


class MeSocket:
    """A client of ``/ws/me`` that reads JSON events, each checked against its schema."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator

    @classmethod
    async def open(cls, token: str) -> MeSocket:
        socket = cls(WebsocketCommunicator(application, f"/ws/me?token={token}"))
        connected, _ = await socket.ws.connect()
        assert connected
        return socket

    async def event(self, timeout: float = 5) -> dict[str, Any]:
        event = json.loads(await self.ws.receive_from(timeout=timeout))
        assert_matches_schema(event)
        return event

    async def next_of(self, kind: str) -> dict[str, Any]:
        while (event := await self.event())["type"] != kind:
            pass
        return event

    async def types_until_quiet(self) -> list[str]:
        seen = []
        while not await self.ws.receive_nothing(timeout=0.3):
            seen.append((await self.event())["type"])
        return seen

    async def closed_with(self) -> int:
        while True:
            output = await self.ws.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                return int(output.get("code", 1000))

    async def close(self) -> None:
        await self.ws.disconnect()


@sync_to_async
def person(username: str) -> tuple[Any, str]:
    user = UserFactory(username=username)
    return user, api_token_create(user=user, name="test")[1]


@sync_to_async
def private_room(**fields: Any) -> Any:
    return RoomFactory(is_public=False, **fields)


async def me(token: str) -> MeSocket:
    socket = await MeSocket.open(token)
    assert (await socket.event())["type"] == "ready"
    return socket


async def in_room(room: Any, user: Any, token: str) -> RoomSocket:
    socket = await RoomSocket.open(room, user, token)
    await socket.joined()
    return socket


async def room_types_until_quiet(socket: RoomSocket) -> list[str]:
    seen = []
    while not await socket.nothing(0.3):
        seen.append((await socket.event())["type"])
    return seen


# --- /ws/me ---------------------------------------------------------------------------------


async def test_me_without_a_session_or_token_is_closed_4401():
    socket = MeSocket(WebsocketCommunicator(application, "/ws/me"))
    await socket.ws.connect()
    assert await socket.closed_with() == 4401


async def test_me_starts_with_ready_and_takes_no_frames():
    user, token = await person("ann")
    socket = await MeSocket.open(token)
    assert await socket.event() == {"type": "ready", "user_id": user.pk}
    await socket.ws.send_to(text_data='{"type": "read"}')
    assert await socket.closed_with() == 4400


async def test_me_closes_4401_once_its_token_is_revoked():
    user, token = await person("ann")
    socket = await me(token)
    token_id = await sync_to_async(lambda: user.api_tokens.get().pk)()
    await sync_to_async(api_token_revoke)(user=user, token_id=token_id)
    assert await socket.closed_with() == 4401


# --- documents ------------------------------------------------------------------------------


async def test_a_documents_life_reaches_everyone_with_the_room_open():
    room = await private_room()
    ann, ann_token = await member(room, Role.OWNER, username="ann")
    bob, bob_token = await member(room, Role.VIEWER, username="bob")
    sockets = [await in_room(room, ann, ann_token), await in_room(room, bob, bob_token)]
    for socket in sockets:
        await room_types_until_quiet(socket)

    document = await sync_to_async(document_create)(
        actor=ann, room_id=room.pk, title="Plan", kind=DocumentKind.TEXT
    )
    for socket in sockets:
        created = (await socket.next_of("document.created"))["document"]
        assert (created["id"], created["title"], created["kind"]) == (
            str(document.pk),
            "Plan",
            "text",
        )
        assert created["room"] == str(room.pk)
        assert created["created_by"]["username"] == "ann"

    await sync_to_async(document_rename)(actor=ann, document_id=document.pk, title="Roadmap")
    for socket in sockets:
        assert (await socket.next_of("document.updated"))["document"]["title"] == "Roadmap"

    await sync_to_async(document_set_locked)(actor=ann, document_id=document.pk, locked=True)
    for socket in sockets:
        updated = (await socket.next_of("document.updated"))["document"]
        assert updated["is_locked"] is True
        assert updated["locked_by"]["username"] == "ann"

    await sync_to_async(document_delete)(actor=ann, document_id=document.pk)
    for socket in sockets:
        assert await socket.next_of("document.deleted") == {
            "type": "document.deleted",
            "room": str(room.pk),
            "document": {"id": str(document.pk), "kind": "text"},
        }
        await socket.close()


async def test_who_may_not_see_a_room_gets_none_of_its_events():
    room, elsewhere = await private_room(), await private_room()
    ann, _ = await member(room, Role.OWNER, username="ann")
    bob, _ = await member(room, Role.EDITOR, username="bob")
    cat, cat_token = await member(elsewhere, Role.OWNER, username="cat")
    cat_room_socket = await in_room(elsewhere, cat, cat_token)
    cat_me = await me(cat_token)
    await room_types_until_quiet(cat_room_socket)

    document = await sync_to_async(document_create)(
        actor=ann, room_id=room.pk, title="Secret", kind=DocumentKind.WHITEBOARD
    )
    await sync_to_async(document_rename)(actor=ann, document_id=document.pk, title="Still secret")
    await sync_to_async(member_change_role)(
        actor=ann, room_id=room.pk, user_id=bob.pk, role=Role.VIEWER
    )
    await sync_to_async(message_send)(actor=ann, room_id=room.pk, body="hush")
    await sync_to_async(member_remove)(actor=ann, room_id=room.pk, user_id=bob.pk)
    await sync_to_async(room_set_archived)(actor=ann, room_id=room.pk, archived=True)

    assert await room_types_until_quiet(cat_room_socket) == []
    assert await cat_me.types_until_quiet() == []
    # And a socket of the room is refused to them, as before.
    refused = RoomSocket(
        WebsocketCommunicator(application, f"/ws/rooms/{room.pk}?token={cat_token}"), cat
    )
    await refused.ws.connect()
    assert await refused.closed_with() == 4404
    await cat_room_socket.close()
    await cat_me.close()


# --- members and rooms ----------------------------------------------------------------------


async def test_a_member_added_appears_in_the_room_and_in_their_room_list():
    room = await private_room(name="Design")
    ann, ann_token = await member(room, Role.OWNER, username="ann")
    _, bob_token = await person("bob")
    ann_socket = await in_room(room, ann, ann_token)
    bob_me = await me(bob_token)

    await sync_to_async(member_add)(actor=ann, room_id=room.pk, username="bob", role=Role.EDITOR)

    joined = await ann_socket.next_of("member.joined")
    assert joined["room"] == str(room.pk)
    assert (joined["member"]["user"]["username"], joined["member"]["role"]) == ("bob", "editor")
    listed = (await bob_me.next_of("room.joined"))["room"]
    assert (listed["id"], listed["name"], listed["role"]) == (str(room.pk), "Design", "editor")
    assert (listed["member_count"], listed["unread_count"]) == (2, 0)
    await ann_socket.close()
    await bob_me.close()


async def test_joining_a_public_room_and_a_share_that_lets_someone_in_are_joins_too():
    public = await sync_to_async(RoomFactory)(is_public=True)
    private = await private_room()
    ann, ann_token = await member(public, Role.OWNER, username="ann")
    await sync_to_async(MembershipFactory)(room=private, user=ann, role=Role.OWNER)
    document = await sync_to_async(document_create)(
        actor=ann, room_id=private.pk, title="Brief", kind=DocumentKind.TEXT
    )
    bob, bob_token = await person("bob")
    ann_socket = await in_room(public, ann, ann_token)
    bob_me = await me(bob_token)

    await sync_to_async(room_join)(actor=bob, room_id=public.pk)
    assert (await ann_socket.next_of("member.joined"))["member"]["user"]["username"] == "bob"
    assert (await bob_me.next_of("room.joined"))["room"]["id"] == str(public.pk)

    await sync_to_async(document_share)(actor=ann, document_id=document.pk, username="bob")
    listed = (await bob_me.next_of("room.joined"))["room"]
    assert (listed["id"], listed["role"]) == (str(private.pk), "viewer")
    await ann_socket.close()
    await bob_me.close()


async def test_a_room_one_creates_joins_their_room_list_in_their_other_tabs():
    ann, ann_token = await person("ann")
    ann_me = await me(ann_token)

    room = await sync_to_async(room_create)(actor=ann, name="Fresh")

    listed = (await ann_me.next_of("room.joined"))["room"]
    assert (listed["id"], listed["name"], listed["role"]) == (str(room.pk), "Fresh", "owner")
    assert (listed["member_count"], listed["unread_count"]) == (1, 0)
    await ann_me.close()


async def test_a_role_change_reaches_the_room_and_the_members_room_list():
    room = await private_room()
    ann, ann_token = await member(room, Role.OWNER, username="ann")
    bob, bob_token = await member(room, Role.EDITOR, username="bob")
    ann_socket = await in_room(room, ann, ann_token)
    bob_me = await me(bob_token)

    await sync_to_async(member_change_role)(
        actor=ann, room_id=room.pk, user_id=bob.pk, role=Role.COMMENTER
    )

    updated = await ann_socket.next_of("member.updated")
    assert (updated["member"]["user"]["id"], updated["member"]["role"]) == (bob.pk, "commenter")
    assert (await bob_me.next_of("room.updated"))["room"]["role"] == "commenter"
    await ann_socket.close()
    await bob_me.close()


async def test_a_member_removed_sees_the_room_leave_their_list_and_no_more_of_it():
    room = await private_room()
    ann, ann_token = await member(room, Role.OWNER, username="ann")
    bob, bob_token = await member(room, Role.EDITOR, username="bob")
    ann_socket = await in_room(room, ann, ann_token)
    bob_socket = await in_room(room, bob, bob_token)
    bob_me = await me(bob_token)
    await room_types_until_quiet(bob_socket)

    await sync_to_async(member_remove)(actor=ann, room_id=room.pk, user_id=bob.pk)

    assert (await ann_socket.next_of("member.left"))["user"]["username"] == "bob"
    assert await bob_me.next_of("room.left") == {"type": "room.left", "room": str(room.pk)}
    # Their socket of the room closes before anything published after the removal reaches it.
    await sync_to_async(document_create)(
        actor=ann, room_id=room.pk, title="After", kind=DocumentKind.TEXT
    )
    seen = []
    while True:
        output = await bob_socket.ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            assert output["code"] == 4403
            break
        seen.append(json.loads(output["text"])["type"])
    assert "document.created" not in seen and "member.left" not in seen
    await ann_socket.close()
    await bob_me.close()


async def test_archiving_a_room_updates_every_members_list_and_deleting_it_removes_it():
    room = await private_room()
    ann, ann_token = await member(room, Role.OWNER, username="ann")
    _, bob_token = await member(room, Role.VIEWER, username="bob")
    ann_me, bob_me = await me(ann_token), await me(bob_token)

    await sync_to_async(room_set_archived)(actor=ann, room_id=room.pk, archived=True)
    for socket, role in ((ann_me, "owner"), (bob_me, "viewer")):
        listed = (await socket.next_of("room.updated"))["room"]
        assert (listed["id"], listed["is_archived"], listed["role"]) == (str(room.pk), True, role)

    await sync_to_async(room_delete)(actor=ann, room_id=room.pk)
    for socket in (ann_me, bob_me):
        assert (await socket.next_of("room.left"))["room"] == str(room.pk)
        await socket.close()


# --- unread counts --------------------------------------------------------------------------


async def test_the_unread_count_of_a_room_follows_messages_and_reading():
    room = await private_room()
    ann, ann_token = await member(room, Role.EDITOR, username="ann")
    bob, bob_token = await member(room, Role.EDITOR, username="bob")
    ann_me, bob_me = await me(ann_token), await me(bob_token)
    bob_room_page = await in_room(room, bob, bob_token)
    await room_types_until_quiet(bob_room_page)

    first, _ = await sync_to_async(message_send)(actor=ann, room_id=room.pk, body="one")
    await sync_to_async(message_send)(actor=ann, room_id=room.pk, body="two")
    assert await bob_me.next_of("room.unread") == {
        "type": "room.unread",
        "room": str(room.pk),
        "count": 1,
    }
    assert (await bob_me.next_of("room.unread"))["count"] == 2
    assert await ann_me.types_until_quiet() == []  # their own messages never count

    await sync_to_async(message_delete)(actor=ann, room_id=room.pk, message_id=first.pk)
    assert (await bob_me.next_of("room.unread"))["count"] == 1

    await sync_to_async(read_state_mark)(actor=bob, room_id=room.pk)
    assert (await bob_me.next_of("room.unread"))["count"] == 0
    # A room page shows none of the room list's events.
    seen = await room_types_until_quiet(bob_room_page)
    assert "room.unread" not in seen and "message.new" in seen
    await bob_room_page.close()
    await ann_me.close()
    await bob_me.close()
