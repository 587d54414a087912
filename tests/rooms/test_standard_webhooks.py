"""Deliveries per Standard Webhooks: the official libraries (``standardwebhooks`` from PyPI,
and from npm in Node) verify the exact bytes and headers a real delivery brought to a local
receiver, with the ``whsec_`` secret the creation answered, or derived as documented from a
hook's plain secret; a retry keeps its ``webhook-id`` and is signed afresh; a tampered body,
another id or an old timestamp fails verification. The deprecated ``X-Collab-*`` headers
still come along."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from rooms.chat.services.messages import message_send
from rooms.webhooks.delivery import delivery_attempt
from rooms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from tests.background.conftest import ReceivedRequest, Reply
from tests.e2e.conftest import run_node

VERIFIER = Path(__file__).parents[1] / "e2e" / "node" / "standardwebhooks_verify.cjs"


def hook_created(room_with_everyone, url: str) -> dict:
    """A hook made over the API, as its creation answered (with both forms of its secret)."""
    response = room_with_everyone.client("owner").post(
        f"/api/v1/rooms/{room_with_everyone.room.pk}/webhooks",
        {"url": url, "events": ["message.created"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def send(
    room_with_everyone, body: str = "hello", ignore: WebhookDelivery | None = None
) -> WebhookDelivery:
    """Post a message; returns its delivery (the one delivery there is, but ``ignore``)."""
    message_send(
        actor=room_with_everyone.users["owner"], room_id=room_with_everyone.room.pk, body=body
    )
    deliveries = WebhookDelivery.objects.all()
    return (deliveries.exclude(pk=ignore.pk) if ignore else deliveries).get()


def legacy_verifies(secret: str, request: ReceivedRequest) -> bool:
    signed = request.headers["X-Collab-Timestamp"].encode() + b"." + request.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers["X-Collab-Signature"])


def test_the_creation_answer_shows_the_whsec_form_of_the_same_key_once(room_with_everyone, local):
    owner = room_with_everyone.client("owner")

    created = hook_created(room_with_everyone, "http://127.0.0.1:9/in")

    assert created["signing_secret"].startswith("whsec_")
    key = base64.b64decode(created["signing_secret"].removeprefix("whsec_"))
    assert key == created["secret"].encode() == Webhook.objects.get().secret.encode()
    hooks_url = f"/api/v1/rooms/{room_with_everyone.room.pk}/webhooks"
    listed = owner.get(hooks_url).json()
    detail = owner.get(f"{hooks_url}/{created['id']}").json()
    assert created["signing_secret"] not in str(listed) + str(detail)
    assert "signing_secret" not in detail


def test_the_library_verifies_a_real_delivery_with_the_secret_shown(
    room_with_everyone, local, receiver
):
    created = hook_created(room_with_everyone, f"{receiver.url}/in")
    delivery = send(room_with_everyone, "Deploy finished")

    assert delivery_attempt(delivery.pk) == DeliveryStatus.SUCCEEDED

    (request,) = receiver.requests
    verified = StandardWebhook(created["signing_secret"]).verify(request.body, request.headers)
    assert verified == delivery.payload
    assert verified["data"]["message"]["body"] == "Deploy finished"
    assert request.headers["webhook-id"] == str(delivery.pk)
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    assert request.headers["webhook-signature"].startswith("v1,")
    # The deprecated headers still come, signed as before with the plain secret.
    assert request.headers["X-Collab-Delivery"] == str(delivery.pk)
    assert request.headers["X-Collab-Timestamp"] == request.headers["webhook-timestamp"]
    assert request.headers["X-Collab-Event"] == "message.created"
    assert legacy_verifies(created["secret"], request)


def test_a_hook_made_before_standard_webhooks_verifies_with_its_derived_whsec_form(
    room_with_everyone, local, receiver
):
    plain = secrets.token_hex(32)  # a secret as hooks have been given them
    Webhook.objects.create(
        room=room_with_everyone.room, url=receiver.url, events=["message.created"], secret=plain
    )
    delivery = send(room_with_everyone)

    delivery_attempt(delivery.pk)

    (request,) = receiver.requests
    derived = "whsec_" + base64.b64encode(plain.encode()).decode()  # the documented recipe
    assert StandardWebhook(derived).verify(request.body, request.headers) == delivery.payload
    assert legacy_verifies(plain, request)


def test_a_retry_keeps_its_webhook_id_and_is_signed_afresh(room_with_everyone, local, receiver):
    receiver.script = [Reply(status=503)]
    created = hook_created(room_with_everyone, receiver.url)
    delivery = send(room_with_everyone)
    first_at = time.time() - 90

    assert delivery_attempt(delivery.pk, clock=lambda: first_at) == DeliveryStatus.FAILED
    assert delivery_attempt(delivery.pk) == DeliveryStatus.SUCCEEDED

    first, retry = receiver.requests
    assert first.headers["webhook-id"] == retry.headers["webhook-id"] == str(delivery.pk)
    assert first.body == retry.body
    assert int(first.headers["webhook-timestamp"]) == int(first_at)
    assert int(retry.headers["webhook-timestamp"]) >= int(first_at) + 90
    assert first.headers["webhook-signature"] != retry.headers["webhook-signature"]
    library = StandardWebhook(created["signing_secret"])
    for request in (first, retry):
        assert library.verify(request.body, request.headers) == delivery.payload


def test_a_tampered_body_or_another_id_fails_verification(room_with_everyone, local, receiver):
    created = hook_created(room_with_everyone, receiver.url)
    delivery = send(room_with_everyone, "pay 10")
    delivery_attempt(delivery.pk)
    (request,) = receiver.requests
    library = StandardWebhook(created["signing_secret"])

    tampered = request.body.replace(b"pay 10", b"pay 99")
    assert tampered != request.body
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        library.verify(tampered, request.headers)
    replayed = {**request.headers, "webhook-id": "another"}
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        library.verify(request.body, replayed)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        StandardWebhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(
            request.body, request.headers
        )


def test_a_delivery_signed_long_ago_fails_verification(room_with_everyone, local, receiver):
    created = hook_created(room_with_everyone, receiver.url)
    delivery = send(room_with_everyone)
    ten_minutes_ago = time.time() - 600

    delivery_attempt(delivery.pk, clock=lambda: ten_minutes_ago)

    (request,) = receiver.requests
    library = StandardWebhook(created["signing_secret"])
    with pytest.raises(WebhookVerificationError, match="too old"):
        library.verify(request.body, request.headers)
    # Restamping it as new breaks the signature instead.
    restamped = {**request.headers, "webhook-timestamp": str(int(time.time()))}
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        library.verify(request.body, restamped)


@pytest.mark.e2e
def test_the_node_library_verifies_a_captured_delivery(room_with_everyone, local, receiver):
    created = hook_created(room_with_everyone, receiver.url)
    delivery = send(room_with_everyone, "from Node")
    delivery_attempt(delivery.pk)
    late = send(room_with_everyone, "signed long ago", ignore=delivery)
    delivery_attempt(late.pk, clock=lambda: time.time() - 600)
    fresh, old = receiver.requests

    def case(request: ReceivedRequest, body: bytes) -> dict:
        return {"body": base64.b64encode(body).decode(), "headers": request.headers}

    results = run_node(
        "verify",
        {
            "secret": created["signing_secret"],
            "cases": {
                "fresh": case(fresh, fresh.body),
                "tampered": case(fresh, fresh.body.replace(b"from Node", b"from Eve")),
                "old": case(old, old.body),
            },
        },
        script=VERIFIER,
    )

    assert results["fresh"] == {"verified": delivery.payload}
    assert results["tampered"] == {"error": "No matching signature found"}
    assert results["old"] == {"error": "Message timestamp too old"}
