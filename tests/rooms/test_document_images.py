"""Images in documents over REST: editors upload, readers get the display rendition (or the
original) with headers that keep the browser from treating it as anything but an image, and
what is not a PNG, JPEG, GIF or WebP, too large or a decompression bomb is refused with
nothing stored."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from rooms.core.uploads import UPLOAD_OVERHEAD_BYTES
from rooms.documents.models import DocumentImage, ShareLink, ShareLinkRole
from rooms.documents.services.share_links import share_link_create, share_link_revoke
from tests.factories import DocumentFactory

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def document(room_with_everyone):
    return DocumentFactory(room=room_with_everyone.room)


def stored_files(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def encoded(image_format, size=(40, 20), color="red", **options):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, image_format, **options)
    return output.getvalue()


def upload(room_with_everyone, document, data, who="editor", name="a.png", **fields):
    content_type = fields.pop("content_type", "image/png")
    return room_with_everyone.client(who).post(
        f"/api/v1/documents/{document.pk}/images",
        {"file": SimpleUploadedFile(name, data, content_type=content_type), **fields},
        format="multipart",
    )


def body(response):
    return b"".join(response.streaming_content)


def test_an_editor_uploads_an_image_stored_as_the_room_file(
    room_with_everyone, document, media_root
):
    data = encoded("PNG")
    response = upload(room_with_everyone, document, data, alt="A red box")
    assert response.status_code == 201
    image = DocumentImage.objects.get()
    src = f"/api/v1/documents/{document.pk}/images/{image.pk}"
    payload = response.json()
    assert payload == {
        "id": str(image.pk),
        "document": str(document.pk),
        "src": src,
        "original_src": f"{src}?original",
        "content_type": "image/png",
        "size": len(data),
        "width": 40,
        "height": 20,
        "display_width": 40,
        "display_height": 20,
        "alt": "A red box",
        "uploaded_by": payload["uploaded_by"],
        "created_at": payload["created_at"],
    }
    assert payload["uploaded_by"]["username"] == "the-editor"
    assert (image.room_id, image.document_id) == (room_with_everyone.room.pk, document.pk)
    prefix = f"document-images/{room_with_everyone.room.pk}/{image.pk}"
    assert stored_files(media_root) == [f"{prefix}/display", f"{prefix}/original"]


@pytest.mark.parametrize(
    ("image_format", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_the_type_is_what_decodes_not_what_the_upload_declares(
    room_with_everyone, document, image_format, content_type
):
    response = upload(
        room_with_everyone,
        document,
        encoded(image_format),
        name="notes.txt",
        content_type="text/plain",
    )
    assert (response.status_code, response.json()["content_type"]) == (201, content_type)
    served = room_with_everyone.client("viewer").get(response.json()["src"])
    assert served["Content-Type"] == content_type
    assert Image.open(io.BytesIO(body(served))).format == image_format


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (SVG, "logo.svg", "image/svg+xml"),
        (SVG, "logo.png", "image/png"),
        (b"<!doctype html><script>alert(1)</script>", "page.png", "image/png"),
        (encoded("BMP"), "old.bmp", "image/bmp"),
        (encoded("TIFF"), "scan.tiff", "image/tiff"),
        (encoded("JPEG", size=(400, 400))[:600], "cut.jpg", "image/jpeg"),
    ],
    ids=["svg", "svg-named-png", "html-named-png", "bmp", "tiff", "truncated-jpeg"],
)
def test_anything_but_a_png_jpeg_gif_or_webp_that_decodes_is_refused(
    room_with_everyone, document, media_root, data, name, content_type
):
    response = upload(room_with_everyone, document, data, name=name, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "PNG, JPEG, GIF and WebP" in response.json()["detail"]
    assert not DocumentImage.objects.exists()
    assert stored_files(media_root) == []


def test_an_image_past_the_byte_limit_is_refused_with_413(
    room_with_everyone, document, media_root, settings
):
    data = encoded("PNG")
    settings.COLLAB_MAX_IMAGE_BYTES = len(data) - 1
    response = upload(room_with_everyone, document, data)
    assert (response.status_code, response.json()["code"]) == (413, "image_too_large")
    assert not DocumentImage.objects.exists()
    assert stored_files(media_root) == []
    settings.COLLAB_MAX_IMAGE_BYTES = len(data)
    assert upload(room_with_everyone, document, data).status_code == 201


def test_a_request_declaring_more_than_the_limit_is_refused_before_it_is_read(
    room_with_everyone, document, settings
):
    settings.COLLAB_MAX_IMAGE_BYTES = 1000
    response = room_with_everyone.client("editor").generic(
        "POST",
        f"/api/v1/documents/{document.pk}/images",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1000 + UPLOAD_OVERHEAD_BYTES + 1),
    )
    assert (response.status_code, response.json()["code"]) == (413, "image_too_large")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    room_with_everyone, document, media_root
):
    output = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(output, "PNG")  # 400 megapixels in about 50 KB
    response = upload(room_with_everyone, document, output.getvalue())
    assert response.status_code == 413
    assert response.json()["code"] == "image_too_many_pixels"
    assert "pixels" in response.json()["detail"]
    assert stored_files(media_root) == []


def test_every_frame_counts_towards_the_pixel_limit(room_with_everyone, document, settings):
    frames = [Image.new("RGB", (100, 100), color) for color in ("red", "green", "blue")]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], duration=40)
    settings.COLLAB_MAX_IMAGE_PIXELS = 3 * 100 * 100 - 1
    response = upload(room_with_everyone, document, output.getvalue(), name="a.gif")
    assert (response.status_code, response.json()["code"]) == (413, "image_too_many_pixels")
    settings.COLLAB_MAX_IMAGE_PIXELS = 3 * 100 * 100
    assert upload(room_with_everyone, document, output.getvalue()).status_code == 201


def test_an_empty_file_is_refused(room_with_everyone, document):
    response = upload(room_with_everyone, document, b"")
    assert response.status_code == 400
    assert not DocumentImage.objects.exists()


def test_the_display_rendition_is_narrowed_upright_and_without_metadata(
    room_with_everyone, document, settings
):
    settings.COLLAB_IMAGE_DISPLAY_MAX_WIDTH = 100
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90 degrees clockwise to show
    exif[0x010F] = "Camera maker"
    original = encoded("JPEG", size=(400, 200), exif=exif)
    response = upload(room_with_everyone, document, original, name="photo.jpg")
    payload = response.json()
    assert (payload["width"], payload["height"]) == (200, 400)
    assert (payload["display_width"], payload["display_height"]) == (100, 200)
    client = room_with_everyone.client("viewer")
    display = Image.open(io.BytesIO(body(client.get(payload["src"]))))
    assert display.size == (100, 200)
    assert dict(display.getexif()) == {}
    assert body(client.get(payload["original_src"])) == original


def test_the_display_rendition_is_at_most_1600_pixels_wide_by_default(room_with_everyone, document):
    original = encoded("PNG", size=(2000, 500))
    payload = upload(room_with_everyone, document, original).json()
    assert (payload["width"], payload["display_width"], payload["display_height"]) == (
        2000,
        1600,
        400,
    )
    client = room_with_everyone.client("viewer")
    assert Image.open(io.BytesIO(body(client.get(payload["src"])))).size == (1600, 400)
    assert body(client.get(payload["original_src"])) == original


def test_an_animation_keeps_its_frames_in_the_rendition(room_with_everyone, document, settings):
    settings.COLLAB_IMAGE_DISPLAY_MAX_WIDTH = 50
    frames = [Image.new("RGB", (100, 10), color) for color in ("red", "green", "blue")]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], duration=40, loop=0)
    payload = upload(room_with_everyone, document, output.getvalue(), name="a.gif").json()
    display = Image.open(io.BytesIO(body(room_with_everyone.client("viewer").get(payload["src"]))))
    assert (display.size, display.n_frames) == ((50, 5), 3)


def test_images_are_served_as_images_with_nothing_for_the_browser_to_run(
    room_with_everyone, document
):
    payload = upload(room_with_everyone, document, encoded("PNG")).json()
    response = room_with_everyone.client("viewer").get(payload["src"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'inline; filename="image-{payload["id"]}.png"'
    original = room_with_everyone.client("viewer").get(payload["original_src"])
    assert original["Content-Disposition"] == f'inline; filename="original-{payload["id"]}.png"'


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("viewer", 403, "permission_denied"),
        ("commenter", 403, "permission_denied"),
        ("outsider", 404, "document_not_found"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_editors_upload(room_with_everyone, document, media_root, who, status, code):
    response = upload(room_with_everyone, document, encoded("PNG"), who=who)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert stored_files(media_root) == []


def test_a_locked_document_takes_images_from_its_owners_only(room_with_everyone, document):
    document.is_locked = True
    document.locked_at = document.created_at
    document.save()
    refused = upload(room_with_everyone, document, encoded("PNG"), who="editor")
    assert (refused.status_code, refused.json()["code"]) == (403, "document_locked")
    assert upload(room_with_everyone, document, encoded("PNG"), who="owner").status_code == 201


@pytest.mark.parametrize(
    ("who", "public", "status"),
    [
        ("viewer", False, 200),
        ("outsider", False, 404),
        ("outsider", True, 200),
        ("anonymous", False, 401),
    ],
)
def test_only_those_who_may_read_the_document_get_its_images(
    room_with_everyone, document, who, public, status
):
    src = upload(room_with_everyone, document, encoded("PNG")).json()["src"]
    room_with_everyone.room.is_public = public
    room_with_everyone.room.save()
    response = room_with_everyone.client(who).get(src)
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "document_not_found"


def test_an_image_is_only_found_through_its_own_document(room_with_everyone, document):
    image_id = upload(room_with_everyone, document, encoded("PNG")).json()["id"]
    other = DocumentFactory(room=room_with_everyone.room)
    response = room_with_everyone.client("owner").get(
        f"/api/v1/documents/{other.pk}/images/{image_id}"
    )
    assert (response.status_code, response.json()["code"]) == (404, "image_not_found")
    unknown = room_with_everyone.client("owner").get(
        f"/api/v1/documents/{document.pk}/images/not-an-id"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "image_not_found")


# --- a share link's guest -------------------------------------------------------------------


@pytest.fixture
def guest_with_link(room_with_everyone, document):
    """A browser with no account that followed a view link to ``document``, and the link."""
    link, secret = share_link_create(
        actor=room_with_everyone.users["owner"],
        document_id=document.pk,
        role=ShareLinkRole.VIEWER,
    )
    guest = Client()
    assert guest.get(f"/s/{secret}").status_code == 200
    return guest, link


def test_a_guest_who_followed_a_link_gets_that_documents_images(
    room_with_everyone, document, guest_with_link
):
    guest, _ = guest_with_link
    payload = upload(room_with_everyone, document, encoded("PNG")).json()
    response = guest.get(payload["src"])
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert body(response) == body(room_with_everyone.client("viewer").get(payload["src"]))
    assert guest.get(payload["original_src"]).status_code == 200


def test_a_guests_link_opens_no_other_documents_images(room_with_everyone, guest_with_link):
    guest, _ = guest_with_link
    other = DocumentFactory(room=room_with_everyone.room)
    src = upload(room_with_everyone, other, encoded("PNG")).json()["src"]
    response = guest.get(src)
    assert (response.status_code, response.json()["code"]) == (404, "document_not_found")


def test_a_revoked_links_guest_gets_no_more_images(room_with_everyone, document, guest_with_link):
    guest, link = guest_with_link
    src = upload(room_with_everyone, document, encoded("PNG")).json()["src"]
    share_link_revoke(
        actor=room_with_everyone.users["owner"], document_id=document.pk, link_id=link.pk
    )
    response = guest.get(src)
    assert (response.status_code, response.json()["code"]) == (404, "document_not_found")


def test_an_expired_links_guest_gets_no_more_images(room_with_everyone, document, guest_with_link):
    guest, link = guest_with_link
    src = upload(room_with_everyone, document, encoded("PNG")).json()["src"]
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = guest.get(src)
    assert (response.status_code, response.json()["code"]) == (404, "document_not_found")


def test_a_signed_in_outsider_who_followed_a_link_gets_its_images(room_with_everyone, document):
    _, secret = share_link_create(
        actor=room_with_everyone.users["owner"],
        document_id=document.pk,
        role=ShareLinkRole.VIEWER,
    )
    src = upload(room_with_everyone, document, encoded("PNG")).json()["src"]
    outsider = Client()
    outsider.force_login(room_with_everyone.users["outsider"])
    assert outsider.get(src).status_code == 404
    assert outsider.get(f"/s/{secret}").status_code == 200
    assert outsider.get(src).status_code == 200


def test_deleting_a_document_removes_its_image_files_once_the_deletion_commits(
    room_with_everyone, document, media_root, django_capture_on_commit_callbacks
):
    assert upload(room_with_everyone, document, encoded("PNG")).status_code == 201
    other = DocumentFactory(room=room_with_everyone.room)
    assert upload(room_with_everyone, other, encoded("PNG")).status_code == 201
    before = set(stored_files(media_root))
    image = DocumentImage.objects.get(document=document)
    gone = {image.original.name, image.display.name}
    assert len(before) == 4
    assert gone < before
    with django_capture_on_commit_callbacks(execute=True):
        response = room_with_everyone.client("owner").delete(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 204
    assert not DocumentImage.objects.filter(document_id=document.pk).exists()
    assert set(stored_files(media_root)) == before - gone
    assert DocumentImage.objects.filter(document=other).count() == 1
