"""Every role (and an outsider, and an anonymous caller) through every endpoint, with the
exact status each must get."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rooms.accounts.services import api_token_create
from rooms.chat.services.attachments import attachment_upload
from rooms.membership.models import Role
from rooms.membership.services.invites import invite_create
from tests.factories import DocumentFactory, MessageFactory, UserFactory

WHO = ["owner", "editor", "commenter", "viewer", "outsider", "anonymous"]


def expect(owner, editor, commenter, viewer, outsider, anonymous=401):
    return dict(zip(WHO, [owner, editor, commenter, viewer, outsider, anonymous], strict=True))


MEMBERS_READ = expect(200, 200, 200, 200, 404)
OWNER_ONLY = expect(200, 403, 403, 403, 404)

# (method, path, body, expected status per caller) for a private room.
PRIVATE_ROOM_CASES = [
    ("get", "/api/v1/rooms", None, expect(200, 200, 200, 200, 200)),
    ("post", "/api/v1/rooms", {"name": "New"}, expect(201, 201, 201, 201, 201)),
    ("get", "/api/v1/rooms/{room}", None, MEMBERS_READ),
    ("patch", "/api/v1/rooms/{room}", {"description": "x"}, OWNER_ONLY),
    ("delete", "/api/v1/rooms/{room}", None, expect(204, 403, 403, 403, 404)),
    ("post", "/api/v1/rooms/{room}/join", None, expect(409, 409, 409, 409, 404)),
    ("get", "/api/v1/rooms/{room}/members", None, MEMBERS_READ),
    (
        "post",
        "/api/v1/rooms/{room}/members",
        {"username": "newcomer", "role": "viewer"},
        expect(201, 403, 403, 403, 404),
    ),
    ("patch", "/api/v1/rooms/{room}/members/{viewer}", {"role": "commenter"}, OWNER_ONLY),
    ("delete", "/api/v1/rooms/{room}/members/{viewer}", None, expect(204, 403, 403, 204, 404)),
    # Owners only by default (a room's invite_min_role may let editors in).
    ("get", "/api/v1/rooms/{room}/invites", None, OWNER_ONLY),
    ("post", "/api/v1/rooms/{room}/invites", {"role": "viewer"}, expect(201, 403, 403, 403, 404)),
    ("delete", "/api/v1/rooms/{room}/invites/{invite}", None, expect(204, 403, 403, 403, 404)),
    ("get", "/api/v1/invites/{token}", None, expect(200, 200, 200, 200, 200)),
    ("post", "/api/v1/invites/{token}/accept", None, expect(200, 200, 200, 200, 200)),
    ("get", "/api/v1/rooms/{room}/documents", None, MEMBERS_READ),
    (
        "post",
        "/api/v1/rooms/{room}/documents",
        {"title": "T", "kind": "whiteboard"},
        expect(201, 201, 403, 403, 404),
    ),
    ("get", "/api/v1/documents/{document}", None, MEMBERS_READ),
    (
        "patch",
        "/api/v1/documents/{document}",
        {"title": "Renamed"},
        expect(200, 200, 403, 403, 404),
    ),
    ("delete", "/api/v1/documents/{document}", None, expect(204, 403, 403, 403, 404)),
    ("post", "/api/v1/documents/{document}/lock", None, OWNER_ONLY),
    ("post", "/api/v1/documents/{document}/unlock", None, OWNER_ONLY),
    ("get", "/api/v1/rooms/{room}/messages", None, MEMBERS_READ),
    ("post", "/api/v1/rooms/{room}/messages", {"body": "hi"}, expect(201, 201, 201, 403, 404)),
    ("get", "/api/v1/rooms/{room}/messages/{message}", None, MEMBERS_READ),
    ("patch", "/api/v1/rooms/{room}/messages/{message}", {"body": "v2"}, OWNER_ONLY),
    ("delete", "/api/v1/rooms/{room}/messages/{message}", None, expect(204, 403, 403, 403, 404)),
    ("get", "/api/v1/rooms/{room}/messages/{message}/edits", None, MEMBERS_READ),
    ("get", "/api/v1/rooms/{room}/messages/{message}/replies", None, MEMBERS_READ),
    (
        "post",
        "/api/v1/rooms/{room}/messages/{message}/reactions",
        {"emoji": "👍"},
        expect(201, 201, 201, 403, 404),
    ),
    (
        "delete",
        "/api/v1/rooms/{room}/messages/{message}/reactions/%F0%9F%91%8D",
        None,
        expect(204, 204, 204, 403, 404),
    ),
    ("get", "/api/v1/rooms/{room}/messages/search?q=message", None, MEMBERS_READ),
    ("get", "/api/v1/messages/search?q=message", None, expect(200, 200, 200, 200, 200)),
    ("post", "/api/v1/rooms/{room}/read", {}, expect(200, 200, 200, 200, 404)),
    ("get", "/api/v1/users/me", None, expect(200, 200, 200, 200, 200)),
    ("patch", "/api/v1/users/me", {"display_name": "Me"}, expect(200, 200, 200, 200, 200)),
    ("get", "/api/v1/tokens", None, expect(200, 200, 200, 200, 200)),
    ("post", "/api/v1/tokens", {"name": "ci"}, expect(201, 201, 201, 201, 201)),
    ("delete", "/api/v1/tokens/{foreign_token}", None, expect(404, 404, 404, 404, 404)),
]


def _ids(room_with_everyone):
    room = room_with_everyone.room
    owner = room_with_everyone.users["owner"]
    UserFactory(username="newcomer")
    document = DocumentFactory(room=room, created_by=owner)
    message = MessageFactory(room=room, author=owner)
    invite = invite_create(actor=owner, room_id=room.pk, role=Role.VIEWER)
    foreign_token, _ = api_token_create(user=UserFactory(), name="someone else's")
    return {
        "room": room.pk,
        "viewer": room_with_everyone.users["viewer"].pk,
        "invite": invite.pk,
        "token": invite.token,
        "document": document.pk,
        "foreign_token": foreign_token.pk,
        "message": message.pk,
    }


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    PRIVATE_ROOM_CASES,
    ids=[f"{method} {path}" for method, path, _, _ in PRIVATE_ROOM_CASES],
)
def test_private_room_endpoint_answers_each_caller_with_its_exact_status(
    room_with_everyone, who, method, path, body, expected
):
    url = path.format(**_ids(room_with_everyone))
    response = getattr(room_with_everyone.client(who), method)(url, body, format="json")
    assert response.status_code == expected[who], response.content


PUBLIC_ROOM_CASES = [
    ("get", "/api/v1/rooms/{room}", None, 200),
    ("get", "/api/v1/rooms/{room}/members", None, 200),
    ("get", "/api/v1/rooms/{room}/documents", None, 200),
    ("get", "/api/v1/documents/{document}", None, 200),
    ("get", "/api/v1/rooms/{room}/messages", None, 200),
    ("patch", "/api/v1/rooms/{room}", {"description": "x"}, 403),
    ("post", "/api/v1/rooms/{room}/messages", {"body": "hi"}, 403),
    ("post", "/api/v1/rooms/{room}/documents", {"title": "T"}, 403),
    ("patch", "/api/v1/documents/{document}", {"title": "x"}, 403),
    ("get", "/api/v1/rooms/{room}/invites", None, 403),
    ("post", "/api/v1/rooms/{room}/join", None, 201),
    ("get", "/api/v1/rooms/{room}/messages/{message}", None, 200),
    ("get", "/api/v1/rooms/{room}/messages/{message}/replies", None, 200),
    ("get", "/api/v1/rooms/{room}/messages/search?q=message", None, 200),
    ("patch", "/api/v1/rooms/{room}/messages/{message}", {"body": "x"}, 403),
    ("delete", "/api/v1/rooms/{room}/messages/{message}", None, 403),
    ("post", "/api/v1/rooms/{room}/messages/{message}/reactions", {"emoji": "👍"}, 403),
    ("post", "/api/v1/rooms/{room}/read", {}, 403),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    PUBLIC_ROOM_CASES,
    ids=[f"{method} {path}" for method, path, _, _ in PUBLIC_ROOM_CASES],
)
def test_public_room_is_readable_but_not_writable_by_a_non_member(
    room_with_everyone, method, path, body, status
):
    room_with_everyone.room.is_public = True
    room_with_everyone.room.save()
    url = path.format(**_ids(room_with_everyone))
    response = getattr(room_with_everyone.client("outsider"), method)(url, body, format="json")
    assert response.status_code == status, response.content


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_anonymous_public_room_request_is_401_with_bearer_challenge(room_with_everyone, method):
    room_with_everyone.room.is_public = True
    room_with_everyone.room.save()
    response = getattr(room_with_everyone.client("anonymous"), method)(
        f"/api/v1/rooms/{room_with_everyone.room.pk}", {}, format="json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


@pytest.fixture
def uploaded(room_with_everyone, settings, tmp_path):
    """The room with everyone and one file uploaded by its owner."""
    settings.MEDIA_ROOT = tmp_path
    room_with_everyone.attachment = attachment_upload(
        actor=room_with_everyone.users["owner"],
        room_id=room_with_everyone.room.pk,
        upload=SimpleUploadedFile("a.txt", b"hello", content_type="text/plain"),
    )[0].attachment
    return room_with_everyone


@pytest.mark.parametrize(("who", "status"), list(expect(201, 201, 201, 403, 404).items()))
def test_attachment_upload_answers_each_caller_with_its_exact_status(uploaded, who, status):
    response = uploaded.client(who).post(
        f"/api/v1/rooms/{uploaded.room.pk}/attachments",
        {"file": SimpleUploadedFile("b.txt", b"hi", content_type="text/plain")},
        format="multipart",
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(("who", "status"), list(MEMBERS_READ.items()))
def test_attachment_download_answers_each_caller_with_its_exact_status(uploaded, who, status):
    response = uploaded.client(who).get(f"/api/v1/attachments/{uploaded.attachment.pk}")
    assert response.status_code == status
