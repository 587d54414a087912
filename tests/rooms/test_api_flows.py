"""What the rooms API does when used as intended."""

from __future__ import annotations

from rooms.chat.models import Message
from rooms.documents.models import Document
from rooms.membership.models import Membership, Role
from tests.conftest import client_for
from tests.factories import DocumentFactory, MessageFactory, UserFactory


def test_creating_a_room_makes_the_creator_its_owner(db):
    user = UserFactory()
    response = client_for(user).post(
        "/api/v1/rooms", {"name": "Design review", "is_public": True}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["slug"], body["role"], body["member_count"]) == (
        "Design review",
        "design-review",
        "owner",
        1,
    )
    assert Membership.objects.get(room_id=body["id"], user=user).role == Role.OWNER


def test_room_slugs_stay_unique(db):
    user = UserFactory()
    first = client_for(user).post("/api/v1/rooms", {"name": "Team"}, format="json").json()
    second = client_for(user).post("/api/v1/rooms", {"name": "Team"}, format="json").json()
    assert first["slug"] == "team"
    assert second["slug"].startswith("team-") and second["slug"] != first["slug"]


def test_room_list_shows_my_rooms_and_public_ones_only(room_with_everyone):
    outsider = room_with_everyone.users["outsider"]
    client = client_for(outsider)
    mine = client.post("/api/v1/rooms", {"name": "Mine"}, format="json").json()
    public = (
        client_for(UserFactory())
        .post("/api/v1/rooms", {"name": "Open", "is_public": True}, format="json")
        .json()
    )
    listed = {room["id"]: room["role"] for room in client.get("/api/v1/rooms").json()["results"]}
    assert listed == {mine["id"]: "owner", public["id"]: None}


def test_room_with_trailing_slash_answers_too(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("viewer").get(f"/api/v1/rooms/{room.pk}/")
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


def test_owner_updates_and_archives_room(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room.pk}",
        {"name": "Renamed", "max_participants": 5, "is_archived": True},
        format="json",
    )
    body = response.json()
    assert (body["name"], body["max_participants"], body["is_archived"]) == ("Renamed", 5, True)
    assert body["archived_at"] is not None


def test_deleted_room_disappears_for_everyone(room_with_everyone):
    room = room_with_everyone.room
    assert room_with_everyone.client("owner").delete(f"/api/v1/rooms/{room.pk}").status_code == 204
    assert room_with_everyone.client("editor").get(f"/api/v1/rooms/{room.pk}").status_code == 404
    assert room.pk not in {
        r["id"] for r in room_with_everyone.client("editor").get("/api/v1/rooms").json()["results"]
    }


def test_joining_a_public_room_makes_a_viewer_by_default(room_with_everyone):
    room = room_with_everyone.room
    room.is_public = True
    room.save()
    outsider = room_with_everyone.client("outsider")

    response = outsider.post(f"/api/v1/rooms/{room.pk}/join")

    assert response.status_code == 201
    assert response.json()["role"] == "viewer"
    assert (
        outsider.post(
            f"/api/v1/rooms/{room.pk}/messages", {"body": "hi"}, format="json"
        ).status_code
        == 403
    )


def test_joining_a_public_room_gives_the_join_role_its_owner_chose(room_with_everyone):
    room = room_with_everyone.room
    changed = room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room.pk}", {"is_public": True, "join_role": "commenter"}, format="json"
    )
    assert (changed.status_code, changed.json()["join_role"]) == (200, "commenter")

    response = room_with_everyone.client("outsider").post(f"/api/v1/rooms/{room.pk}/join")

    assert (response.status_code, response.json()["role"]) == (201, "commenter")


def test_a_room_is_created_with_viewer_joins_and_owner_invites_unless_told_otherwise(db):
    client = client_for(UserFactory())
    plain = client.post("/api/v1/rooms", {"name": "Plain"}, format="json").json()
    chosen = client.post(
        "/api/v1/rooms",
        {"name": "Open", "is_public": True, "join_role": "editor", "invite_min_role": "editor"},
        format="json",
    ).json()

    assert (plain["join_role"], plain["invite_min_role"]) == ("viewer", "owner")
    assert (chosen["join_role"], chosen["invite_min_role"]) == ("editor", "editor")


