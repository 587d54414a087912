"""The notifications REST API, the room mute preference and document sharing, with their
errors (``{"detail", "code"}``)."""

from __future__ import annotations

import pytest

from rooms.chat.models import Message
from rooms.membership.models import Membership, Role
from rooms.notifications.models import Notification
from rooms.notifications.services.notifications import notify
from tests.conftest import client_for
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _room(*names: str, roles: dict[str, Role] | None = None, public: bool = False):
    room = RoomFactory(is_public=public, name="Design")
    users = {}
    for name in names:
        users[name] = UserFactory(username=name)
        role = (roles or {}).get(name, Role.EDITOR)
        MembershipFactory(room=room, user=users[name], role=role)
    return room, users


def _mentions(room, user, actor, count: int) -> list[Notification]:
    made = []
    for _ in range(count):
        notification = notify(
            user=user,
            kind="mention",
            message=MessageFactory(room=room, author=actor),
            actor=actor,
        )
        assert notification is not None
        made.append(notification)
    return made


# --- listing ---------------------------------------------------------------------------


def test_the_list_is_newest_first_cursor_paginated_with_the_unread_count():
    room, users = _room("ann", "bob")
    made = _mentions(room, users["ann"], users["bob"], 3)
    _mentions(room, users["bob"], users["ann"], 1)  # someone else's
    api = client_for(users["ann"])
    first = api.get("/api/v1/notifications?page_size=2").json()
    assert [n["id"] for n in first["results"]] == [made[2].pk, made[1].pk]
    assert first["unread_count"] == 3
    second = api.get(first["next"]).json()
    assert [n["id"] for n in second["results"]] == [made[0].pk]
    assert second["next"] is None
    shown = first["results"][0]
    assert shown["kind"] == "mention"
    assert shown["actor"]["username"] == "bob"
    assert shown["room"] == {"id": str(room.pk), "name": "Design"}
    assert shown["url"] == f"/rooms/{room.pk}/#message-{made[2].message_id}"


def test_the_unread_filter_and_the_unread_count():
    room, users = _room("ann", "bob")
    made = _mentions(room, users["ann"], users["bob"], 2)
    api = client_for(users["ann"])
    response = api.patch(f"/api/v1/notifications/{made[0].pk}", {"read": True}, format="json")
    assert response.status_code == 200
    listed = api.get("/api/v1/notifications?unread=true").json()
    assert [n["id"] for n in listed["results"]] == [made[1].pk]
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread_count": 1}


@pytest.mark.parametrize(
    ("query", "field"),
    [("unread=maybe", "unread"), ("page_size=0", "page_size"), ("page=2", "page")],
)
def test_a_bad_list_query_is_400_naming_the_field(query, field):
    _, users = _room("ann")
    response = client_for(users["ann"]).get(f"/api/v1/notifications?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/notifications",
        "/api/v1/notifications/unread-count",
    ],
)
def test_anonymous_callers_are_refused(path, api):
    response = api.get(path)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"detail", "code"}


# --- marking read ----------------------------------------------------------------------


def test_marking_one_read_returns_it_read():
    room, users = _room("ann", "bob")
    (notification,) = _mentions(room, users["ann"], users["bob"], 1)
    response = client_for(users["ann"]).patch(
        f"/api/v1/notifications/{notification.pk}", {"read": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["read_at"] is not None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"read": False}, "read", "invalid_choice"),
        ({}, "read", "required"),
        ({"read": True, "colour": "red"}, "colour", "unknown_field"),
    ],
)
def test_a_bad_mark_read_body_is_400(body, field, code):
    room, users = _room("ann", "bob")
    (notification,) = _mentions(room, users["ann"], users["bob"], 1)
    response = client_for(users["ann"]).patch(
        f"/api/v1/notifications/{notification.pk}", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_marking_someone_elses_notification_is_404():
    room, users = _room("ann", "bob")
    (theirs,) = _mentions(room, users["bob"], users["ann"], 1)
    response = client_for(users["ann"]).patch(
        f"/api/v1/notifications/{theirs.pk}", {"read": True}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No such notification.", "code": "notification_not_found"}


def test_read_all_marks_every_unread_one():
    room, users = _room("ann", "bob")
    _mentions(room, users["ann"], users["bob"], 3)
    api = client_for(users["ann"])
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 3, "unread_count": 0}
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 0, "unread_count": 0}


# --- preferences -----------------------------------------------------------------------


def test_muting_a_room_stops_its_notifications():
    room, users = _room("ann", "bob")
    api = client_for(users["ann"])
    response = api.patch(f"/api/v1/rooms/{room.pk}/membership", {"muted": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {"room": str(room.pk), "role": "editor", "muted": True}
    client_for(users["bob"]).post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "hey @ann"}, format="json"
    )
    assert Notification.objects.filter(user=users["ann"]).count() == 0
    api.patch(f"/api/v1/rooms/{room.pk}/membership", {"muted": False}, format="json")
    client_for(users["bob"]).post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "again @ann"}, format="json"
    )
    assert Notification.objects.filter(user=users["ann"]).count() == 1


