"""Keeping every list a person sees live: receivers of the domain's signals that publish what
changed once it commits (connected in ``rooms.subscriptions``).

To the room's group (``rooms.core.live_events.publish``), for everyone with the room open:
``document.created``, ``document.updated``, ``document.deleted``, ``member.joined``,
``member.updated``, ``member.left``. To one person's group (``publish_to_user``), for their room
list (``/ws/me``) wherever they are: ``room.joined``, ``room.updated``, ``room.left`` and
``room.unread``. Each is built from the payload the REST API returns for the same thing."""

from __future__ import annotations

from typing import Any

from rooms.chat.events import room_unread_event
from rooms.chat.models import Message, MessageKind
from rooms.chat.selectors import unread_counts, unread_counts_of
from rooms.core.live_events import publish, publish_to_user, publish_to_users
from rooms.documents.events import document_deleted_event, document_event
from rooms.documents.models import Document
from rooms.membership.events import member_event, member_left_event, room_event, room_left_event
from rooms.membership.models import Membership, Room
from rooms.membership.payloads import room_payload
from rooms.membership.selectors import rooms_visible_to


def _room_as_seen_by(event_type: str, user: Any, room_id: Any) -> list[dict[str, Any]]:
    """``room.joined`` or ``room.updated`` as ``user`` sees the room now; none once they are
    no longer a member (a later change won the race)."""
    role = Membership.objects.filter(user=user, room_id=room_id).values_list("role", flat=True)
    room = rooms_visible_to(user=user).filter(pk=room_id).first()
    if room is None or not role:
        return []
    unread = unread_counts(user=user, room_ids=[room_id]).get(room.pk, 0)
    payload = room_payload(
        room,
        role=role[0],
        member_count=room.member_count,  # type: ignore[attr-defined]
        unread_count=unread,
    )
    return [room_event(event_type, payload)]


def _member_joined(membership: Membership) -> None:
    publish(membership.room_id, member_event("member.joined", membership))
    user, room_id = membership.user, membership.room_id
    publish_to_user(user.pk, lambda: _room_as_seen_by("room.joined", user, room_id))


# --- documents -----------------------------------------------------------------------------


def on_document_created(sender: Any, *, document: Document, **kwargs: Any) -> None:
    publish(document.room_id, document_event("document.created", document))


def on_document_changed(sender: Any, *, document: Document, **kwargs: Any) -> None:
    publish(document.room_id, document_event("document.updated", document))


def on_document_deleted(
    sender: Any, *, document_id: Any, room_id: Any, kind: str, **kwargs: Any
) -> None:
    publish(room_id, document_deleted_event(document_id=document_id, room_id=room_id, kind=kind))


def on_document_shared(
    sender: Any, *, document: Document, user: Any, added_to_room: bool, **kwargs: Any
) -> None:
    """A share that let someone into the room is their joining, as far as lists go. Returns
    ``None``: it tells nobody about the share (``document_share`` counts those that do)."""
    if added_to_room:
        _member_joined(Membership.objects.get(room_id=document.room_id, user=user))


# --- members and rooms ---------------------------------------------------------------------


def on_member_joined(sender: Any, *, membership: Membership, **kwargs: Any) -> None:
    _member_joined(membership)


def on_room_created(sender: Any, *, room: Room, by: Any, **kwargs: Any) -> None:
    """The creator's other tabs list their new room too."""
    room_id = room.pk
    publish_to_user(by.pk, lambda: _room_as_seen_by("room.joined", by, room_id))


def on_member_role_changed(sender: Any, *, membership: Membership, **kwargs: Any) -> None:
    publish(membership.room_id, member_event("member.updated", membership))
    user, room_id = membership.user, membership.room_id
    publish_to_user(user.pk, lambda: _room_as_seen_by("room.updated", user, room_id))


def on_member_left(sender: Any, *, membership: Membership, **kwargs: Any) -> None:
    publish(membership.room_id, member_left_event(room_id=membership.room_id, user=membership.user))
    room_id = membership.room_id
    publish_to_user(membership.user_id, lambda: [room_left_event(room_id=room_id)])


def _members_of(room_id: Any) -> list[tuple[int, int, str]]:
    """(membership id, user id, role) of every member of a room."""
    return list(Membership.objects.filter(room_id=room_id).values_list("pk", "user_id", "role"))


def on_room_changed(sender: Any, *, room: Room, **kwargs: Any) -> None:
    """Renamed, archived, restored: every member's room list shows it anew."""
    room_id = room.pk

    def build() -> list[tuple[Any, dict[str, Any]]]:
        fresh = Room.objects.filter(pk=room_id, deleted_at=None).first()
        if fresh is None:
            return []
        members = _members_of(room_id)
        unread = unread_counts_of(membership_ids=[pk for pk, _, _ in members])
        return [
            (
                user_id,
                room_event(
                    "room.updated",
                    room_payload(
                        fresh,
                        role=role,
                        member_count=len(members),
                        unread_count=unread.get(pk, 0),
                    ),
                ),
            )
            for pk, user_id, role in members
        ]

    publish_to_users(build)


def on_room_deleted(sender: Any, *, room: Room, **kwargs: Any) -> None:
    room_id = room.pk
    publish_to_users(
        lambda: [
            (user_id, room_left_event(room_id=room_id)) for _, user_id, _ in _members_of(room_id)
        ]
    )


# --- unread counts -------------------------------------------------------------------------


def _publish_unread_of_others(message: Message) -> None:
    """Every other member's unread count in the message's room, after it commits: one query
    for all of them, and one event each (a member's count is theirs alone)."""
    if message.kind == MessageKind.SYSTEM:  # never counted
        return
    room_id, author_id = message.room_id, message.author_id

    def build() -> list[tuple[Any, dict[str, Any]]]:
        members = [m for m in _members_of(room_id) if m[1] != author_id]
        unread = unread_counts_of(membership_ids=[pk for pk, _, _ in members])
        return [
            (user_id, room_unread_event(room_id=room_id, count=unread.get(pk, 0)))
            for pk, user_id, _ in members
        ]

    publish_to_users(build)


def on_message_posted(sender: Any, *, message: Message, **kwargs: Any) -> None:
    _publish_unread_of_others(message)


def on_message_deleted(sender: Any, *, message: Message, **kwargs: Any) -> None:
    _publish_unread_of_others(message)