def test_a_public_room_never_makes_joiners_owners(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room.pk}", {"join_role": "owner"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["join_role"][0]["code"] == "invalid_choice"
    room.refresh_from_db()
    assert room.join_role == Role.VIEWER


def test_an_archived_public_room_cannot_be_joined(room_with_everyone):
    room = room_with_everyone.room
    room.is_public = True
    room.is_archived = True
    room.save()
    outsider = room_with_everyone.users["outsider"]

    response = client_for(outsider).post(f"/api/v1/rooms/{room.pk}/join")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "The room is archived and read-only.",
        "code": "room_archived",
    }
    assert not Membership.objects.filter(room=room, user=outsider).exists()


def test_editors_create_and_see_invites_only_where_the_owners_let_them(room_with_everyone):
    room = room_with_everyone.room
    editor = room_with_everyone.client("editor")
    url = f"/api/v1/rooms/{room.pk}/invites"

    refused = editor.post(url, {"role": "viewer"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only a room owner or above may invite people.",
        "code": "permission_denied",
    }
    assert editor.get(url).status_code == 403

    room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room.pk}", {"invite_min_role": "editor"}, format="json"
    )

    assert editor.post(url, {"role": "viewer"}, format="json").status_code == 201
    assert editor.get(url).status_code == 200
    commenter = room_with_everyone.client("commenter")
    assert commenter.post(url, {"role": "viewer"}, format="json").status_code == 403


def test_member_add_change_and_remove(room_with_everyone):
    room = room_with_everyone.room
    newcomer = UserFactory(username="Newcomer")
    client = room_with_everyone.client("owner")
    added = client.post(
        f"/api/v1/rooms/{room.pk}/members",
        {"username": "newcomer", "role": "viewer"},
        format="json",
    )
    assert added.status_code == 201
    assert added.json()["user"]["username"] == "Newcomer"
    changed = client.patch(
        f"/api/v1/rooms/{room.pk}/members/{newcomer.pk}", {"role": "editor"}, format="json"
    )
    assert changed.json()["role"] == "editor"
    assert client.delete(f"/api/v1/rooms/{room.pk}/members/{newcomer.pk}").status_code == 204
    assert not Membership.objects.filter(room=room, user=newcomer).exists()


def test_members_list_shows_names_and_colours(room_with_everyone):
    room = room_with_everyone.room
    listed = room_with_everyone.client("viewer").get(f"/api/v1/rooms/{room.pk}/members")
    members = listed.json()["results"]
    assert [(m["user"]["username"], m["role"]) for m in members] == [
        ("the-owner", "owner"),
        ("the-editor", "editor"),
        ("the-commenter", "commenter"),
        ("the-viewer", "viewer"),
    ]
    assert all(m["user"]["color"].startswith("#") for m in members)


def test_invite_round_trip_counts_uses_and_respects_max(room_with_everyone):
    room = room_with_everyone.room
    invite = (
        room_with_everyone.client("owner")
        .post(
            f"/api/v1/rooms/{room.pk}/invites", {"role": "commenter", "max_uses": 1}, format="json"
        )
        .json()
    )
    preview = room_with_everyone.client("outsider").get(f"/api/v1/invites/{invite['token']}")
    assert preview.json()["room_name"] == room.name and preview.json()["is_valid"] is True
    accepted = room_with_everyone.client("outsider").post(
        f"/api/v1/invites/{invite['token']}/accept"
    )
    assert accepted.status_code == 200 and accepted.json()["role"] == "commenter"
    again = room_with_everyone.client("outsider").post(f"/api/v1/invites/{invite['token']}/accept")
    assert again.status_code == 200  # a member accepting again is not a second use
    late = client_for(UserFactory()).post(f"/api/v1/invites/{invite['token']}/accept")
    assert (late.status_code, late.json()["code"]) == (400, "invite_used_up")


def test_revoked_invite_no_longer_works(room_with_everyone):
    room = room_with_everyone.room
    owner = room_with_everyone.client("owner")
    invite = owner.post(f"/api/v1/rooms/{room.pk}/invites", {}, format="json").json()
    assert owner.delete(f"/api/v1/rooms/{room.pk}/invites/{invite['id']}").status_code == 204
    response = room_with_everyone.client("outsider").post(
        f"/api/v1/invites/{invite['token']}/accept"
    )
    assert response.status_code == 404
    assert owner.get(f"/api/v1/rooms/{room.pk}/invites").json()["results"] == []


