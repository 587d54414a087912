"""Attachments: upload over REST posts a file message, downloads are for members only and
never rendered by the browser, and refused uploads leave nothing behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rooms.chat.models import Attachment, Message, MessageKind
from rooms.chat.services.attachments import clean_filename
from tests.rooms.chat_capture import RoomEvents


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def upload(room_with_everyone, who="commenter", name="notes.txt", data=b"hello world", **fields):
    content_type = fields.pop("content_type", "text/plain")
    return room_with_everyone.client(who).post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/attachments",
        {"file": SimpleUploadedFile(name, data, content_type=content_type), **fields},
        format="multipart",
    )


def test_upload_stores_the_file_and_posts_a_file_message(
    room_with_everyone, media_root, django_capture_on_commit_callbacks
):
    room = room_with_everyone.room
    events = RoomEvents(room.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(room_with_everyone, body="the **notes**")
    assert response.status_code == 201
    data = response.json()
    attachment = Attachment.objects.get()
    assert (data["kind"], data["body"], data["body_html"]) == (
        "file",
        "the **notes**",
        "<p>the <strong>notes</strong></p>",
    )
    assert data["attachment"] == {
        "id": str(attachment.pk),
        "filename": "notes.txt",
        "content_type": "text/plain",
        "size": 11,
        "url": f"/api/v1/attachments/{attachment.pk}",
    }
    assert stored_files(media_root) == [f"attachments/{room.pk}/{attachment.pk}"]
    [event] = events.published()
    assert event["message"] == data


def test_a_member_downloads_it_as_an_attachment_never_inline(room_with_everyone):
    url = upload(
        room_with_everyone, name="report.pdf", data=b"%PDF-1", content_type="application/pdf"
    ).json()["attachment"]["url"]
    response = room_with_everyone.client("viewer").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("who", "public", "status", "code"),
    [
        ("outsider", False, 404, "attachment_not_found"),
        ("outsider", True, 403, "not_member"),
        ("anonymous", False, 401, "not_authenticated"),
    ],
)
def test_only_members_download(room_with_everyone, who, public, status, code):
    url = upload(room_with_everyone).json()["attachment"]["url"]
    room_with_everyone.room.is_public = public
    room_with_everyone.room.save()
    response = room_with_everyone.client(who).get(url)
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_re_uploading_with_the_same_client_id_stores_one_file(room_with_everyone, media_root):
    first = upload(room_with_everyone, client_id="up-1")
    second = upload(room_with_everyone, client_id="up-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Attachment.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_deleting_the_file_message_removes_the_file(
    room_with_everyone, media_root, django_capture_on_commit_callbacks
):
    message = upload(room_with_everyone).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = room_with_everyone.client("commenter").delete(
            f"/api/v1/rooms/{room_with_everyone.room.pk}/messages/{message['id']}"
        )
    assert response.status_code == 204
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    gone = room_with_everyone.client("owner").get(message["attachment"]["url"])
    assert gone.status_code == 404
    tombstone = Message.objects.get(pk=message["id"])
    assert (tombstone.kind, tombstone.attachment_id) == (MessageKind.FILE, None)


def test_the_uploaded_name_loses_directories_and_control_characters(room_with_everyone):
    response = upload(room_with_everyone, name="..\\..\\evil\x07\u202e.txt")
    assert response.json()["attachment"]["filename"] == "evil.txt"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\plan.txt", "plan.txt"),
        ("", "file"),
        ("...", "file"),
        ("a" * 300 + ".tar.gz", "a" * 252 + ".gz"),
        ("b" * 300, "b" * 255),
    ],
)
def test_clean_filename_keeps_a_short_base_name_with_its_extension(name, clean):
    assert clean_filename(name) == clean