def test_muting_a_public_room_one_is_not_in_is_404_not_a_member():
    room, _ = _room("bob", public=True)
    outsider = UserFactory()
    response = client_for(outsider).patch(
        f"/api/v1/rooms/{room.pk}/membership", {"muted": True}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_a_member"


def test_muting_a_private_room_one_cannot_see_is_404_room_not_found():
    room, _ = _room("bob")
    response = client_for(UserFactory()).patch(
        f"/api/v1/rooms/{room.pk}/membership", {"muted": True}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "room_not_found"


@pytest.mark.parametrize("body", [{}, {"muted": "sometimes"}, {"muted": True, "role": "owner"}])
def test_a_bad_mute_body_is_400_and_changes_nothing(body):
    room, users = _room("ann")
    response = client_for(users["ann"]).patch(
        f"/api/v1/rooms/{room.pk}/membership", body, format="json"
    )
    assert response.status_code == 400
    assert Membership.objects.get(room=room, user=users["ann"]).role == Role.EDITOR
    assert Membership.objects.get(room=room, user=users["ann"]).muted is False


def test_email_notifications_are_a_profile_preference():
    user = UserFactory()
    api = client_for(user)
    response = api.patch("/api/v1/users/me", {"email_notifications": False}, format="json")
    assert response.status_code == 200
    assert response.json()["email_notifications"] is False
    user.profile.refresh_from_db()
    assert user.profile.email_notifications is False


# --- sharing a document ----------------------------------------------------------------


def test_an_editor_shares_with_a_member_who_is_notified_with_a_link():
    room, users = _room("ann", "bob", roles={"ann": Role.VIEWER})
    document = DocumentFactory(room=room, title="Plan")
    response = client_for(users["bob"]).post(
        f"/api/v1/documents/{document.pk}/share", {"username": "ANN"}, format="json"
    )
    assert response.status_code == 200
    url = f"/rooms/{room.pk}/documents/{document.pk}/"
    assert response.json() == {
        "user": {
            "id": users["ann"].pk,
            "username": "ann",
            "display_name": users["ann"].profile.name,
            "color": users["ann"].profile.color,
        },
        "notified": True,
        "added_to_room": False,
        "url": url,
    }
    notification = Notification.objects.get(user=users["ann"])
    assert (notification.kind, notification.document_id, notification.actor_id) == (
        "document_shared",
        document.pk,
        users["bob"].pk,
    )
    listed = client_for(users["ann"]).get("/api/v1/notifications").json()["results"]
    assert listed[0]["url"] == url
    assert listed[0]["document"] == {"id": str(document.pk), "title": "Plan"}


def test_sharing_again_while_unread_does_not_pile_up():
    room, users = _room("ann", "bob")
    document = DocumentFactory(room=room)
    api = client_for(users["bob"])
    api.post(f"/api/v1/documents/{document.pk}/share", {"username": "ann"}, format="json")
    again = api.post(f"/api/v1/documents/{document.pk}/share", {"username": "ann"}, format="json")
    assert again.json()["notified"] is False
    assert Notification.objects.filter(user=users["ann"]).count() == 1


def test_an_owner_shares_with_an_outsider_who_joins_as_a_viewer():
    room, users = _room("owner", roles={"owner": Role.OWNER})
    outsider = UserFactory(username="zed")
    document = DocumentFactory(room=room)
    response = client_for(users["owner"]).post(
        f"/api/v1/documents/{document.pk}/share", {"username": "zed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["added_to_room"] is True
    assert Membership.objects.get(room=room, user=outsider).role == Role.VIEWER
    # One notification (the share), not an invite as well; the join is in the chat.
    assert list(Notification.objects.filter(user=outsider).values_list("kind", flat=True)) == [
        "document_shared"
    ]
    assert Message.objects.filter(room=room, kind="system").exists()


def test_an_editor_cannot_share_with_an_outsider_of_a_private_room():
    room, users = _room("bob")
    outsider = UserFactory(username="zed")
    document = DocumentFactory(room=room)
    response = client_for(users["bob"]).post(
        f"/api/v1/documents/{document.pk}/share", {"username": "zed"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "share_needs_owner"
    assert not Membership.objects.filter(room=room, user=outsider).exists()
    assert not Notification.objects.filter(user=outsider).exists()


def test_an_editor_shares_a_public_rooms_document_with_anyone():
    room, users = _room("bob", public=True)
    outsider = UserFactory(username="zed")
    document = DocumentFactory(room=room)
    response = client_for(users["bob"]).post(
        f"/api/v1/documents/{document.pk}/share", {"username": "zed"}, format="json"
    )
    assert response.json()["added_to_room"] is False
    assert Notification.objects.filter(user=outsider, kind="document_shared").count() == 1


@pytest.mark.parametrize(
    ("who", "username", "status", "code"),
    [
        ("viewer", "ann", 403, "permission_denied"),
        ("commenter", "ann", 403, "permission_denied"),
        ("bob", "nobody-here", 400, "unknown_user"),
        ("bob", "bob", 400, "cannot_share_with_self"),
    ],
)
def test_share_errors(who, username, status, code):
    room, users = _room(
        "ann",
        "bob",
        "viewer",
        "commenter",
        roles={"viewer": Role.VIEWER, "commenter": Role.COMMENTER},
    )
    document = DocumentFactory(room=room)
    response = client_for(users[who]).post(
        f"/api/v1/documents/{document.pk}/share", {"username": username}, format="json"
    )
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Notification.objects.count() == 0


def test_sharing_a_document_one_cannot_see_is_404():
    room, _ = _room("bob")
    document = DocumentFactory(room=room)
    response = client_for(UserFactory()).post(
        f"/api/v1/documents/{document.pk}/share", {"username": "bob"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "document_not_found"


@pytest.mark.parametrize("body", [{}, {"username": ""}, {"username": "ann", "note": 1}, []])
def test_a_bad_share_body_is_400(body):
    room, users = _room("ann", "bob")
    document = DocumentFactory(room=room)
    response = client_for(users["bob"]).post(
        f"/api/v1/documents/{document.pk}/share", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
