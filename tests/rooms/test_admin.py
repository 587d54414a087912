"""The operator's admin: every page renders, Yjs bytes stay hidden, actions use the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from rooms.accounts.models import ApiToken
from rooms.accounts.services import api_token_create
from rooms.chat.models import Message
from rooms.chat.services.messages import message_send
from rooms.documents.models import Document, DocumentKind, DocumentVersion
from rooms.documents.services.documents import document_create
from rooms.membership.models import Invite, Role, Room
from rooms.membership.services.invites import invite_create
from rooms.membership.services.members import member_add
from rooms.membership.services.rooms import room_create
from rooms.sync.models import DocumentState, DocumentUpdate
from tests import factories as f
from tests.factories import UserFactory

STATE_BYTES = b"yjs-state-bytes"  # 15 bytes
UPDATE_BYTES = b"yjs-update"  # 10 bytes
VERSION_BYTES = b"yjs-version-snapshot"  # 20 bytes


@dataclass
class Everything:
    """One row of every model the admin registers, around one room."""

    operator: Any
    owner: Any
    member: Any
    room: Room
    document: Document
    invite: Invite
    token: ApiToken


def rows_without_a_service(*, room: Room, document: Document, owner: Any, member: Any) -> None:
    """Rows of the models no service writes yet (the sync engine, uploads, notifications,
    webhooks and presence will)."""
    message = Message.objects.filter(room=room).first()
    f.DocumentStateFactory(document=document, data=STATE_BYTES, seq=3)
    f.DocumentUpdateFactory(document=document, seq=4, data=UPDATE_BYTES, author=owner)
    f.DocumentVersionFactory(
        document=document, name="First draft", seq=3, data=VERSION_BYTES, created_by=owner
    )
    f.ReactionFactory(message=message, user=member)
    f.MentionFactory(message=message, user=member)
    f.MessageEditFactory(message=message, body="helo @member", edited_by=owner)
    f.AttachmentFactory(room=room, uploaded_by=owner, file=f"attachments/{room.pk}/notes")
    f.DocumentImageFactory(document=document, uploaded_by=owner)
    f.NotificationFactory(user=member, room=room, message=message, actor=owner)
    delivery = f.WebhookDeliveryFactory(webhook=f.WebhookFactory(room=room), payload={"id": 1})
    f.WebhookAttemptFactory(delivery=delivery, number=1, status_code=502, error="Bad")
    f.IncomingWebhookFactory(room=room)
    comment = f.CommentFactory(thread=f.CommentThreadFactory(document=document, author=member))
    f.CommentReactionFactory(comment=comment, user=owner)
    f.LastSeenFactory(room=room, user=member)
    Group.objects.create(name="Operators")


@pytest.fixture
def everything(db) -> Everything:
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    owner = UserFactory(username="owner")
    member = UserFactory(username="member")
    room = room_create(actor=owner, name="Design review", description="Weekly")
    member_add(actor=owner, room_id=room.pk, username="member", role=Role.EDITOR)
    document = document_create(actor=owner, room_id=room.pk, title="Agenda", kind=DocumentKind.TEXT)
    invite = invite_create(
        actor=owner, room_id=room.pk, role=Role.VIEWER, expires_in=timedelta(days=1)
    )
    message, _ = message_send(actor=owner, room_id=room.pk, body="hello @member")
    message_send(actor=member, room_id=room.pk, body="hi", parent_id=message.pk)
    token, _ = api_token_create(user=owner, name="laptop")
    rows_without_a_service(room=room, document=document, owner=owner, member=member)
    return Everything(
        operator=operator,
        owner=owner,
        member=member,
        room=room,
        document=document,
        invite=invite,
        token=token,
    )


@pytest.fixture
def operator_client(client, everything):
    client.force_login(everything.operator)
    return client


def admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def run_action(client: Any, model: Any, action: str, *pks: Any) -> None:
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0},
    )
    assert response.status_code == 302


def test_every_registered_model_has_a_changelist_and_change_page_that_render(operator_client):
    statuses = {}
    for model in admin.site._registry:
        row = model._default_manager.first()
        assert row is not None, f"the fixture has no {model._meta.label} row"
        statuses[model._meta.label] = (
            operator_client.get(admin_url(model, "changelist")).status_code,
            operator_client.get(admin_url(model, "change", row.pk)).status_code,
        )

    assert statuses == {model._meta.label: (200, 200) for model in admin.site._registry}
    assert len(statuses) == 24


def test_room_change_page_shows_its_members_inline(operator_client, everything):
    response = operator_client.get(admin_url(Room, "change", everything.room.pk))

    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    rows = [
        (form.instance.user.username, form.instance.role)
        for form in formsets["memberships"].initial_forms
    ]
    assert rows == [("owner", "owner"), ("member", "editor")]
    html = response.content.decode()
    assert 'name="memberships-TOTAL_FORMS" value="2"' in html
    assert f'<a href="/admin/auth/user/{everything.member.pk}/change/">member</a>' in html


@pytest.mark.parametrize(
    ("model", "size"),
    [
        (DocumentState, "15\xa0bytes"),
        (DocumentUpdate, "10\xa0bytes"),
        (DocumentVersion, "20\xa0bytes"),
    ],
)
def test_yjs_binary_fields_are_listed_as_their_size_never_their_bytes(
    operator_client, everything, model, size
):
    response = operator_client.get(admin_url(model, "changelist"))

    html = response.content.decode()
    assert f'<td class="field-size">{size}</td>' in html
    assert "yjs-" not in html
    assert "memory at" not in html


@pytest.mark.parametrize(
    ("model", "size"),
    [
        (DocumentState, "15\xa0bytes"),
        (DocumentUpdate, "10\xa0bytes"),
        (DocumentVersion, "20\xa0bytes"),
    ],
)
def test_yjs_binary_fields_show_as_their_size_on_the_change_page(
    operator_client, everything, model, size
):
    row = model._default_manager.get()

    response = operator_client.get(admin_url(model, "change", row.pk))

    html = response.content.decode()
    assert f'<div class="readonly">{size}</div>' in html
    assert "yjs-" not in html
    assert "memory at" not in html


def test_document_change_page_shows_the_compacted_state_as_its_size(operator_client, everything):
    response = operator_client.get(admin_url(Document, "change", everything.document.pk))

    html = response.content.decode()
    assert '<div class="readonly">15\xa0bytes up to update 3</div>' in html
    assert "yjs-" not in html


def test_archive_and_unarchive_actions_change_the_selected_rooms(operator_client, everything):
    other = room_create(actor=everything.owner, name="Untouched")

    run_action(operator_client, Room, "archive", everything.room.pk)

    everything.room.refresh_from_db()
    other.refresh_from_db()
    assert everything.room.is_archived is True
    assert everything.room.archived_at is not None
    assert other.is_archived is False

    run_action(operator_client, Room, "unarchive", everything.room.pk)

    everything.room.refresh_from_db()
    assert everything.room.is_archived is False
    assert everything.room.archived_at is None


def test_lock_and_unlock_actions_change_the_selected_documents(operator_client, everything):
    run_action(operator_client, Document, "lock", everything.document.pk)

    everything.document.refresh_from_db()
    assert everything.document.is_locked is True
    assert everything.document.locked_by == everything.operator
    assert everything.document.locked_at is not None

    run_action(operator_client, Document, "unlock", everything.document.pk)

    everything.document.refresh_from_db()
    assert everything.document.is_locked is False
    assert everything.document.locked_by is None
    assert everything.document.locked_at is None


def test_revoke_action_revokes_the_selected_invites_only(operator_client, everything):
    kept = invite_create(actor=everything.owner, room_id=everything.room.pk, role=Role.EDITOR)

    run_action(operator_client, Invite, "revoke", everything.invite.pk)

    everything.invite.refresh_from_db()
    kept.refresh_from_db()
    assert everything.invite.revoked_at is not None
    assert kept.revoked_at is None


def test_revoke_action_revokes_the_selected_api_tokens_only(operator_client, everything):
    kept, _ = api_token_create(user=everything.member, name="phone")

    run_action(operator_client, ApiToken, "revoke", everything.token.pk)

    everything.token.refresh_from_db()
    kept.refresh_from_db()
    assert everything.token.revoked_at is not None
    assert kept.revoked_at is None


def test_revoking_an_already_revoked_token_keeps_its_first_revocation_time(
    operator_client, everything
):
    run_action(operator_client, ApiToken, "revoke", everything.token.pk)
    everything.token.refresh_from_db()
    first = everything.token.revoked_at

    run_action(operator_client, ApiToken, "revoke", everything.token.pk)

    everything.token.refresh_from_db()
    assert everything.token.revoked_at == first
