"""Versions: named snapshots, and restoring one as a new edit that live editors see at once
(automatic versions: test_version_history.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone
from pycrdt import Map

from rooms.accounts.services import api_token_create
from rooms.documents.content import tree as content
from rooms.documents.content.render import document_text
from rooms.documents.models import DocumentKind, DocumentVersion
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.documents.services.versions import version_create, version_restore
from rooms.membership.models import Role
from rooms.sync import compaction, log
from rooms.sync.models import DocumentUpdate
from tests.conftest import client_for
from tests.factories import (
    DocumentFactory,
    DocumentUpdateFactory,
    DocumentVersionFactory,
    MembershipFactory,
    UserFactory,
)
from tests.ysync_client import YClient

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "prosemirror_docs.json").read_text())
WHO = ["owner", "editor", "commenter", "viewer", "outsider", "anonymous"]


def write(document, user, text, mode=WriteMode.APPEND):
    return document_content_write(actor=user, document_id=document.pk, mode=mode, text=text)


def text_of(document) -> str:
    stored = log.document_load(document.pk)
    doc = content.load(stored.state, [update for _, update in stored.updates])
    return document_text(content.text_document_json(doc))


def test_editor_keeps_a_named_version_of_the_current_content(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "first")
    write(document, editor, "second")

    response = client_for(editor).post(
        f"/api/v1/documents/{document.pk}/versions", {"name": "  Draft 1 "}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["is_automatic"], body["seq"], body["created_by"]["id"]) == (
        "Draft 1",
        False,
        2,
        editor.pk,
    )
    version = DocumentVersion.objects.get(pk=body["id"])
    assert content.text_document_json(content.load(bytes(version.data)))["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "first"}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "second"}]},
    ]


def test_a_version_of_a_compacted_document_has_the_same_content(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "one")
    compaction.document_compact(document.pk)
    write(document, editor, "two")

    version = version_create(actor=editor, document_id=document.pk, name="v")

    assert version.seq == 2
    assert content.text_document_json(content.load(bytes(version.data)))["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "one"}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "two"}]},
    ]


@pytest.mark.parametrize(("name", "code"), [("   ", "blank"), ("x" * 201, "max_length")])
def test_a_version_needs_a_name_of_at_most_200_characters(room_with_everyone, name, code):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/versions", {"name": name}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["name"][0]["code"] == code
    assert not DocumentVersion.objects.exists()


def test_versions_are_listed_newest_first_without_their_data(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    older = DocumentVersionFactory(document=document, name="older", seq=1)
    DocumentVersion.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    newer = DocumentVersionFactory(document=document, name="newer", seq=2)
    DocumentVersionFactory(name="of another document")

    response = room_with_everyone.client("viewer").get(f"/api/v1/documents/{document.pk}/versions")

    assert response.status_code == 200
    assert [(v["id"], v["name"], v["seq"]) for v in response.json()["results"]] == [
        (str(newer.pk), "newer", 2),
        (str(older.pk), "older", 1),
    ]
    assert "data" not in response.json()["results"][0]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "first\n\nsecond"),
        ("markdown", "first\n\nsecond\n"),
        ("html", "<p>first</p><p>second</p>"),
        (
            None,
            {
                "type": "doc",
                "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": "first"}]},
                    {"type": "paragraph", "content": [{"type": "text", "text": "second"}]},
                ],
            },
        ),
    ],
)
def test_a_version_reads_with_its_content_in_any_format(room_with_everyone, fmt, expected):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "first\n\nsecond")
    version = version_create(actor=editor, document_id=document.pk, name="v")
    write(document, editor, "later", mode=WriteMode.REPLACE)
    query = f"?format={fmt}" if fmt else ""

    response = room_with_everyone.client("viewer").get(
        f"/api/v1/documents/{document.pk}/versions/{version.pk}{query}"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["format"], body["content"]) == (
        str(version.pk),
        "v",
        fmt or "json",
        expected,
    )


def test_unknown_format_of_a_version_is_400_invalid_format(room_with_everyone):
    version = DocumentVersionFactory(document=DocumentFactory(room=room_with_everyone.room))

    response = room_with_everyone.client("owner").get(
        f"/api/v1/documents/{version.document_id}/versions/{version.pk}?format=rtf"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_format")


@pytest.mark.parametrize("version_id", ["00000000-0000-0000-0000-000000000000", "nope", "other"])
def test_unknown_version_or_one_of_another_document_is_404(room_with_everyone, version_id):
    document = DocumentFactory(room=room_with_everyone.room)
    if version_id == "other":
        version_id = DocumentVersionFactory(document=DocumentFactory(room=document.room)).pk

    for path in ["", "/restore"]:
        client = room_with_everyone.client("owner")
        url = f"/api/v1/documents/{document.pk}/versions/{version_id}{path}"
        response = client.post(url) if path else client.get(url)
        assert (response.status_code, response.json()["code"]) == (404, "version_not_found")


def test_restore_is_a_new_edit_that_makes_the_content_the_versions(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "kept")
    version = version_create(actor=editor, document_id=document.pk, name="before the mess")
    write(document, editor, "mess", mode=WriteMode.REPLACE)
    write(document, editor, "more mess")

    response = client_for(editor).post(
        f"/api/v1/documents/{document.pk}/versions/{version.pk}/restore"
    )

    assert response.status_code == 200
    assert response.json() == {"seq": 4, "etag": '"4"'}
    assert response["ETag"] == '"4"'
    assert text_of(document) == "kept"
    assert list(DocumentUpdate.objects.filter(document=document).values_list("seq", "author")) == [
        (1, editor.pk),
        (2, editor.pk),
        (3, editor.pk),
        (4, editor.pk),
    ]


def test_restoring_the_current_content_appends_nothing(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "same")
    version = version_create(actor=editor, document_id=document.pk, name="v")

    seq = version_restore(actor=editor, document_id=document.pk, version_id=version.pk)

    assert seq == 1
    assert DocumentUpdate.objects.filter(document=document).count() == 1


def test_restore_with_a_stale_if_match_is_412(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "v1")
    version = version_create(actor=editor, document_id=document.pk, name="v")
    write(document, editor, "v2")

    response = client_for(editor).post(
        f"/api/v1/documents/{document.pk}/versions/{version.pk}/restore", HTTP_IF_MATCH='"1"'
    )

    assert (response.status_code, response.json()["code"]) == (412, "precondition_failed")
    assert text_of(document) == "v1\n\nv2"


def test_restoring_a_whiteboard_sets_its_shapes_to_the_versions(room_with_everyone):
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD, last_seq=1)
    DocumentUpdateFactory(
        document=board, seq=1, data=bytes.fromhex(FIXTURE["whiteboard"]["update"])
    )
    owner = room_with_everyone.users["owner"]
    version = version_create(actor=owner, document_id=board.pk, name="layout")
    stored = log.document_load(board.pk)
    doc = content.load(None, [update for _, update in stored.updates])
    before = doc.get_state()
    shapes = doc.get("shapes", type=Map)
    shapes["circle-9"] = {"kind": "circle"}
    shapes["rect-1"]["x"] = 99
    del shapes["arrow-1"]
    log.updates_append(
        [log.PendingUpdate(document_id=board.pk, data=doc.get_update(before), author_id=None)]
    )

    seq = version_restore(actor=owner, document_id=board.pk, version_id=version.pk)

    read = client_for(owner).get(f"/api/v1/documents/{board.pk}/content").json()
    assert seq == 3
    assert read["content"] == {"shapes": FIXTURE["whiteboard"]["json"]}


def test_a_committed_restore_is_published_like_any_server_edit(
    room_with_everyone, django_capture_on_commit_callbacks
):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    write(document, editor, "v1")
    version = version_create(actor=editor, document_id=document.pk, name="v")
    write(document, editor, "v2")
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(log.group_name(document.pk), channel)

    with django_capture_on_commit_callbacks(execute=True):
        version_restore(actor=editor, document_id=document.pk, version_id=version.pk)

    message = async_to_sync(layer.receive)(channel)
    assert (message["type"], message["seq"], message["document"], message["process"]) == (
        "doc.update",
        3,
        str(document.pk),
        log.SERVER_WRITE,
    )
    assert message["update"] == bytes(DocumentUpdate.objects.get(document=document, seq=3).data)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("list", dict(zip(WHO, [200, 200, 200, 200, 404, 401], strict=True))),
        ("create", dict(zip(WHO, [201, 201, 403, 403, 404, 401], strict=True))),
        ("read", dict(zip(WHO, [200, 200, 200, 200, 404, 401], strict=True))),
        ("restore", dict(zip(WHO, [200, 200, 403, 403, 404, 401], strict=True))),
    ],
)
def test_viewers_list_and_read_versions_and_editors_create_and_restore(
    room_with_everyone, action, expected
):
    document = DocumentFactory(room=room_with_everyone.room)
    version = DocumentVersionFactory(document=document)
    base = f"/api/v1/documents/{document.pk}/versions"
    statuses = {}
    for who in WHO:
        client = room_with_everyone.client(who)
        if action == "list":
            response = client.get(base)
        elif action == "create":
            response = client.post(base, {"name": who}, format="json")
        elif action == "read":
            response = client.get(f"{base}/{version.pk}")
        else:
            response = client.post(f"{base}/{version.pk}/restore")
        statuses[who] = response.status_code

    assert statuses == expected


def test_restoring_into_a_locked_document_is_for_owners_only(room_with_everyone):
    document = DocumentFactory(
        room=room_with_everyone.room, is_locked=True, locked_at=timezone.now()
    )
    version = DocumentVersionFactory(document=document)
    path = f"/api/v1/documents/{document.pk}/versions/{version.pk}/restore"

    editor = room_with_everyone.client("editor").post(path)
    owner = room_with_everyone.client("owner").post(path)

    assert (editor.status_code, editor.json()["code"]) == (403, "document_locked")
    assert owner.status_code == 200


@sync_to_async
def editor_with_version(document_text: str):
    document = DocumentFactory()
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    write(document, user, document_text)
    version = version_create(actor=user, document_id=document.pk, name="v")
    write(document, user, "overwritten", mode=WriteMode.REPLACE)
    return document, version, user, api_token_create(user=user, name="t")[1]


@pytest.mark.django_db(transaction=True)
async def test_an_editor_connected_over_websocket_sees_a_restore_at_once():
    document, version, user, token = await editor_with_version("the good draft")
    live, connected = await YClient.connect(document.pk, token)
    assert connected
    await live.sync()
    assert content.text_document_json(live.doc)["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "overwritten"}]}
    ]

    response = await sync_to_async(client_for(user).post)(
        f"/api/v1/documents/{document.pk}/versions/{version.pk}/restore"
    )
    await live.receive_one()

    assert response.json() == {"seq": 3, "etag": '"3"'}
    assert content.text_document_json(live.doc)["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "the good draft"}]}
    ]
    await live.ws.disconnect()
