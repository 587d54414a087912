"""The pages around the room: the access answer an open document polls, the room settings
page, the room list, and the service worker served from the site's root."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from collab import service_worker
from rooms.membership.models import Membership, Role
from tests.factories import (
    DocumentFactory,
    InviteFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS_CONTEXT = re.compile(
    r'<script id="settings-context" type="application/json">(.*?)</script>', re.S
)


def access_url(document) -> str:
    return reverse("room-document-access", args=[document.room_id, document.pk])


def test_the_access_answer_follows_a_role_change_at_once(client):
    document = DocumentFactory()
    user = UserFactory()
    membership = MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    client.force_login(user)

    before = client.get(access_url(document))
    Membership.objects.filter(pk=membership.pk).update(role=Role.VIEWER)
    after = client.get(access_url(document))

    assert before.json() == {
        "canWrite": True,
        "role": "editor",
        "isLocked": False,
        "isArchived": False,
    }
    assert after.json() == {
        "canWrite": False,
        "role": "viewer",
        "isLocked": False,
        "isArchived": False,
    }
    assert "no-cache" in after["Cache-Control"]


def test_the_access_answer_says_a_locked_document_is_read_only_to_an_editor(client):
    document = DocumentFactory(is_locked=True, locked_at=timezone.now())
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    client.force_login(user)

    assert client.get(access_url(document)).json()["canWrite"] is False


def test_the_access_answer_is_401_signed_out_and_404_for_an_outsider(client):
    document = DocumentFactory(room=RoomFactory(is_public=False))

    assert client.get(access_url(document)).status_code == 401
    client.force_login(UserFactory())
    response = client.get(access_url(document))
    assert response.status_code == 404
    assert response.json()["code"]


def test_the_access_answer_is_404_under_another_room(client):
    document = DocumentFactory()
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.OWNER)
    other = RoomFactory()
    client.force_login(user)

    url = reverse("room-document-access", args=[other.pk, document.pk])
    assert client.get(url).status_code == 404


def test_owners_get_the_settings_page_with_its_context(client):
    room = RoomFactory(name="Ops")
    locked = DocumentFactory(room=room, title="Runbook", is_locked=True, locked_at=timezone.now())
    owner = UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    client.force_login(owner)

    response = client.get(reverse("room-settings", args=[room.pk]))

    assert response.status_code == 200
    match = SETTINGS_CONTEXT.search(response.content.decode())
    assert match
    context = json.loads(match.group(1))
    assert context["room"]["id"] == str(room.pk)
    assert context["user"] == {"id": owner.pk}
    assert [(d["title"], d["isLocked"], d["canManage"]) for d in context["documents"]] == [
        ("Runbook", True, True)
    ]
    assert context["urls"]["members"] == f"/api/v1/rooms/{room.pk}/members"
    assert context["urls"]["invitePage"] == "/invite/TOKEN/"
    assert context["csrfToken"]
    assert str(locked.pk) in response.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_others_are_sent_back_to_the_room_from_the_settings_page(client, role):
    room = RoomFactory()
    user = UserFactory()
    MembershipFactory(room=room, user=user, role=role)
    client.force_login(user)

    response = client.get(reverse("room-settings", args=[room.pk]), follow=True)

    assert response.redirect_chain == [(reverse("room-detail", args=[room.pk]), 302)]
    assert "Only the room&#x27;s owners can change its settings." in response.content.decode()


def test_the_room_page_links_to_the_settings_for_owners_only(client):
    room = RoomFactory()
    owner, editor = UserFactory(), UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    MembershipFactory(room=room, user=editor, role=Role.EDITOR)
    settings_url = reverse("room-settings", args=[room.pk])

    client.force_login(owner)
    assert settings_url in client.get(reverse("room-detail", args=[room.pk])).content.decode()
    client.force_login(editor)
    assert settings_url not in client.get(reverse("room-detail", args=[room.pk])).content.decode()


def test_the_room_list_shows_my_rooms_public_rooms_to_join_and_my_archived_rooms(client):
    me = UserFactory()
    mine = RoomFactory(name="Mine")
    MembershipFactory(room=mine, user=me, role=Role.OWNER)
    public = RoomFactory(name="Open house", is_public=True)
    archived = RoomFactory(name="Old project", is_archived=True, archived_at=timezone.now())
    MembershipFactory(room=archived, user=me, role=Role.EDITOR)
    RoomFactory(name="Secret", is_public=False)
    client.force_login(me)

    page = client.get(reverse("room-list")).content.decode()

    assert "Mine" in page and "Owner ·" in page
    assert f'data-unread-room="{mine.pk}"' in page
    assert reverse("room-join-page", args=[public.pk]) in page
    assert 'aria-label="Join Open house"' in page
    assert "Old project" in page and "Archived · read-only" in page
    assert "Secret" not in page


def test_the_service_worker_is_served_from_the_root_with_its_scope(client, tmp_path, monkeypatch):
    built = tmp_path / "sw.js"
    built.write_text("self.addEventListener('fetch', () => {});")
    monkeypatch.setattr(service_worker, "worker_path", lambda: built)

    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response.content == built.read_bytes()


def test_the_service_worker_is_404_while_the_app_is_not_built(client, monkeypatch):
    monkeypatch.setattr(service_worker, "worker_path", lambda: None)

    assert client.get("/sw.js").status_code == 404


def test_owners_choose_on_the_settings_page_who_joins_as_what_and_who_invites(client):
    room = RoomFactory(is_public=True)
    owner = UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    client.force_login(owner)
    settings_url = reverse("room-settings", args=[room.pk])

    page = client.get(settings_url).content.decode()
    assert '<option value="viewer" selected>Viewer</option>' in page
    assert '<option value="owner" selected>Owners only</option>' in page

    saved = client.post(
        settings_url, {"join_role": "commenter", "invite_min_role": "editor"}, follow=True
    )

    room.refresh_from_db()
    assert (room.join_role, room.invite_min_role) == ("commenter", "editor")
    assert "Saved who joins as what and who may invite." in saved.content.decode()
    joiner = UserFactory()
    client.force_login(joiner)
    client.post(reverse("room-join-page", args=[room.pk]))
    assert Membership.objects.get(room=room, user=joiner).role == Role.COMMENTER


def test_the_settings_page_refuses_an_owner_join_role_and_a_non_owner(client):
    room = RoomFactory(is_public=True)
    owner, editor = UserFactory(), UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    MembershipFactory(room=room, user=editor, role=Role.EDITOR)
    settings_url = reverse("room-settings", args=[room.pk])

    client.force_login(owner)
    refused = client.post(settings_url, {"join_role": "owner", "invite_min_role": "owner"})
    client.force_login(editor)
    client.post(settings_url, {"join_role": "editor", "invite_min_role": "editor"})

    assert refused.status_code == 200
    assert list(refused.context["access_form"].errors) == ["join_role"]
    room.refresh_from_db()
    assert (room.join_role, room.invite_min_role) == ("viewer", "owner")


def test_the_join_button_of_an_archived_public_room_says_why_and_joins_no_one(client):
    room = RoomFactory(is_public=True, is_archived=True, archived_at=timezone.now())
    joiner = UserFactory()
    client.force_login(joiner)

    response = client.post(reverse("room-join-page", args=[room.pk]), follow=True)

    assert "The room is archived and read-only." in response.content.decode()
    assert not Membership.objects.filter(room=room, user=joiner).exists()


def test_the_admin_edits_a_rooms_join_and_invite_roles(client):
    room = RoomFactory(is_public=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:rooms_room_change", args=[room.pk])).content.decode()

    assert 'name="join_role"' in page and 'name="invite_min_role"' in page


@pytest.mark.parametrize(
    ("role", "phrase"),
    [
        (Role.EDITOR, "an <strong>editor</strong>"),
        (Role.OWNER, "an <strong>owner</strong>"),
        (Role.VIEWER, "a <strong>viewer</strong>"),
        (Role.COMMENTER, "a <strong>commenter</strong>"),
    ],
)
def test_the_invite_page_puts_the_right_article_before_the_role(client, role, phrase):
    invite = InviteFactory(role=role)
    client.force_login(UserFactory())

    page = client.get(reverse("invite", args=[invite.token])).content.decode()

    assert f"This invitation makes you {phrase} of the room." in page
