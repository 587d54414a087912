"""A whiteboard's shapes written over REST (PUT replaces, PATCH merges by id): checked against
the shape schema, applied as one update through the document log and seen at once by a
connected client; and boards made before issue 25 migrated without losing anything."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management import call_command
from pycrdt import Doc, Map

from rooms.accounts.services import api_token_create
from rooms.documents import board_migration_hooks
from rooms.documents.content import board_migration, tree
from rooms.documents.content.shape_schema import shape_errors
from rooms.documents.models import DocumentKind
from rooms.documents.services.board_content import whiteboard_migrate, whiteboards_migrate
from rooms.documents.tasks import migrate_whiteboard
from rooms.membership.models import Role
from rooms.sync import log
from rooms.sync.models import DocumentUpdate
from tests.conftest import client_for
from tests.factories import DocumentFactory, DocumentUpdateFactory, MembershipFactory, UserFactory
from tests.rooms.test_content import read_with_yjs
from tests.rooms.test_whiteboard_schema import EVERY_FIELD
from tests.ysync_client import YClient

OLD_BOARD = json.loads((Path(__file__).parent / "fixtures" / "old_board.json").read_text())
RECT = {"type": "rect", "x": 10, "y": 20, "w": 100, "h": 50, "color": "#e03131", "z": 1}
NOTE = {"type": "sticky", "x": 200, "y": 20, "w": 120, "h": 80, "text": "Hi", "z": 2}


def whiteboard(room, shapes=None):
    """A whiteboard whose log holds one update that adds ``shapes`` (one Y.Map each)."""
    document = DocumentFactory(room=room, kind=DocumentKind.WHITEBOARD)
    if shapes:
        doc = Doc()
        stored = doc.get(tree.SHAPES, type=Map)
        with doc.transaction():
            for key, value in shapes.items():
                stored[key] = Map(value)
        DocumentUpdateFactory(document=document, seq=1, data=doc.get_update())
        document.last_seq = 1
        document.save(update_fields=["last_seq"])
    return document


def old_board(room):
    document = DocumentFactory(room=room, kind=DocumentKind.WHITEBOARD, last_seq=1)
    DocumentUpdateFactory(document=document, seq=1, data=bytes.fromhex(OLD_BOARD["update"]))
    return document


def shapes_of(document):
    return tree.whiteboard_json(log.document_load(document.pk).to_doc())


def path(document):
    return f"/api/v1/documents/{document.pk}/content"


def test_put_replaces_the_shapes_as_one_logged_update(room_with_everyone):
    board = whiteboard(room_with_everyone.room, {"r": RECT, "gone": NOTE})
    moved = {**RECT, "x": 60, "rotation": 0.5, "text": "Label", "align": "center"}

    response = room_with_everyone.client("editor").put(
        path(board), {"shapes": {"r": moved, "n": NOTE}}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200
    assert response.json() == {"seq": 2, "etag": '"2"'}
    assert response["ETag"] == '"2"'
    assert DocumentUpdate.objects.filter(document=board).count() == 2
    assert shapes_of(board) == {"r": moved, "n": NOTE}
    assert board_migration.board_version(log.document_load(board.pk).to_doc()) == 2


def test_put_of_the_same_shapes_writes_nothing(room_with_everyone):
    board = whiteboard(room_with_everyone.room, {"r": RECT})
    client = room_with_everyone.client("editor")
    client.put(path(board), {"shapes": {"r": RECT}}, format="json")  # migrates: seq 2

    response = client.put(path(board), {"shapes": {"r": RECT}}, format="json")

    assert response.json() == {"seq": 2, "etag": '"2"'}
    assert DocumentUpdate.objects.filter(document=board).count() == 2


def test_patch_adds_changes_and_removes_shapes_by_id(room_with_everyone):
    board = whiteboard(room_with_everyone.room, {"r": RECT, "n": NOTE})

    response = room_with_everyone.client("editor").patch(
        path(board),
        {
            "shapes": {
                "r": {"color": "#2f6fdf", "z": None, "fontSize": 24},
                "n": None,
                "f": {"type": "frame", "x": 0, "y": 0, "w": 400, "h": 300, "text": "Plan"},
                "never-there": None,
            }
        },
        format="json",
    )

    assert response.status_code == 200
    assert DocumentUpdate.objects.filter(document=board).count() == 2
    without_z = {key: value for key, value in RECT.items() if key != "z"}
    assert shapes_of(board) == {
        "r": {**without_z, "color": "#2f6fdf", "fontSize": 24},
        "f": {"type": "frame", "x": 0, "y": 0, "w": 400, "h": 300, "text": "Plan"},
    }


def test_a_changed_shape_keeps_its_map_so_a_concurrent_edit_of_another_field_survives(
    room_with_everyone,
):
    board = whiteboard(room_with_everyone.room, {"r": RECT})
    # Someone drawing moves the shape, in an update the server has not seen yet.
    drawer = log.document_load(board.pk).to_doc()
    before = drawer.get_state()
    drawer.get(tree.SHAPES, type=Map)["r"]["x"] = 500
    moved = drawer.get_update(before)

    room_with_everyone.client("editor").patch(
        path(board), {"shapes": {"r": {"color": "#2b8a3e"}}}, format="json"
    )
    merged = log.document_load(board.pk).to_doc()
    merged.apply_update(moved)

    assert tree.whiteboard_json(merged)["r"] == {**RECT, "x": 500, "color": "#2b8a3e"}


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize(
    ("shape", "field"),
    [
        ({**RECT, "fontSize": 400}, "shapes.r.fontSize"),
        ({**RECT, "type": "cloud"}, "shapes.r.type"),
        (
            {**RECT, "startBinding": {"shapeId": "n", "anchor": {"x": 2, "y": 0}}},
            "shapes.r.startBinding.anchor.x",
        ),
        ({**RECT, "colour": "#fff"}, "shapes.r.colour"),
        ("a rectangle", "shapes.r"),
    ],
)
def test_an_invalid_shape_is_400_with_its_path_and_nothing_is_written(
    room_with_everyone, method, shape, field
):
    board = whiteboard(room_with_everyone.room, {"n": NOTE})
    body = {"shapes": {"n": NOTE, "r": shape}}

    response = getattr(room_with_everyone.client("editor"), method)(
        path(board), body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_shape"
    assert list(response.json()["fields"]) == [field]
    assert DocumentUpdate.objects.filter(document=board).count() == 1
    assert shapes_of(board) == {"n": NOTE}


def test_a_patch_that_would_leave_a_stored_shape_invalid_is_400(room_with_everyone):
    board = whiteboard(room_with_everyone.room, {"r": RECT})

    response = room_with_everyone.client("editor").patch(
        path(board), {"shapes": {"r": {"w": None}}}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_shape")
    assert list(response.json()["fields"]) == ["shapes.r.w"]
    assert shapes_of(board) == {"r": RECT}


@pytest.mark.parametrize(
    "body", [{}, {"shapes": []}, {"shapes": {}, "mode": "replace"}, ["shapes"]]
)
def test_a_malformed_body_is_400_and_writes_nothing(room_with_everyone, body):
    board = whiteboard(room_with_everyone.room, {"r": RECT})

    response = room_with_everyone.client("editor").put(path(board), body, format="json")

    assert response.status_code == 400
    assert DocumentUpdate.objects.filter(document=board).count() == 1


def test_shapes_written_to_a_text_document_are_400_wrong_document_kind(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)

    response = room_with_everyone.client("editor").patch(
        path(document), {"shapes": {"r": RECT}}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "wrong_document_kind")


def test_a_stale_if_match_is_412_and_writes_nothing(room_with_everyone):
    board = whiteboard(room_with_everyone.room, {"r": RECT})

    response = room_with_everyone.client("editor").patch(
        path(board), {"shapes": {"r": None}}, format="json", HTTP_IF_MATCH='"0"'
    )

    assert response.status_code == 412
    assert shapes_of(board) == {"r": RECT}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_who_may_write_shapes(room_with_everyone, method):
    board = whiteboard(room_with_everyone.room)
    statuses = {}
    for who in ["owner", "editor", "commenter", "viewer", "outsider", "anonymous"]:
        client = room_with_everyone.client(who)
        body = {"shapes": {who: {**RECT, "text": who}}}
        statuses[who] = getattr(client, method)(path(board), body, format="json").status_code

    assert statuses == {
        "owner": 200,
        "editor": 200,
        "commenter": 403,
        "viewer": 403,
        "outsider": 404,
        "anonymous": 401,
    }
    assert set(shapes_of(board)) == {"owner", "editor"} if method == "patch" else {"editor"}


@sync_to_async
def board_and_editor():
    board = whiteboard(DocumentFactory().room, {"r": RECT})
    user = UserFactory()
    MembershipFactory(room=board.room, user=user, role=Role.EDITOR)
    return board, api_token_create(user=user, name="t")[1], client_for(user)


@pytest.mark.django_db(transaction=True)
async def test_a_client_connected_to_the_board_sees_a_patch_at_once():
    board, token, rest = await board_and_editor()
    live, connected = await YClient.connect(board.pk, token)
    assert connected
    await live.sync()
    assert tree.whiteboard_json(live.doc) == {"r": RECT}

    response = await sync_to_async(rest.patch)(
        path(board), {"shapes": {"r": {"rotation": 0.25}, "n": NOTE}}, format="json"
    )
    await live.receive_one()

    assert response.status_code == 200
    assert tree.whiteboard_json(live.doc) == {"r": {**RECT, "rotation": 0.25}, "n": NOTE}
    assert await live.ws.receive_nothing(timeout=0.2)
    await live.ws.disconnect()


# --- boards made before issue 25 ---------------------------------------------------------


def test_an_old_board_opens_as_it_was_stored(room_with_everyone):
    board = old_board(room_with_everyone.room)

    response = room_with_everyone.client("viewer").get(path(board))

    assert response.status_code == 200
    assert response.json()["content"]["shapes"] == {
        **OLD_BOARD["json"],
        "nan": {**OLD_BOARD["json"]["nan"], "x": None},  # JSON has no NaN
    }


def test_migrating_an_old_board_mends_what_it_can_and_keeps_everything(room_with_everyone):
    board = old_board(room_with_everyone.room)

    migration = whiteboard_migrate(document_id=board.pk)

    assert migration is not None
    assert (migration.from_version, migration.repaired) == (1, {"nan": ["x"], "stringy": ["w"]})
    assert migration.left_as_they_are == ["cloud", "plain"]
    shapes = shapes_of(board)
    assert shapes["nan"] == {**OLD_BOARD["json"]["nan"], "x": 0, "legacy": {"x": "NaN"}}
    assert shapes["stringy"] == {**OLD_BOARD["json"]["stringy"], "w": 0, "legacy": {"w": "30"}}
    untouched = set(OLD_BOARD["json"]) - {"nan", "stringy"}
    assert {key: shapes[key] for key in untouched} == {
        key: OLD_BOARD["json"][key] for key in untouched
    }
    readable = {key: value for key, value in shapes.items() if key not in ("cloud", "plain")}
    assert {key: shape_errors(value) for key, value in readable.items()} == {
        key: [] for key in readable
    }


def test_migration_is_one_update_and_a_second_run_writes_nothing(room_with_everyone):
    board = old_board(room_with_everyone.room)
    whiteboard_migrate(document_id=board.pk)
    after_first = shapes_of(board)

    again = whiteboard_migrate(document_id=board.pk)

    assert again is not None and not again.changed
    assert DocumentUpdate.objects.filter(document=board).count() == 2
    assert shapes_of(board) == after_first


def test_the_command_migrates_every_whiteboard_once(room_with_everyone, capsys):
    boards = [old_board(room_with_everyone.room), whiteboard(room_with_everyone.room, {"r": RECT})]
    text = DocumentFactory(room=room_with_everyone.room)

    call_command("migrate_whiteboards")
    first = capsys.readouterr().out
    call_command("migrate_whiteboards")
    second = capsys.readouterr().out

    assert "2 whiteboards migrated" in first
    assert "0 whiteboards migrated" in second
    assert [DocumentUpdate.objects.filter(document=b).count() for b in boards] == [2, 2]
    assert not DocumentUpdate.objects.filter(document=text).exists()
    assert whiteboards_migrate() == []


def test_an_old_board_read_back_with_get_can_be_put_back_unchanged(room_with_everyone):
    board = old_board(room_with_everyone.room)
    client = room_with_everyone.client("editor")
    whiteboard_migrate(document_id=board.pk)
    read = client.get(path(board))

    response = client.put(
        path(board),
        {"shapes": read.json()["content"]["shapes"]},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )

    assert response.json() == {"seq": 2, "etag": '"2"'}


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_an_old_board_exports_before_and_after_migration(room_with_everyone, fmt):
    board = old_board(room_with_everyone.room)
    export = f"/api/v1/documents/{board.pk}/export?format={fmt}"
    client = room_with_everyone.client("viewer")

    before = client.get(export)
    whiteboard_migrate(document_id=board.pk)
    after = client.get(export)

    assert (before.status_code, after.status_code) == (200, 200)
    if fmt == "svg":
        assert b"Old note" in after.content and b"Old words" in after.content


@pytest.mark.parametrize(
    ("shapes", "field"),
    [
        ({"r": {**RECT, "text": "half \ud800 a character"}}, "shapes.r.text"),
        ({"r\udc00": RECT}, "shapes.r\\udc00"),
        ({"r": {**RECT, "legacy": {"k\ud800": 1}}}, "shapes.r.legacy.k\\ud800"),
    ],
)
def test_text_that_is_not_unicode_is_400_not_a_crash(room_with_everyone, shapes, field):
    board = whiteboard(room_with_everyone.room)
    body = json.dumps({"shapes": shapes})  # lone surrogates travel as \\u escapes

    response = room_with_everyone.client("editor").put(
        path(board), body, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_shape")
    assert list(response.json()["fields"]) == [field]
    assert not DocumentUpdate.objects.filter(document=board).exists()


def test_a_whole_number_past_what_javascript_holds_exactly_is_400(room_with_everyone):
    board = whiteboard(room_with_everyone.room)

    response = room_with_everyone.client("editor").put(
        path(board), {"shapes": {"r": {**RECT, "z": 10**30}}}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_shape")
    assert list(response.json()["fields"]) == ["shapes.r.z"]


def test_written_numbers_are_stored_as_javascript_numbers(room_with_everyone):
    board = whiteboard(room_with_everyone.room)
    room_with_everyone.client("editor").put(path(board), {"shapes": {"r": RECT}}, format="json")

    stored = log.document_load(board.pk).to_doc().get(tree.SHAPES, type=Map)["r"]

    assert [type(stored[field]) for field in ("x", "y", "w", "h", "z")] == [float] * 5


def test_the_real_yjs_reads_a_written_and_migrated_board_as_the_app_would(room_with_everyone):
    board = old_board(room_with_everyone.room)
    # The largest whole number JavaScript holds exactly; in a PATCH null removes a field.
    every = {key: value for key, value in EVERY_FIELD.items() if value is not None} | {"z": 2**53}
    room_with_everyone.client("editor").patch(
        path(board), {"shapes": {"every": every}}, format="json"
    )
    updates = [bytes(u.data) for u in DocumentUpdate.objects.filter(document=board).order_by("seq")]

    read = read_with_yjs(updates)["shapes"]

    assert read["every"] == every
    assert read["nan"]["legacy"] == {"x": "NaN"}
    assert read["cloud"] == OLD_BOARD["json"]["cloud"]


@pytest.mark.parametrize(
    ("kind", "queued"), [("old board", True), ("migrated board", False), ("text", False)]
)
def test_an_old_board_is_queued_for_migration_when_its_last_client_leaves(
    room_with_everyone, monkeypatch, kind, queued
):
    queue = []
    monkeypatch.setattr(migrate_whiteboard, "delay", queue.append)
    if kind == "text":
        document = DocumentFactory(room=room_with_everyone.room)
    else:
        document = old_board(room_with_everyone.room)
        if kind == "migrated board":
            whiteboard_migrate(document_id=document.pk)
    live = SimpleNamespace(id=document.pk, doc=log.document_load(document.pk).to_doc())

    async_to_sync(board_migration_hooks.LIVE_HOOKS.unloaded)(live)

    assert queue == ([str(document.pk)] if queued else [])


def test_the_queued_task_migrates_the_board(room_with_everyone):
    board = old_board(room_with_everyone.room)

    assert migrate_whiteboard(str(board.pk)) is True
    assert migrate_whiteboard(str(board.pk)) is False
    assert shapes_of(board)["nan"]["legacy"] == {"x": "NaN"}
