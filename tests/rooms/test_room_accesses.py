"""``room_accesses``: the room access of many sockets at once, as ``room_access`` would give
each, in one or two queries; ``room_accesses_with_unread`` adds the members' unread counts
(joining sockets) in one more."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rooms.chat.selectors import room_accesses_with_unread, unread_count
from rooms.membership.models import Role
from rooms.membership.selectors import room_access, room_accesses
from tests.factories import MembershipFactory, MessageFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_many_users_and_rooms_in_three_queries(django_assert_num_queries):
    private, public, gone = RoomFactory(), RoomFactory(is_public=True), RoomFactory()
    poster = UserFactory()
    MembershipFactory(room=private, user=poster)
    readers = [UserFactory() for _ in range(3)]
    for n, reader in enumerate(readers):
        MembershipFactory(room=private, user=reader, role=Role.VIEWER)
        for _ in range(n):
            MessageFactory(room=private, author=poster)
    MembershipFactory(room=public, user=readers[0], role=Role.EDITOR)
    MembershipFactory(room=gone, user=readers[0])
    gone.deleted_at = timezone.now()
    gone.save()
    outsider = UserFactory()
    asked = {
        *((reader, private.pk) for reader in readers),
        (readers[0], public.pk),
        (outsider, public.pk),  # a public room's non-member reads it
        (outsider, private.pk),  # a private room's outsider does not
        (readers[0], gone.pk),  # nor does anyone a deleted room
    }
    with django_assert_num_queries(3):
        found = room_accesses_with_unread(users_rooms=asked)

    assert set(found) == asked - {(outsider, private.pk), (readers[0], gone.pk)}
    for (user, room_id), access in found.items():
        alone = room_access(user=user, room_id=room_id)
        assert (access.user, access.room, access.role) == (user, alone.room, alone.role)
    # Each member's unread count is the one ``unread_count`` gives alone; others read none.
    # Messages posted after each joined: 0, then 1, then 2.
    assert [found[reader, private.pk].unread for reader in readers] == [3, 3, 2]
    for reader in readers:
        access = found[reader, private.pk]
        assert access.unread == unread_count(membership=access.membership)
    assert found[outsider, public.pk].membership is None
    assert found[outsider, public.pk].unread is None


def test_members_without_unread_counts_take_one_query(django_assert_num_queries):
    room, user = RoomFactory(), UserFactory()
    MembershipFactory(room=room, user=user, role=Role.COMMENTER)
    with django_assert_num_queries(1):
        found = room_accesses(users_rooms={(user, room.pk)})
    assert (found[user, room.pk].role, found[user, room.pk].unread) == (Role.COMMENTER, None)


def test_nothing_asked_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert room_accesses(users_rooms=set()) == {}