def test_editor_creates_renames_and_deletes_own_document(room_with_everyone):
    room = room_with_everyone.room
    editor = room_with_everyone.client("editor")
    created = editor.post(
        f"/api/v1/rooms/{room.pk}/documents",
        {"title": "Plan", "kind": "whiteboard"},
        format="json",
    ).json()
    assert (created["title"], created["kind"], created["created_by"]["username"]) == (
        "Plan",
        "whiteboard",
        "the-editor",
    )
    renamed = editor.patch(f"/api/v1/documents/{created['id']}", {"title": "Plan B"}, format="json")
    assert renamed.json()["title"] == "Plan B"
    assert editor.delete(f"/api/v1/documents/{created['id']}").status_code == 204
    assert not Document.objects.filter(pk=created["id"]).exists()


def test_locked_document_is_read_only_except_for_owners(room_with_everyone):
    room = room_with_everyone.room
    document = DocumentFactory(room=room, created_by=room_with_everyone.users["owner"])
    locked = room_with_everyone.client("owner").post(f"/api/v1/documents/{document.pk}/lock")
    assert locked.json()["is_locked"] is True
    assert locked.json()["locked_by"]["username"] == "the-owner"
    by_editor = room_with_everyone.client("editor").patch(
        f"/api/v1/documents/{document.pk}", {"title": "x"}, format="json"
    )
    assert (by_editor.status_code, by_editor.json()["code"]) == (403, "document_locked")
    by_owner = room_with_everyone.client("owner").patch(
        f"/api/v1/documents/{document.pk}", {"title": "x"}, format="json"
    )
    assert by_owner.status_code == 200
    unlocked = room_with_everyone.client("owner").post(f"/api/v1/documents/{document.pk}/unlock")
    assert (unlocked.json()["is_locked"], unlocked.json()["locked_by"]) == (False, None)


def test_message_send_is_idempotent_by_client_id(room_with_everyone):
    room = room_with_everyone.room
    client = room_with_everyone.client("commenter")
    body = {"body": "hello <b>there</b>", "client_id": "c-1"}
    first = client.post(f"/api/v1/rooms/{room.pk}/messages", body, format="json")
    second = client.post(f"/api/v1/rooms/{room.pk}/messages", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Message.objects.filter(room=room).count() == 1
    assert first.json()["body_html"] == "<p>hello &lt;b&gt;there&lt;/b&gt;</p>"


def test_thread_replies_attach_to_the_root_and_count(room_with_everyone):
    room = room_with_everyone.room
    client = room_with_everyone.client("editor")
    root = client.post(f"/api/v1/rooms/{room.pk}/messages", {"body": "root"}, format="json").json()
    reply = client.post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "r1", "parent": root["id"]}, format="json"
    ).json()
    nested = client.post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "r2", "parent": reply["id"]}, format="json"
    ).json()
    assert (reply["parent"], nested["parent"]) == (root["id"], root["id"])
    assert Message.objects.get(pk=root["id"]).reply_count == 2


def test_messages_are_cursor_paginated_newest_first(room_with_everyone):
    room = room_with_everyone.room
    ids = [MessageFactory(room=room).pk for _ in range(5)]
    client = room_with_everyone.client("viewer")
    page = client.get(f"/api/v1/rooms/{room.pk}/messages?page_size=2").json()
    seen = [m["id"] for m in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [m["id"] for m in page["results"]]
    assert seen == list(reversed(ids))


def test_deleted_message_is_a_tombstone_without_text(room_with_everyone):
    from django.utils import timezone

    room = room_with_everyone.room
    MessageFactory(room=room, body="secret", deleted_at=timezone.now())
    listed = room_with_everyone.client("viewer").get(f"/api/v1/rooms/{room.pk}/messages").json()
    assert [(m["body"], m["body_html"]) for m in listed["results"]] == [("", "")]


def test_the_room_list_counts_every_member_of_each_room(room_with_everyone):
    """Each room's member_count is its whole membership, whoever asks."""
    for who in ("owner", "viewer"):
        rooms = client_for(room_with_everyone.users[who]).get("/api/v1/rooms").json()["results"]
        counts = {room["id"]: room["member_count"] for room in rooms}
        members = room_with_everyone.room.memberships.count()
        assert members > 1
        assert counts[str(room_with_everyone.room.pk)] == members
