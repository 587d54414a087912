"""Webhooks in the operator's admin: a hook's secret shows once (its whsec_ form and the plain
one), on adding it, and never on its page; the API's URL and event checks apply; the actions
re-enable hooks and resend deliveries through the services; deleting an incoming hook retires
its bot."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from rooms.chat.services.messages import message_send
from rooms.membership.models import Membership, Room
from rooms.membership.services.rooms import room_create
from rooms.webhooks.models import DeliveryStatus, IncomingWebhook, Webhook, WebhookDelivery
from rooms.webhooks.services.incoming import incoming_webhook_create
from rooms.webhooks.services.webhooks import webhook_create
from rooms.webhooks.signing import signing_secret
from tests.factories import UserFactory


@pytest.fixture
def setup(db, client, settings):
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True
    operator = UserFactory(is_staff=True, is_superuser=True)
    owner = UserFactory()
    room = room_create(actor=owner, name="Ops")
    client.force_login(operator)
    return client, owner, room


def admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def hook_form(room: Room, **fields: str) -> dict[str, Any]:
    """The add form as a browser posts it, with the deliveries inline's empty formset."""
    return {
        "room": room.pk,
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        **fields,
    }


def test_adding_a_hook_shows_its_secret_once(setup):
    client, _, room = setup

    response = client.post(
        admin_url(Webhook, "add"),
        hook_form(room, url="http://127.0.0.1:9/in", events='["message.created"]'),
        follow=True,
    )

    hook = Webhook.objects.get()
    assert len(hook.secret) == 64
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert signing_secret(hook.secret) in shown
    assert hook.secret in shown
    page = client.get(admin_url(Webhook, "change", hook.pk)).content.decode()
    assert hook.secret not in page
    assert signing_secret(hook.secret) not in page


def test_the_admin_refuses_what_the_api_refuses(setup, settings):
    client, _, room = setup
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = False

    response = client.post(
        admin_url(Webhook, "add"),
        hook_form(room, url="http://127.0.0.1:9/in", events='["message.sent"]'),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["url"]] == ["url_private_address"]
    assert [error.code for error in errors["events"]] == ["unknown_event"]
    assert not Webhook.objects.exists()


def run_action(client: Any, model: Any, action: str, *pks: Any) -> None:
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0},
    )
    assert response.status_code == 302


def test_enable_and_send_again_actions(setup):
    client, owner, room = setup
    hook = webhook_create(
        actor=owner, room_id=room.pk, url="http://127.0.0.1:9/", events=["message.created"]
    )
    message_send(actor=owner, room_id=room.pk, body="hello")
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.GAVE_UP, attempt_count=11, next_attempt_at=None
    )
    Webhook.objects.filter(pk=hook.pk).update(is_active=False, consecutive_failures=25)

    run_action(client, Webhook, "enable", hook.pk)
    run_action(client, WebhookDelivery, "send_again", delivery.pk)

    hook.refresh_from_db()
    delivery.refresh_from_db()
    assert (hook.is_active, hook.consecutive_failures) == (True, 0)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is not None


def test_deleting_an_incoming_hook_in_the_admin_retires_its_bot(setup):
    client, owner, room = setup
    hook, _ = incoming_webhook_create(actor=owner, room_id=room.pk, name="CI")

    response = client.post(admin_url(IncomingWebhook, "delete", hook.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not IncomingWebhook.objects.exists()
    bot = get_user_model().objects.get(username=f"hook-{hook.pk.hex}")
    assert bot.is_active is False
    assert not Membership.objects.filter(room=room, user=bot).exists()
