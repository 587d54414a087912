"""``document_grants``: what many document sockets may do, read together in a fixed number of
queries, each grant what ``document_access`` and ``can_edit_document`` decide for it alone."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from rooms.accounts.models import Profile
from rooms.documents.permissions import can_edit_document
from rooms.documents.selectors import document_access, document_grants
from rooms.membership.models import Role
from tests.factories import DocumentFactory, MembershipFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_many_users_and_documents_in_four_queries(django_assert_num_queries):
    private, public, archived = RoomFactory(), RoomFactory(is_public=True), RoomFactory()
    archived.is_archived = True
    archived.save()
    owner, editor, viewer, outsider = (UserFactory() for _ in range(4))
    Profile.objects.filter(user=editor).update(display_name="Ed", color="#123456")
    for user, role in ((owner, Role.OWNER), (editor, Role.EDITOR), (viewer, Role.VIEWER)):
        MembershipFactory(room=private, user=user, role=role)
    MembershipFactory(room=archived, user=editor, role=Role.EDITOR)
    notes, locked = DocumentFactory(room=private), DocumentFactory(room=private)
    locked.is_locked, locked.locked_at, locked.locked_by = True, timezone.now(), owner
    locked.save()
    open_to_all, shelved = DocumentFactory(room=public), DocumentFactory(room=archived)
    deleted = RoomFactory()
    MembershipFactory(room=deleted, user=editor)
    hidden = DocumentFactory(room=deleted)
    deleted.deleted_at = timezone.now()
    deleted.save()
    missing = uuid.uuid4()
    asked = {
        *((user, doc.pk) for user in (owner, editor, viewer) for doc in (notes, locked)),
        (outsider, open_to_all.pk),  # a public room's document reads to everyone
        (outsider, notes.pk),  # a private room's does not
        (editor, shelved.pk),  # read-only in an archived room
        (editor, hidden.pk),  # nothing in a deleted room
        (editor, missing),  # no such document
    }

    with django_assert_num_queries(4):  # documents, memberships, public rooms, profiles
        found = document_grants(users_documents=asked)

    assert set(found) == asked - {(outsider, notes.pk), (editor, hidden.pk), (editor, missing)}
    for (user, document_id), grant in found.items():
        document, access = document_access(user=user, document_id=document_id)
        assert grant.document == document
        assert grant.can_write == can_edit_document(access, document)
    writers = {(user, doc) for (user, doc), grant in found.items() if grant.can_write}
    assert writers == {(owner, notes.pk), (editor, notes.pk), (owner, locked.pk)}
    assert found[editor, notes.pk].identity == {"name": "Ed", "color": "#123456"}
    viewer_profile = Profile.objects.get(user=viewer)
    assert found[viewer, notes.pk].identity == {
        "name": viewer.get_username(),
        "color": viewer_profile.color,
    }


def test_a_user_without_a_profile_still_gets_a_name_and_colour():
    room, user = RoomFactory(), UserFactory()
    MembershipFactory(room=room, user=user, role=Role.EDITOR)
    document = DocumentFactory(room=room)
    Profile.objects.filter(user=user).delete()

    grant = document_grants(users_documents={(user, document.pk)})[user, document.pk]

    assert grant.identity["name"] == user.get_username()
    assert grant.identity["color"].startswith("#")


def test_nothing_asked_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert document_grants(users_documents=set()) == {}
