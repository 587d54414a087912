"""Share links over REST: owners and editors make, list and revoke them; a link never grants
more than its maker may do; the secret is shown once and only its digest is stored; bad input
gets the API's error shape and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rooms.documents.models import ShareLink
from rooms.documents.services.share_links import share_link_digest
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def links_url(document):
    return f"/api/v1/documents/{document.pk}/share-links"


@pytest.mark.parametrize("maker", ["owner", "editor"])
@pytest.mark.parametrize("role", ["viewer", "commenter", "editor"])
def test_owners_and_editors_make_links_of_every_role(room_with_everyone, maker, role):
    document = DocumentFactory(room=room_with_everyone.room)
    made = room_with_everyone.client(maker).post(
        links_url(document), {"role": role}, content_type="application/json"
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["role"], body["expires_at"], body["is_expired"]) == (role, None, False)
    assert body["created_by"]["username"] == f"the-{maker}"
    assert body["token"].startswith("csl_")
    assert body["url"] == f"http://testserver/s/{body['token']}"
    stored = ShareLink.objects.get(pk=body["id"])
    assert stored.digest == share_link_digest(body["token"])
    assert body["token"] not in {stored.digest, stored.prefix}
    assert body["prefix"] == body["token"][:12]


@pytest.mark.parametrize("who", ["commenter", "viewer", "outsider"])
def test_below_editor_nobody_makes_or_lists_links(room_with_everyone, who):
    document = DocumentFactory(room=room_with_everyone.room)
    client = room_with_everyone.client(who)
    made = client.post(links_url(document), {"role": "viewer"}, content_type="application/json")
    listed = client.get(links_url(document))
    expected = 404 if who == "outsider" else 403
    assert (made.status_code, listed.status_code) == (expected, expected)
    assert set(made.json()) == {"detail", "code"}
    assert ShareLink.objects.count() == 0


def test_anonymous_gets_the_error_shape(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    answer = room_with_everyone.client("anonymous").get(links_url(document))
    assert answer.status_code in (401, 403)
    assert "code" in answer.json()


def test_an_editor_cannot_make_an_edit_link_to_a_locked_document(room_with_everyone):
    """The link's role is capped by what its maker may do with the document."""
    document = DocumentFactory(
        room=room_with_everyone.room, is_locked=True, locked_at=timezone.now()
    )
    editor = room_with_everyone.client("editor")
    refused = editor.post(links_url(document), {"role": "editor"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "role_too_high"
    viewing = editor.post(links_url(document), {"role": "viewer"}, content_type="application/json")
    assert viewing.status_code == 201
    owner = room_with_everyone.client("owner")
    editing = owner.post(links_url(document), {"role": "editor"}, content_type="application/json")
    assert editing.status_code == 201
    assert ShareLink.objects.filter(role="editor").count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "owner"}, "role"),
        ({"role": "viewer", "expires_in_seconds": 0}, "expires_in_seconds"),
        ({"role": "viewer", "expires_in_seconds": "soon"}, "expires_in_seconds"),
        ({"role": "viewer", "surprise": 1}, "surprise"),
    ],
)
def test_bad_input_is_refused_and_makes_nothing(room_with_everyone, body, field):
    document = DocumentFactory(room=room_with_everyone.room)
    answer = room_with_everyone.client("owner").post(
        links_url(document), body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == [field]
    assert ShareLink.objects.count() == 0


def test_an_expiring_link_says_when_and_is_listed_as_expired_after(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    made = owner.post(
        links_url(document),
        {"role": "viewer", "expires_in_seconds": 3600},
        content_type="application/json",
    ).json()
    stored = ShareLink.objects.get(pk=made["id"])
    assert timedelta(minutes=59) < stored.expires_at - timezone.now() <= timedelta(hours=1)
    ShareLink.objects.filter(pk=made["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    [listed] = owner.get(links_url(document)).json()["results"]
    assert (listed["id"], listed["is_expired"]) == (made["id"], True)
    assert "token" not in listed


def test_the_list_is_paginated_newest_first_and_never_shows_secrets(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    ids = [
        owner.post(links_url(document), {}, content_type="application/json").json()["id"]
        for _ in range(3)
    ]
    DocumentFactory(room=room_with_everyone.room)  # another document's links are not listed
    first = owner.get(links_url(document), {"limit": 2}).json()
    assert [link["id"] for link in first["results"]] == ids[::-1][:2]
    second = owner.get(first["next"]).json()
    assert [link["id"] for link in second["results"]] == ids[:1]
    assert all("token" not in link for link in first["results"] + second["results"])


def test_revoking_takes_the_link_out_of_the_list_and_twice_is_404(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    made = owner.post(links_url(document), {}, content_type="application/json").json()
    assert owner.delete(f"{links_url(document)}/{made['id']}").status_code == 204
    assert ShareLink.objects.get(pk=made["id"]).revoked_at is not None
    assert owner.get(links_url(document)).json()["results"] == []
    again = owner.delete(f"{links_url(document)}/{made['id']}")
    assert (again.status_code, again.json()["code"]) == (404, "share_link_not_found")


def test_an_editor_revokes_their_own_links_and_only_owners_revoke_others(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    editor = room_with_everyone.client("editor")
    owners_link = owner.post(links_url(document), {}, content_type="application/json").json()
    editors_link = editor.post(links_url(document), {}, content_type="application/json").json()
    refused = editor.delete(f"{links_url(document)}/{owners_link['id']}")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert ShareLink.objects.get(pk=owners_link["id"]).revoked_at is None
    assert editor.delete(f"{links_url(document)}/{editors_link['id']}").status_code == 204
    assert owner.delete(f"{links_url(document)}/{owners_link['id']}").status_code == 204


def test_a_link_of_another_document_is_not_revoked_through_this_one(room_with_everyone):
    document, other = DocumentFactory.create_batch(2, room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    made = owner.post(links_url(other), {}, content_type="application/json").json()
    answer = owner.delete(f"{links_url(document)}/{made['id']}")
    assert answer.status_code == 404
    assert ShareLink.objects.get(pk=made["id"]).revoked_at is None


def test_revoking_announces_an_access_change(
    room_with_everyone, django_capture_on_commit_callbacks
):
    """Its sockets close because the revocation moves the access epoch and is announced."""
    from rooms.membership.services.access_epoch import access_epoch

    document = DocumentFactory(room=room_with_everyone.room)
    owner = room_with_everyone.client("owner")
    made = owner.post(links_url(document), {}, content_type="application/json").json()
    before = access_epoch()
    with django_capture_on_commit_callbacks() as callbacks:
        owner.delete(f"{links_url(document)}/{made['id']}")
    assert access_epoch() > before
    assert callbacks
