"""Comments on the room socket, through the real ASGI stack: a thread opened, replied to,
resolved or reacted to over one socket (or REST) reaches every socket of the room at once,
each event checked against its schema; refused commands get the ``error`` event, the socket
stays open."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from rooms.comments.models import CommentThread
from rooms.documents.models import DocumentKind
from rooms.membership.models import Role
from tests.factories import DocumentFactory
from tests.rooms.comment_anchors import text_anchor
from tests.rooms.test_room_consumer import RoomSocket, member, new_room

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def _document_with_text(room, owner):
    document = DocumentFactory(room=room, kind=DocumentKind.TEXT)
    return document, text_anchor(document, owner)


async def _open(room, user, token) -> RoomSocket:
    socket = await RoomSocket.open(room, user, token)
    await socket.joined()
    return socket


async def _setup():
    room = await new_room(is_public=False)
    owner, owner_token = await member(room, Role.OWNER, username="olga")
    commenter, commenter_token = await member(room, Role.COMMENTER, username="carl")
    viewer, viewer_token = await member(room, Role.VIEWER, username="vera")
    document, anchor = await _document_with_text(room, owner)
    sockets = {
        "owner": await _open(room, owner, owner_token),
        "commenter": await _open(room, commenter, commenter_token),
        "viewer": await _open(room, viewer, viewer_token),
    }
    return room, document, anchor, sockets


async def test_a_thread_and_its_changes_reach_every_socket_of_the_room_at_once():
    _, document, anchor, sockets = await _setup()
    await sockets["commenter"].send(
        type="comment_thread.create", document=str(document.pk), anchor=anchor, body="Why?"
    )
    created = [await socket.next_of("comment_thread.created") for socket in sockets.values()]
    thread = created[0]["thread"]
    assert all(event == created[0] for event in created)
    assert thread["anchor"] == anchor
    assert [c["body"] for c in thread["comments"]] == ["Why?"]

    await sockets["owner"].send(
        type="comment.reply", document=str(document.pk), thread=thread["id"], body="Because."
    )
    for socket in sockets.values():
        event = await socket.next_of("comment.created")
        assert [c["body"] for c in event["thread"]["comments"]] == ["Why?", "Because."]
    await sockets["commenter"].send(
        type="comment_thread.resolve", document=str(document.pk), thread=thread["id"]
    )
    for socket in sockets.values():
        event = await socket.next_of("comment_thread.resolved")
        assert event["thread"]["resolved"] is True
        assert event["thread"]["resolved_by"]["username"] == "carl"
    for socket in sockets.values():
        await socket.close()


async def test_refused_comment_commands_get_the_error_event_and_the_socket_stays_open():
    _, document, anchor, sockets = await _setup()
    viewer, commenter = sockets["viewer"], sockets["commenter"]
    on = {"document": str(document.pk)}

    await viewer.send(type="comment_thread.create", anchor=anchor, body="hi", client_id="v1", **on)
    assert await viewer.next_of("error") == {
        "type": "error",
        "code": "permission_denied",
        "detail": "Only commenters, editors and owners may comment.",
        "client_id": "v1",
    }
    cases = [
        ({"type": "comment.reply", "thread": 99999, "body": "hi", **on}, "thread_not_found"),
        (
            {"type": "comment_thread.create", "anchor": {**anchor, "start": "??"}, "body": "x"},
            "invalid_anchor",
        ),
        (
            {"type": "comment_thread.create", "anchor": {**anchor, "end": "AGQAAA=="}, "body": "x"},
            "anchor_outside_document",
        ),
        ({"type": "comment_thread.create", "anchor": anchor, "body": "x" * 5001}, "max_length"),
        ({"type": "comment.reply", "thread": "one", "body": "hi", **on}, "invalid_frame"),
        ({"type": "comment_thread.create", "anchor": "here", "body": "hi", **on}, "invalid_frame"),
        (
            {"type": "comment.reply", "thread": 1, "body": "hi", "document": "nope"},
            "document_not_found",
        ),
    ]
    for frame, code in cases:
        await commenter.send(**{**on, **frame})
        error = await commenter.next_of("error")
        assert error["code"] == code, (frame, error)
    # Still open, and nothing was stored or sent to anyone.
    assert await sync_to_async(CommentThread.objects.count)() == 0
    await commenter.send(type="comment_thread.create", anchor=anchor, body="fine", **on)
    assert (await sockets["owner"].next_of("comment_thread.created"))["thread"]["comments"][0][
        "body"
    ] == "fine"
    for socket in sockets.values():
        await socket.close()


async def test_a_document_of_another_room_is_not_found_on_this_rooms_socket():
    room, _, _, sockets = await _setup()
    elsewhere = await new_room(is_public=False)
    other_owner = await sync_to_async(lambda: room.memberships.get(role=Role.OWNER).user)()
    await sync_to_async(elsewhere.memberships.create)(user=other_owner, role=Role.OWNER)
    foreign, foreign_anchor = await _document_with_text(elsewhere, other_owner)

    await sockets["owner"].send(
        type="comment_thread.create", document=str(foreign.pk), anchor=foreign_anchor, body="x"
    )
    assert (await sockets["owner"].next_of("error"))["code"] == "document_not_found"
    for socket in sockets.values():
        await socket.close()
