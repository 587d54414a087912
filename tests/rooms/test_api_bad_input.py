"""Bad input gets a 4xx with a JSON body naming the field and a stable code, and nothing is
written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rooms.chat.models import Message
from rooms.documents.models import Document
from rooms.membership.models import Invite, Membership, Role, Room
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
    room.invite_min_role = Role.EDITOR  # owners only invite by default
    room.save()
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


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_path_is_json_404(room_with_everyone, settings, debug):
    settings.DEBUG = debug  # DEBUG's own 404 page is HTML too
    response = room_with_everyone.client("owner").get("/api/v1/no-such-thing")
    page = room_with_everyone.client("owner").get("/no-such-page")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert (page.status_code, page["Content-Type"]) == (404, "text/html; charset=utf-8")


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


# --- Chat ----------------------------------------------------------------------------------


def _chat_message(room_with_everyone, who="editor", body="original"):
    from rooms.chat.services.messages import message_send

    message, _ = message_send(
        actor=room_with_everyone.users[who], room_id=room_with_everyone.room.pk, body=body
    )
    return message


def test_over_long_edit_is_400_and_the_message_is_unchanged(room_with_everyone, settings):
    from rooms.chat.models import MessageEdit

    message = _chat_message(room_with_everyone)
    response = room_with_everyone.client("editor").patch(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message.pk}",
        {"body": "x" * (settings.COLLAB_MESSAGE_MAX_LENGTH + 1)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["body"][0]["code"] == "max_length"
    message.refresh_from_db()
    assert message.body == "original"
    assert not MessageEdit.objects.exists()


def test_editing_someone_elses_message_is_403_not_author_and_changes_nothing(
    room_with_everyone,
):
    from rooms.chat.models import MessageEdit

    message = _chat_message(room_with_everyone, who="editor")
    response = room_with_everyone.client("owner").patch(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message.pk}",
        {"body": "hijacked"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "not_author")
    message.refresh_from_db()
    assert (message.body, message.edited_at) == ("original", None)
    assert not MessageEdit.objects.exists()


def test_editing_a_deleted_message_is_409_message_deleted(room_with_everyone):
    message = _chat_message(room_with_everyone)
    client = room_with_everyone.client("editor")
    url = f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message.pk}"
    client.delete(url)
    response = client.patch(url, {"body": "back"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "message_deleted")
    message.refresh_from_db()
    assert message.body == ""


def test_unknown_field_in_an_edit_is_400(room_with_everyone):
    message = _chat_message(room_with_everyone)
    response = room_with_everyone.client("editor").patch(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message.pk}",
        {"body": "x", "author": 1},
        format="json",
    )
    assert response.json()["fields"]["author"][0]["code"] == "unknown_field"
    message.refresh_from_db()
    assert message.body == "original"


def test_reacting_to_a_message_in_another_room_is_404_and_stores_nothing(room_with_everyone):
    from rooms.chat.models import Reaction
    from tests.factories import MessageFactory

    elsewhere = MessageFactory()
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{elsewhere.pk}/reactions",
        {"emoji": "👍"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (404, "message_not_found")
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("emoji", ["", "hello", "👍👍", "<script>", ":Bad Name:"])
def test_a_reaction_that_is_not_one_emoji_is_400_and_stores_nothing(room_with_everyone, emoji):
    from rooms.chat.models import Reaction

    message = _chat_message(room_with_everyone)
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message.pk}/reactions",
        {"emoji": emoji},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["emoji"][0]["code"] in {"invalid_emoji", "blank"}
    assert not Reaction.objects.exists()


def test_posting_as_a_viewer_is_403_and_stores_nothing(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("viewer").post(
        f"/api/v1/rooms/{room.pk}/messages", {"body": "hi"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not Message.objects.filter(room=room).exists()


def test_flooding_is_429_rate_limited_with_retry_after_and_stores_nothing_more(
    room_with_everyone, settings
):
    settings.COLLAB_MESSAGE_RATE_PER_SECOND = 0.001
    settings.COLLAB_MESSAGE_BURST = 2
    room = room_with_everyone.room
    client = room_with_everyone.client("editor")
    url = f"/api/v1/rooms/{room.pk}/messages"
    statuses = [client.post(url, {"body": f"m{n}"}, format="json").status_code for n in range(3)]
    flood = client.post(url, {"body": "again"}, format="json")
    assert statuses == [201, 201, 429]
    assert (flood.status_code, flood.json()["code"]) == (429, "rate_limited")
    assert flood["Retry-After"] == "2000"
    assert list(
        Message.objects.filter(room=room).order_by("id").values_list("body", flat=True)
    ) == [
        "m0",
        "m1",
    ]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"body": "x"}),
        ("delete", "", None),
        ("get", "/edits", None),
        ("get", "/replies", None),
        ("post", "/reactions", {"emoji": "👍"}),
        ("delete", "/reactions/%F0%9F%91%8D", None),
    ],
)
def test_unknown_message_is_404_message_not_found(room_with_everyone, method, suffix, body):
    response = getattr(room_with_everyone.client("owner"), method)(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/999999{suffix}", body, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "message_not_found")


def test_read_up_to_an_unknown_message_is_400_and_moves_nothing(room_with_everyone):
    room = room_with_everyone.room
    response = room_with_everyone.client("viewer").post(
        f"/api/v1/rooms/{room.pk}/read", {"message": 999999}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["message"][0]["code"] == "unknown_message"
    viewer = room_with_everyone.users["viewer"]
    assert Membership.objects.get(room=room, user=viewer).last_read_message_id is None


def _upload(room_with_everyone, data, content_type="text/plain", name="a.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/attachments",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
        format="multipart",
    )


def _nothing_uploaded(room, media_root):
    from rooms.chat.models import Attachment

    files = [path for path in media_root.rglob("*") if path.is_file()]
    return files == [] and not Attachment.objects.exists() and not room.messages.exists()


@pytest.mark.parametrize("limit", [10, 1000])
def test_oversize_upload_is_413_and_stores_nothing(room_with_everyone, settings, tmp_path, limit):
    """Just past the limit (refused after parsing) and far past it (refused by its declared
    length before the body is read)."""
    settings.MEDIA_ROOT = tmp_path
    settings.COLLAB_ATTACHMENT_MAX_BYTES = limit
    size = limit + 1 if limit == 10 else 70 * 1024 + limit
    response = _upload(room_with_everyone, b"x" * size)
    assert (response.status_code, response.json()["code"]) == (413, "attachment_too_large")
    assert _nothing_uploaded(room_with_everyone.room, tmp_path)


@pytest.mark.parametrize(
    "content_type", ["text/html", "image/svg+xml", "application/x-msdownload", ""]
)
def test_upload_of_a_forbidden_type_is_415_and_stores_nothing(
    room_with_everyone, settings, tmp_path, content_type
):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(room_with_everyone, b"<script>alert(1)</script>", content_type=content_type)
    assert (response.status_code, response.json()["code"]) == (415, "file_type_not_allowed")
    assert _nothing_uploaded(room_with_everyone.room, tmp_path)


def test_upload_without_a_file_is_400_required(room_with_everyone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = room_with_everyone.client("editor").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/attachments", {"body": "x"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["file"][0]["code"] == "required"
    assert _nothing_uploaded(room_with_everyone.room, tmp_path)


def test_upload_as_a_viewer_is_403_and_stores_nothing(room_with_everyone, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = room_with_everyone.client("viewer").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/attachments",
        {"file": SimpleUploadedFile("a.txt", b"hi", content_type="text/plain")},
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert _nothing_uploaded(room_with_everyone.room, tmp_path)


@pytest.mark.parametrize("attachment_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_attachment_is_404(room_with_everyone, attachment_id):
    response = room_with_everyone.client("owner").get(f"/api/v1/attachments/{attachment_id}")
    assert (response.status_code, response.json()["code"]) == (404, "attachment_not_found")


def test_a_search_with_an_unknown_parameter_is_400(room_with_everyone):
    response = room_with_everyone.client("owner").get(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/search", {"q": "x", "sort": "rank"}
    )
    assert response.json()["fields"]["sort"][0]["code"] == "unknown_field"


# --- Input no parser or database could take ------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_past_the_limit_is_400_nesting_too_deep(depth):
    """Just past the limit (found by scanning the parsed text) and far past it (where Python's
    json would give up with a RecursionError)."""
    response = APIClient().post(
        "/api/v1/auth/token", data=_nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON nested more than 64 levels deep.",
        "code": "nesting_too_deep",
    }


def test_json_is_parsed_to_the_limit_and_brackets_in_strings_do_not_count(room_with_everyone):
    client = room_with_everyone.client("owner")

    def post(name: str) -> Any:
        return client.post(
            "/api/v1/rooms", data='{"name": ' + name + "}", content_type="application/json"
        )

    at_limit, past_it = post(_nested(63)), post(_nested(64))
    bracketed = client.post(
        "/api/v1/rooms", {"name": "[{" * 50, "description": "]}" * 80}, format="json"
    )
    assert at_limit.json()["fields"]["name"][0]["code"] == "invalid"
    assert (past_it.status_code, past_it.json()["code"]) == (400, "nesting_too_deep")
    assert bracketed.status_code == 201


def test_json_depth_limit_is_the_setting(room_with_everyone, settings):
    settings.COLLAB_API_JSON_MAX_DEPTH = 2
    client = room_with_everyone.client("owner")
    deep = client.post("/api/v1/rooms", {"name": "x", "description": [["x"]]}, format="json")
    shallow = client.post("/api/v1/rooms", {"name": "x", "description": ["x"]}, format="json")
    assert (deep.status_code, deep.json()["code"]) == (400, "nesting_too_deep")
    assert shallow.json()["fields"]["description"][0]["code"] == "invalid"


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_member_id_past_63_bits_is_404_and_changes_nothing(room_with_everyone, method):
    """The largest 63-bit id reaches the view (no such member); one more names no path."""
    room = room_with_everyone.room
    client = room_with_everyone.client("owner")
    before = set(room.memberships.values_list("user__username", "role"))

    def send(user_id: int) -> Any:
        url = f"/api/v1/rooms/{room.pk}/members/{user_id}"
        return getattr(client, method)(url, {"role": "viewer"}, format="json")

    largest, past_it, far_past_it = send(2**63 - 1), send(2**63), send(10**30)
    assert (largest.status_code, largest.json()["code"]) == (404, "member_not_found")
    for response in (past_it, far_past_it):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert set(room.memberships.values_list("user__username", "role")) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/rooms/{room}/invites/{huge}"),
        ("get", "/api/v1/rooms/{room}/messages/{huge}"),
        ("get", "/api/v1/rooms/{room}/messages/{huge}/replies"),
        ("delete", "/api/v1/rooms/{room}/messages/{huge}/reactions/%F0%9F%91%8D"),
    ],
)
def test_every_id_in_a_path_past_63_bits_is_404(room_with_everyone, method, path):
    url = path.format(room=room_with_everyone.room.pk, huge=10**30)
    response = getattr(room_with_everyone.client("owner"), method)(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_invite_max_uses_past_the_column_is_400_max_value_and_creates_nothing(
    room_with_everyone,
):
    """Invite.max_uses is 32-bit on PostgreSQL: its largest value is stored, no more."""
    room = room_with_everyone.room
    client = room_with_everyone.client("owner")
    url = f"/api/v1/rooms/{room.pk}/invites"
    largest = client.post(url, {"max_uses": 2**31 - 1}, format="json")
    for max_uses in (2**31, 10**30):
        response = client.post(url, {"max_uses": max_uses}, format="json")
        assert response.status_code == 400
        assert response.json()["fields"]["max_uses"][0]["code"] == "max_value"
    assert largest.status_code == 201
    assert list(Invite.objects.filter(room=room).values_list("max_uses", flat=True)) == [2**31 - 1]


@pytest.mark.parametrize(
    ("method", "suffix", "data", "field"),
    [
        ("post", "messages", {"body": "hi", "parent": 2**63}, "parent"),
        ("post", "read", {"message": 10**30}, "message"),
        ("get", "messages", {"before": 2**63}, "before"),
        ("get", "messages", {"limit": 10**30}, "limit"),
    ],
)
def test_integers_past_63_bits_in_a_body_or_query_are_400_max_value(
    room_with_everyone, method, suffix, data, field
):
    room = room_with_everyone.room
    client = room_with_everyone.client("editor")
    url = f"/api/v1/rooms/{room.pk}/{suffix}"
    response = client.post(url, data, format="json") if method == "post" else client.get(url, data)
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == "max_value"
    assert not Message.objects.filter(room=room).exists()


# --- Every answer under /api/ is the error shape --------------------------------------------


@pytest.mark.parametrize("megabytes", [3, 20])
@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_a_body_past_django_s_limit_is_413_request_too_large(room_with_everyone, megabytes, who):
    before = Room.objects.count()
    path = "/api/v1/auth/token" if who == "anonymous" else "/api/v1/rooms"
    body = b'{"name": "' + b"x" * (megabytes * 1024 * 1024) + b'"}'
    response = room_with_everyone.client(who).post(path, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 2621440 bytes.",
        "code": "request_too_large",
    }
    assert Room.objects.count() == before


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_is_json_500_without_a_traceback_and_is_logged(
    room_with_everyone, settings, monkeypatch, caplog, debug
):
    settings.DEBUG = debug
    client = room_with_everyone.client("owner")
    client.raise_request_exception = False

    def broken(self, request, room_id):
        raise RuntimeError("a bug in the view, secret=hunter2")

    monkeypatch.setattr("rooms.membership.api.views.MemberListView.get", broken)
    response = client.get(f"/api/v1/rooms/{room_with_everyone.room.pk}/members")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "code": "server_error"}
    assert [record.exc_info[1].args for record in caplog.records if record.exc_info] == [
        ("a bug in the view, secret=hunter2",)
    ]


@pytest.mark.parametrize("debug", [False, True])
def test_a_method_a_plain_api_view_lacks_is_json_405(client, settings, debug):
    settings.DEBUG = debug
    response = client.post("/api/schema")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": 'Method "POST" not allowed.',
        "code": "method_not_allowed",
    }
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_an_api_error_asked_for_as_html_is_json(room_with_everyone, settings):
    settings.DEBUG = True
    response = room_with_everyone.client("owner").get(
        "/api/v1/rooms/not-a-room", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No such room.", "code": "room_not_found"}
