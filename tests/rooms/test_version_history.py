"""History you can trust: automatic versions after a stretch of editing, before a wipe and
before a restore, a restore listed as an entry of its own, and thinning old automatic ones."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from pycrdt import Doc, create_update_message

from rooms.accounts.services import api_token_create
from rooms.documents import tasks
from rooms.documents.content import tree as content
from rooms.documents.content.render import document_text
from rooms.documents.models import DocumentVersion, VersionKind
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.documents.services.versions import (
    version_before_wipe,
    version_create,
    version_restore,
    version_wipe_check,
    versions_auto_sweep,
    versions_thin,
)
from rooms.membership.models import Role
from rooms.sync import compaction, log
from rooms.sync.models import DocumentUpdate
from tests.conftest import client_for
from tests.factories import DocumentFactory, MembershipFactory, UserFactory
from tests.ysync_client import YClient

LONG = "A paragraph long enough that removing it is a wipe, not a typo."


def write(document, user, text, mode=WriteMode.APPEND):
    return document_content_write(actor=user, document_id=document.pk, mode=mode, text=text)


def text_in(data: bytes) -> str:
    return document_text(content.text_document_json(content.load(data)))


def edited_at(document, seq, when):
    DocumentUpdate.objects.filter(document=document, seq=seq).update(created_at=when)


# --- automatic versions after a stretch of editing ---------------------------------------


def test_an_automatic_version_comes_a_minute_after_typing_stops(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, room_with_everyone.users["editor"], "words")
    stopped = timezone.now()
    edited_at(document, 1, stopped)

    assert versions_auto_sweep(now=stopped + timedelta(seconds=59)) == []
    (version,) = versions_auto_sweep(now=stopped + timedelta(seconds=60))

    assert (version.kind, version.is_automatic, version.seq, version.created_by) == (
        VersionKind.AUTO,
        True,
        1,
        None,
    )
    assert text_in(bytes(version.data)) == "words"
    assert versions_auto_sweep(now=stopped + timedelta(hours=1)) == []  # nothing new since


def test_while_typing_goes_on_an_automatic_version_comes_every_five_minutes(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    start = timezone.now()
    for seq, seconds in enumerate((0, 100, 200, 299), start=1):
        write(document, editor, f"line {seq}")
        edited_at(document, seq, start + timedelta(seconds=seconds))

    assert versions_auto_sweep(now=start + timedelta(seconds=299.5)) == []
    (version,) = versions_auto_sweep(now=start + timedelta(seconds=300))
    assert version.seq == 4


def test_edits_compaction_merged_are_versioned_once_idle(room_with_everyone):
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, room_with_everyone.users["editor"], "merged")
    compaction.document_compact(document.pk)

    (version,) = versions_auto_sweep(now=timezone.now() + timedelta(minutes=1))
    assert (version.seq, text_in(bytes(version.data))) == (1, "merged")


def test_the_sweep_task_covers_every_edited_document_and_is_safe_twice(
    room_with_everyone, settings
):
    settings.COLLAB_AUTO_VERSION_IDLE_SECONDS = 0
    editor = room_with_everyone.users["editor"]
    edited = DocumentFactory(room=room_with_everyone.room)
    write(edited, editor, "x")
    versioned = DocumentFactory(room=room_with_everyone.room)
    write(versioned, editor, "y")
    version_create(actor=editor, document_id=versioned.pk, name="up to date")
    DocumentFactory(room=room_with_everyone.room)

    first = tasks.snapshot_edited_documents.apply().get()
    second = tasks.snapshot_edited_documents.apply().get()

    kept = DocumentVersion.objects.get(document=edited)
    assert (first, second) == ([str(kept.pk)], [])


# --- before a wipe -------------------------------------------------------------------------


def test_a_rest_write_that_removes_most_of_the_text_keeps_the_content_before_it(
    room_with_everyone,
):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, LONG)
    write(document, editor, "A small addition.")
    write(document, editor, "", mode=WriteMode.REPLACE)

    (version,) = DocumentVersion.objects.filter(document=document)
    assert (version.kind, version.seq, version.is_automatic) == (VersionKind.BEFORE_WIPE, 2, True)
    assert text_in(bytes(version.data)) == f"{LONG}\n\nA small addition."


def test_small_removals_and_removals_that_leave_half_keep_no_version(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "short")
    write(document, editor, "", mode=WriteMode.REPLACE)  # under COLLAB_WIPE_MIN_REMOVED_CHARS
    write(document, editor, LONG)
    write(document, editor, LONG[: len(LONG) // 2 + 1], mode=WriteMode.REPLACE)

    assert not DocumentVersion.objects.filter(document=document).exists()


def live_edit(document, doc: Doc, change, author) -> int:
    """An edit as the runtime's group commit appends it."""
    before = doc.get_state()
    change(doc)
    update = doc.get_update(before)
    (seq,) = log.updates_append(
        [log.PendingUpdate(document_id=document.pk, data=update, author_id=author.pk)]
    )
    return seq


