"""Bad input gets a 4xx with a JSON body naming the field and a stable code, and nothing is
written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rooms.models import Document, Invite, Membership, Message, Room
from tests.factories import InviteFactory, UserFactory


def test_malformed_json_is_400_parse_error_and_creates_nothing(room_with_everyone):
    before = Room.objects.count()
    response = room_with_everyone.client("owner").post(
        "/api/v1/rooms", data='{"name": "x"', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert Room.objects.count() == before


def test_non_object_body_is_400_not_an_object(room_with_everyone):
    response = room_with_everyone.client("owner").post("/api/v1/rooms", ["x"], format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["non_field_errors"][0]["code"] == "not_an_object"


def test_unknown_field_is_400_naming_it(room_with_everyone):
    before = Room.objects.count()
    response = room_with_everyone.client("owner").post(
        "/api/v1/rooms", {"name": "ok", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "fields": {"colour": [{"message": "Unknown field.", "code": "unknown_field"}]},
    }
    assert Room.objects.count() == before


def test_missing_field_is_400_required(room_with_everyone):
    response = room_with_everyone.client("owner").post("/api/v1/rooms", {}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["name"][0]["code"] == "required"


def test_over_long_room_name_is_400_max_length(room_with_everyone):
    before = Room.objects.count()
    response = room_with_everyone.client("owner").post(
        "/api/v1/rooms", {"name": "x" * 101}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["name"][0]["code"] == "max_length"
    assert Room.objects.count() == before


def test_blank_room_name_is_400(room_with_everyone):
    response = room_with_everyone.client("owner").post(
        "/api/v1/rooms", {"name": "   "}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["name"][0]["code"] == "blank"


def test_over_long_document_title_is_400_and_nothing_written(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/documents", {"title": "t" * 201}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["title"][0]["code"] == "max_length"
    assert not Document.objects.filter(room=room).exists()


def test_unknown_document_kind_is_400_invalid_choice(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/documents", {"title": "t", "kind": "spreadsheet"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["kind"][0]["code"] == "invalid_choice"


def test_unknown_role_is_400_invalid_choice(room_with_everyone):
    room = room_with_everyone.room
    UserFactory(username="newcomer")
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/members",
        {"username": "newcomer", "role": "admin"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["role"][0]["code"] == "invalid_choice"
    assert not Membership.objects.filter(room=room, user__username="newcomer").exists()


def test_unknown_username_is_400_unknown_user(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/members",
        {"username": "nobody", "role": "viewer"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_user"
    assert response.json()["fields"]["username"][0]["code"] == "unknown_user"


def test_duplicate_member_is_409_already_member_and_role_unchanged(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/members",
        {"username": "the-viewer", "role": "editor"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert Membership.objects.get(room=room, user__username="the-viewer").role == "viewer"


def test_last_owner_cannot_leave_or_be_demoted(room_with_everyone):
    room = room_with_everyone.room
    owner = room_with_everyone.users["owner"]
    client = room_with_everyone.client("owner")
    leave = client.delete(f"/api/v1/rooms/{room.pk}/members/{owner.pk}")
    demote = client.patch(
        f"/api/v1/rooms/{room.pk}/members/{owner.pk}", {"role": "editor"}, format="json"
    )
    assert (leave.status_code, leave.json()["code"]) == (409, "last_owner")
    assert (demote.status_code, demote.json()["code"]) == (409, "last_owner")
    assert Membership.objects.get(room=room, user=owner).role == "owner"


def test_expired_invite_is_400_invite_expired_and_makes_no_member(room_with_everyone):
    invite = InviteFactory(
        room=room_with_everyone.room, expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = room_with_everyone.client("outsider").post(f"/api/v1/invites/{invite.token}/accept")
    assert response.status_code == 400
    assert response.json()["code"] == "invite_expired"
    assert not Membership.objects.filter(user=room_with_everyone.users["outsider"]).exists()


def test_used_up_invite_is_400_invite_used_up(room_with_everyone):
    invite = InviteFactory(room=room_with_everyone.room, max_uses=1, use_count=1)
    response = room_with_everyone.client("outsider").post(f"/api/v1/invites/{invite.token}/accept")
    assert response.status_code == 400
    assert response.json()["code"] == "invite_used_up"
    invite.refresh_from_db()
    assert invite.use_count == 1


def test_unknown_invite_token_is_404(room_with_everyone):
    response = room_with_everyone.client("outsider").post("/api/v1/invites/nope/accept")
    assert (response.status_code, response.json()["code"]) == (404, "invite_not_found")


def test_invite_to_a_role_above_ones_own_is_403(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room.pk}/invites", {"role": "owner"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "role_too_high")
    assert not Invite.objects.filter(room=room).exists()


@pytest.mark.parametrize("seconds", [0, 59, 90 * 24 * 3600 + 1])
def test_invite_expiry_outside_bounds_is_400(room_with_everyone, seconds):
    room = room_with_everyone.room
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room.pk}/invites", {"expires_in_seconds": seconds}, format="json"
    )
    assert response.status_code == 400
    assert "expires_in_seconds" in response.json()["fields"]


def test_over_long_message_is_400_and_not_stored(room_with_everyone, settings):
    room = room_with_everyone.room
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room.pk}/messages",
        {"body": "x" * (settings.COLLAB_MESSAGE_MAX_LENGTH + 1)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["body"][0]["code"] == "max_length"
    assert not Message.objects.filter(room=room).exists()


def test_reply_to_a_message_of_another_room_is_400_unknown_parent(room_with_everyone):
    from tests.factories import MessageFactory

    elsewhere = MessageFactory()
    room = room_with_everyone.room
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "hi", "parent": elsewhere.pk}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "unknown_parent")
    assert not Message.objects.filter(room=room).exists()


@pytest.mark.parametrize("room_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_room_id_is_404_room_not_found(room_with_everyone, room_id):
    response = room_with_everyone.client("owner").get(f"/api/v1/rooms/{room_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such room.", "code": "room_not_found"}


def test_unknown_api_path_is_json_404(room_with_everyone):
    response = room_with_everyone.client("owner").get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_archived_room_refuses_new_content_with_room_archived(room_with_everyone):
    room = room_with_everyone.room
    room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room.pk}", {"is_archived": True}, format="json"
    )
    message = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "hi"}, format="json"
    )
    document = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room.pk}/documents", {"title": "t"}, format="json"
    )
    assert (message.status_code, message.json()["code"]) == (403, "room_archived")
    assert (document.status_code, document.json()["code"]) == (403, "room_archived")
    assert not Message.objects.filter(room=room).exists()
