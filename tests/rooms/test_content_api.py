"""A document's content over REST: read in every format with its ETag, and written from the
server as a Yjs update that is stored, then published to the processes with the document
open, and seen at once by a connected editor."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from pycrdt import Doc

from rooms.accounts.services import api_token_create
from rooms.documents.content import tree as content
from rooms.documents.content.markdown import MAX_DEPTH
from rooms.documents.models import DocumentKind
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.membership.models import Role
from rooms.sync import log
from rooms.sync.models import DocumentUpdate
from tests.conftest import client_for
from tests.factories import (
    DocumentFactory,
    DocumentStateFactory,
    DocumentUpdateFactory,
    MembershipFactory,
    UserFactory,
)
from tests.ysync_client import YClient

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "prosemirror_docs.json").read_text())
WHO = ["owner", "editor", "commenter", "viewer", "outsider", "anonymous"]


def stored_text_document(room, **fields):
    """A text document stored as a compacted state plus a log of two updates."""
    document = DocumentFactory(room=room, last_seq=2, **fields)
    DocumentStateFactory(document=document, seq=0, data=bytes.fromhex(FIXTURE["rich"]["update"]))
    writer = content.load(bytes.fromhex(FIXTURE["rich"]["update"]))
    first = content.append_blocks(writer, content.paragraphs_from_text("Added once."))
    second = content.append_blocks(writer, content.paragraphs_from_text("Added twice."))
    DocumentUpdateFactory(document=document, seq=1, data=first)
    DocumentUpdateFactory(document=document, seq=2, data=second)
    return document


def content_of(document, user, fmt="text"):
    response = client_for(user).get(f"/api/v1/documents/{document.pk}/content?format={fmt}")
    assert response.status_code == 200
    return response.json()["content"]


def test_text_format_has_the_state_and_every_logged_update_with_the_etag(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)

    response = room_with_everyone.client("viewer").get(
        f"/api/v1/documents/{document.pk}/content?format=text"
    )

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    body = response.json()
    assert (body["document"], body["kind"], body["format"], body["seq"], body["etag"]) == (
        str(document.pk),
        "text",
        "text",
        2,
        '"2"',
    )
    assert body["content"].endswith("bad link\n\nAdded once.\n\nAdded twice.")


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("markdown", "# Grüße 🌍 plan\n\nPlain **bold**"),
        ("html", "<h1>Grüße 🌍 plan</h1><p>Plain <strong>bold</strong>"),
        (
            None,
            {
                "type": "heading",
                "attrs": {"level": 1},
                "content": [{"type": "text", "text": "Grüße 🌍 plan"}],
            },
        ),
        (
            "json",
            {
                "type": "heading",
                "attrs": {"level": 1},
                "content": [{"type": "text", "text": "Grüße 🌍 plan"}],
            },
        ),
    ],
    ids=["markdown", "html", "default-json", "json"],
)
def test_every_format_of_a_text_document(room_with_everyone, fmt, start):
    document = stored_text_document(room_with_everyone.room)
    query = f"?format={fmt}" if fmt else ""

    body = (
        room_with_everyone.client("viewer")
        .get(f"/api/v1/documents/{document.pk}/content{query}")
        .json()
    )

    assert body["format"] == (fmt or "json")
    if isinstance(start, str):
        assert body["content"].startswith(start)
    else:
        assert body["content"]["type"] == "doc"
        assert body["content"]["content"][0] == start
        assert body["content"]["content"][-1] == {
            "type": "paragraph",
            "content": [{"type": "text", "text": "Added twice."}],
        }


def test_whiteboard_reads_as_json_of_its_shapes(room_with_everyone):
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD, last_seq=1)
    DocumentUpdateFactory(
        document=board, seq=1, data=bytes.fromhex(FIXTURE["whiteboard"]["update"])
    )

    response = room_with_everyone.client("viewer").get(f"/api/v1/documents/{board.pk}/content")

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["content"] == {"shapes": FIXTURE["whiteboard"]["json"]}


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [
        (DocumentKind.TEXT, "pdf"),
        (DocumentKind.TEXT, "TEXT"),
        (DocumentKind.WHITEBOARD, "markdown"),
    ],
)
def test_unknown_format_is_400_invalid_format(room_with_everyone, kind, fmt):
    document = DocumentFactory(room=room_with_everyone.room, kind=kind)

    response = room_with_everyone.client("owner").get(
        f"/api/v1/documents/{document.pk}/content?format={fmt}"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_format"


def test_an_empty_document_reads_empty_at_etag_zero(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("owner").get(
        f"/api/v1/documents/{document.pk}/content?format=json"
    )

    assert response["ETag"] == '"0"'
    assert response.json()["content"] == {"type": "doc", "content": []}


def test_editor_appends_text_as_one_logged_update_and_gets_the_new_etag(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)
    editor = room_with_everyone.users["editor"]

    response = client_for(editor).post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "Third line\nwith a break\n\nand a paragraph"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"seq": 3, "etag": '"3"'}
    assert response["ETag"] == '"3"'
    assert content_of(document, editor).endswith(
        "Added twice.\n\nThird line\nwith a break\n\nand a paragraph"
    )
    row = DocumentUpdate.objects.get(document=document, seq=3)
    assert row.author == editor
    document.refresh_from_db()
    assert document.last_seq == 3


def test_replace_with_markdown_leaves_exactly_its_blocks(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)
    owner = room_with_everyone.users["owner"]

    response = client_for(owner).post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "replace", "markdown": "## Plan\n\n- **one**\n- two\n\n1. first"},
        format="json",
    )

    assert response.status_code == 200
    assert content_of(document, owner, fmt="markdown") == (
        "## Plan\n\n- **one**\n- two\n\n1. first\n"
    )


def test_a_table_and_an_image_written_as_markdown_read_back_in_every_format(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)
    owner = room_with_everyone.users["owner"]
    markdown = (
        "| Name | Notes |\n| --- | --- |\n| a | **b** |\n\n"
        '![A diagram](https://example.com/d.png "Plan")\n\n'
        "```python\nx = 1\n```\n"
    )

    response = client_for(owner).post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "replace", "markdown": markdown},
        format="json",
    )

    assert response.status_code == 200
    assert content_of(document, owner, fmt="markdown") == markdown
    assert content_of(document, owner, fmt="html") == (
        "<table><tr><th><p>Name</p></th><th><p>Notes</p></th></tr>"
        "<tr><td><p>a</p></td><td><p><strong>b</strong></p></td></tr></table>"
        '<img src="https://example.com/d.png" alt="A diagram" title="Plan">'
        '<pre><code class="language-python">x = 1</code></pre>'
    )
    assert content_of(document, owner, fmt="text") == "Name\n\nNotes\n\na\n\nb\n\nx = 1"


def test_markdown_nested_deeper_than_it_can_be_read_is_400_and_stores_nothing(
    room_with_everyone,
):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "markdown": ">" * (MAX_DEPTH + 1) + " deep"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "markdown_too_deep")
    assert not DocumentUpdate.objects.filter(document=document).exists()


def test_replace_with_nothing_leaves_one_empty_paragraph(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)
    owner = room_with_everyone.users["owner"]

    client_for(owner).post(
        f"/api/v1/documents/{document.pk}/content", {"mode": "replace", "text": ""}, format="json"
    )

    assert content_of(document, owner, fmt="json") == {
        "type": "doc",
        "content": [{"type": "paragraph"}],
    }


def test_stale_if_match_is_412_and_stores_nothing(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "late"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 412
    assert response.json() == {
        "detail": 'The document changed: its ETag is now "2".',
        "code": "precondition_failed",
    }
    assert list(DocumentUpdate.objects.filter(document=document).values_list("seq", flat=True)) == [
        1,
        2,
    ]


@pytest.mark.parametrize("if_match", ['"2"', '"0", "2"', "*"])
def test_current_if_match_lets_the_write_through(room_with_everyone, if_match):
    document = stored_text_document(room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "on time"},
        format="json",
        HTTP_IF_MATCH=if_match,
    )

    assert response.status_code == 200
    assert response.json()["etag"] == '"3"'


def test_weak_if_match_never_matches(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "x"},
        format="json",
        HTTP_IF_MATCH='W/"2"',
    )

    assert response.status_code == 412


def test_the_etag_from_a_read_makes_a_safe_write(room_with_everyone):
    document = stored_text_document(room_with_everyone.room)
    client = room_with_everyone.client("editor")
    etag = client.get(f"/api/v1/documents/{document.pk}/content")["ETag"]

    first = client.post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "mine"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    second = client.post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "based on the old read"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert (first.status_code, second.status_code) == (200, 412)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"mode": "append"}, "text_or_markdown"),
        ({"mode": "append", "text": "a", "markdown": "b"}, "text_or_markdown"),
        ({"mode": "merge", "text": "a"}, "invalid_choice"),
        ({"mode": "append", "text": "a", "html": "<p>"}, "unknown_field"),
    ],
)
def test_bad_write_bodies_are_400_and_store_nothing(room_with_everyone, body, code):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content", body, format="json"
    )

    assert response.status_code == 400
    codes = [error["code"] for errors in response.json()["fields"].values() for error in errors]
    assert codes == [code]
    assert not DocumentUpdate.objects.filter(document=document).exists()


def test_appending_nothing_is_400_blank(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "\n\n"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "blank")


def test_over_long_text_is_400_max_length(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "x" * 200_001},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["text"][0]["code"] == "max_length"


def test_writing_text_to_a_whiteboard_is_400_wrong_document_kind(room_with_everyone):
    board = DocumentFactory(room=room_with_everyone.room, kind=DocumentKind.WHITEBOARD)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{board.pk}/content", {"mode": "append", "text": "x"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "wrong_document_kind")


def test_a_write_past_the_document_size_limit_is_413(room_with_everyone, settings):
    settings.COLLAB_MAX_DOCUMENT_BYTES = 100
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").post(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "text": "y" * 200},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (413, "document_too_large")
    assert not DocumentUpdate.objects.filter(document=document).exists()


def test_locked_document_takes_writes_from_owners_only(room_with_everyone):
    document = stored_text_document(
        room_with_everyone.room, is_locked=True, locked_at="2025-01-01T00:00:00Z"
    )
    path = f"/api/v1/documents/{document.pk}/content"
    body = {"mode": "append", "text": "x"}

    editor = room_with_everyone.client("editor").post(path, body, format="json")
    owner = room_with_everyone.client("owner").post(path, body, format="json")

    assert (editor.status_code, editor.json()["code"]) == (403, "document_locked")
    assert owner.status_code == 200


def test_archived_room_refuses_content_writes(room_with_everyone):
    room = room_with_everyone.room
    room.is_archived = True
    room.save()
    document = DocumentFactory(room=room)

    response = room_with_everyone.client("owner").post(
        f"/api/v1/documents/{document.pk}/content", {"mode": "append", "text": "x"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "room_archived")


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("get", dict(zip(WHO, [200, 200, 200, 200, 404, 401], strict=True))),
        ("post", dict(zip(WHO, [200, 200, 403, 403, 404, 401], strict=True))),
    ],
)
def test_who_may_read_and_write_content(room_with_everyone, method, expected):
    document = DocumentFactory(room=room_with_everyone.room)
    path = f"/api/v1/documents/{document.pk}/content"
    statuses = {}
    for who in WHO:
        client = room_with_everyone.client(who)
        if method == "get":
            statuses[who] = client.get(path).status_code
        else:
            statuses[who] = client.post(
                path, {"mode": "append", "text": who}, format="json"
            ).status_code

    assert statuses == expected


def test_unknown_document_is_404(room_with_everyone):
    response = room_with_everyone.client("owner").get(
        "/api/v1/documents/00000000-0000-0000-0000-000000000000/content"
    )

    assert (response.status_code, response.json()["code"]) == (404, "document_not_found")


# --- after the commit: publishing to the processes that have the document open -------------


def listen_to(document) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(log.group_name(document.pk), channel)
    return channel


def test_a_committed_write_is_published_once_to_the_documents_group(
    room_with_everyone, django_capture_on_commit_callbacks
):
    document = stored_text_document(room_with_everyone.room)
    channel = listen_to(document)
    editor = room_with_everyone.users["editor"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seq = document_content_write(
            actor=editor, document_id=document.pk, mode=WriteMode.APPEND, text="live"
        )

    message = async_to_sync(get_channel_layer().receive)(channel)
    stored = DocumentUpdate.objects.get(document=document, seq=seq)
    assert len(callbacks) == 2  # the publish, and telling the log's subscribers
    assert message == {
        "type": "doc.update",
        "seq": 3,
        "update": bytes(stored.data),
        "document": str(document.pk),
        "process": log.SERVER_WRITE,
    }


def test_a_refused_write_publishes_nothing(room_with_everyone, django_capture_on_commit_callbacks):
    document = stored_text_document(room_with_everyone.room)
    editor = room_with_everyone.users["editor"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(editor).post(
            f"/api/v1/documents/{document.pk}/content",
            {"mode": "append", "text": "late"},
            format="json",
            HTTP_IF_MATCH='"0"',
        )

    assert response.status_code == 412
    assert callbacks == []


def test_a_failing_channel_layer_does_not_fail_the_committed_write(
    room_with_everyone, django_capture_on_commit_callbacks, monkeypatch
):
    document = stored_text_document(room_with_everyone.room)

    async def broken(*args, **kwargs):
        raise ConnectionError("redis went away")

    monkeypatch.setattr(get_channel_layer(), "group_send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = room_with_everyone.client("editor").post(
            f"/api/v1/documents/{document.pk}/content",
            {"mode": "append", "text": "kept"},
            format="json",
        )

    assert response.status_code == 200
    assert DocumentUpdate.objects.filter(document=document, seq=3).exists()


@sync_to_async
def editor_token_and_client(document):
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    return api_token_create(user=user, name="t")[1], client_for(user)


@pytest.mark.django_db(transaction=True)
async def test_an_editor_connected_over_websocket_sees_a_rest_write_at_once():
    document = await sync_to_async(DocumentFactory)()
    token, rest = await editor_token_and_client(document)
    live, connected = await YClient.connect(document.pk, token)
    assert connected
    await live.sync()
    await live.insert(0, "typed live")  # a Y.Text beside the fragment: the log has seq 1
    await logged_count_reaches(document, 1)

    response = await sync_to_async(rest.post)(
        f"/api/v1/documents/{document.pk}/content",
        {"mode": "append", "markdown": "From **REST**"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    await live.receive_one()

    assert response.status_code == 200
    assert response.json() == {"seq": 2, "etag": '"2"'}
    assert content.text_document_json(live.doc) == {
        "type": "doc",
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "From "},
                    {"type": "text", "text": "REST", "marks": [{"type": "bold"}]},
                ],
            }
        ],
    }
    assert str(live.text) == "typed live"
    assert await live.ws.receive_nothing(timeout=0.2)
    await live.ws.disconnect()


async def logged_count_reaches(document, expected: int) -> None:
    count = sync_to_async(DocumentUpdate.objects.filter(document=document).count)
    for _ in range(100):
        if await count() == expected:
            return
        await asyncio.sleep(0.03)


def test_a_document_edited_only_by_the_server_reads_back_in_a_fresh_yjs_doc(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    editor = room_with_everyone.users["editor"]
    document_content_write(actor=editor, document_id=document.pk, mode=WriteMode.APPEND, text="a")
    document_content_write(
        actor=editor, document_id=document.pk, mode=WriteMode.REPLACE, markdown="# b"
    )
    doc = Doc()
    for data in DocumentUpdate.objects.filter(document=document).order_by("seq"):
        doc.apply_update(bytes(data.data))

    assert content.text_document_json(doc) == {
        "type": "doc",
        "content": [
            {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "b"}]}
        ],
    }