def test_the_version_before_a_live_wipe_is_the_content_just_before_the_wiping_update(
    room_with_everyone,
):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    doc: Doc = Doc()
    live_edit(
        document,
        doc,
        lambda d: content.append_blocks(d, content.paragraphs_from_text(LONG)),
        editor,
    )
    live_edit(
        document,
        doc,
        lambda d: content.append_blocks(d, content.paragraphs_from_text("more")),
        editor,
    )
    wiped = live_edit(document, doc, lambda d: content.replace_blocks(d, []), editor)
    live_edit(
        document,
        doc,
        lambda d: content.append_blocks(d, content.paragraphs_from_text("new")),
        editor,
    )

    version = version_before_wipe(document_id=document.pk, after_seq=0, upto_seq=4)

    assert version is not None
    assert (version.kind, version.seq) == (VersionKind.BEFORE_WIPE, wiped - 1)
    assert text_in(bytes(version.data)) == f"{LONG}\n\nmore"
    # Once kept, the same wipe keeps nothing more.
    assert version_before_wipe(document_id=document.pk, after_seq=0, upto_seq=4) is None


def test_a_live_check_with_no_measure_yet_reads_the_content_before_from_the_log(
    room_with_everyone,
):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    doc: Doc = Doc()
    live_edit(
        document,
        doc,
        lambda d: content.append_blocks(d, content.paragraphs_from_text(LONG)),
        editor,
    )
    seq = live_edit(document, doc, lambda d: content.replace_blocks(d, []), editor)

    size = version_wipe_check(
        document_id=document.pk, state=doc.get_update(), seq=seq, since_seq=1, since_size=None
    )

    assert size == 0
    version = DocumentVersion.objects.get(document=document)
    assert (version.kind, version.seq, text_in(bytes(version.data))) == (
        VersionKind.BEFORE_WIPE,
        1,
        LONG,
    )


@sync_to_async
def editor_of_a_long_document():
    document = DocumentFactory()
    user = UserFactory()
    MembershipFactory(room=document.room, user=user, role=Role.EDITOR)
    write(document, user, LONG)
    return document, api_token_create(user=user, name="t")[1]


@sync_to_async
def versions_of(document):
    return list(DocumentVersion.objects.filter(document=document).values_list("kind", "seq"))


@pytest.mark.socket
@pytest.mark.django_db(transaction=True)
async def test_a_wipe_over_the_document_socket_keeps_a_version_before_it(settings):
    settings.COLLAB_WIPE_CHECK_SECONDS = 0.01
    document, token = await editor_of_a_long_document()
    live, connected = await YClient.connect(document.pk, token)
    assert connected
    await live.sync()
    before = live.doc.get_state()
    content.replace_blocks(live.doc, [])
    await live.ws.send_to(bytes_data=create_update_message(live.doc.get_update(before)))
    await live.ws.disconnect()  # the unload runs the pending check at once

    for _ in range(500):  # the check runs in a worker thread
        if await versions_of(document):
            break
        await asyncio.sleep(0.01)
    assert await versions_of(document) == [(VersionKind.BEFORE_WIPE, 1)]


# --- restores --------------------------------------------------------------------------------


def test_a_restore_keeps_the_content_before_it_and_is_listed_as_an_entry(room_with_everyone):
    owner, editor = room_with_everyone.users["owner"], room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, owner, "the good draft")
    good = version_create(actor=owner, document_id=document.pk, name="Good draft")
    write(document, editor, "later work")

    seq = version_restore(actor=editor, document_id=document.pk, version_id=good.pk)

    listed = client_for(editor).get(f"/api/v1/documents/{document.pk}/versions").json()["results"]
    assert [(v["kind"], v["seq"], v["created_by"]["id"]) for v in listed] == [
        ("restore", seq, editor.pk),
        ("before_restore", 2, editor.pk),
        ("named", 1, owner.pk),
    ]
    assert listed[0]["restored_from"] == {
        "id": str(good.pk),
        "name": "Good draft",
        "kind": "named",
        "created_at": listed[2]["created_at"],
    }
    assert (listed[0]["is_automatic"], listed[1]["is_automatic"]) == (False, True)
    before, restore = (DocumentVersion.objects.get(pk=listed[i]["id"]) for i in (1, 0))
    assert text_in(bytes(before.data)) == "the good draft\n\nlater work"
    assert text_in(bytes(restore.data)) == "the good draft"


def test_a_restore_over_content_a_version_already_holds_keeps_no_copy_of_it(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "one")
    first = version_create(actor=editor, document_id=document.pk, name="one")
    write(document, editor, "two")
    version_create(actor=editor, document_id=document.pk, name="two")

    version_restore(actor=editor, document_id=document.pk, version_id=first.pk)

    kinds = list(DocumentVersion.objects.filter(document=document).values_list("kind", flat=True))
    assert sorted(kinds) == ["named", "named", "restore"]


def test_a_restore_that_changes_nothing_lists_nothing(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "same")
    version = version_create(actor=editor, document_id=document.pk, name="v")

    version_restore(actor=editor, document_id=document.pk, version_id=version.pk)

    assert DocumentVersion.objects.filter(document=document).count() == 1


def test_restoring_an_empty_version_over_a_long_document_keeps_one_version_before_it(
    room_with_everyone,
):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "x")
    write(document, editor, "", mode=WriteMode.REPLACE)
    empty = version_create(actor=editor, document_id=document.pk, name="empty")
    write(document, editor, LONG)

    version_restore(actor=editor, document_id=document.pk, version_id=empty.pk)

    kinds = DocumentVersion.objects.filter(document=document).values_list("kind", flat=True)
    assert sorted(kinds) == ["before_restore", "named", "restore"]  # no before_wipe besides


# --- thinning ------------------------------------------------------------------------------


def test_thinning_deletes_only_old_automatic_versions_it_does_not_keep(room_with_everyone):
    editor = room_with_everyone.users["editor"]
    document = DocumentFactory(room=room_with_everyone.room)
    write(document, editor, "x")
    now = timezone.now().replace(minute=30)
    made = {}
    for name, kind, ago in [
        ("recent", VersionKind.AUTO, timedelta(hours=2)),
        ("same-hour-older", VersionKind.AUTO, timedelta(days=2, minutes=20)),
        ("same-hour-newer", VersionKind.AUTO, timedelta(days=2, minutes=10)),
        ("named", VersionKind.NAMED, timedelta(days=2, minutes=25)),
        ("before-wipe", VersionKind.BEFORE_WIPE, timedelta(days=2, minutes=24)),
        ("before-restore", VersionKind.BEFORE_RESTORE, timedelta(days=2, minutes=23)),
        ("restore", VersionKind.RESTORE, timedelta(days=2, minutes=22)),
    ]:
        version = DocumentVersion.objects.create(
            document=document, name=name, kind=kind, seq=1, data=b"\x00\x00"
        )
        DocumentVersion.objects.filter(pk=version.pk).update(created_at=now - ago)
        made[name] = version.pk

    assert versions_thin(now=now) == 1
    assert not DocumentVersion.objects.filter(pk=made["same-hour-older"]).exists()
    assert DocumentVersion.objects.filter(document=document).count() == 6
    assert versions_thin(now=now) == 0
    assert tasks.thin_versions.apply().get() == 0
