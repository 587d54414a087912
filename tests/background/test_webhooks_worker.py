"""Outgoing webhooks with a real worker, a real Redis broker and a real Daphne: what a room
does reaches a local receiver signed (the Standard Webhooks library verifies it), failures
are retried until one success is recorded, a hanging receiver costs one timeout and never the
deliveries behind it, and a worker killed mid-delivery is replaced without a second success
(the repeat carries the same delivery id).
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook

from tests.background.conftest import BackgroundStack, ReceivedRequest, Receiver, Reply

pytestmark = pytest.mark.e2e


def expected_signature(secret: str, request: ReceivedRequest) -> str:
    """The signature as a receiver computes it, from the documented recipe alone."""
    signed = request.headers["X-Collab-Timestamp"].encode() + b"." + request.body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def room_with_hook(
    stack: BackgroundStack, url: str, events: list[str] | None = None
) -> tuple[str, dict[str, Any]]:
    """A new room of the seeded owner with one hook on ``url``; returns the room id and the
    hook as its creation answered (with the secret)."""
    token = stack.seed["tokens"]["owner"]
    room = stack.api("POST", "rooms", token, {"name": f"Hooks {uuid.uuid4().hex[:6]}"})
    hook = stack.api(
        "POST",
        f"rooms/{room['id']}/webhooks",
        token,
        {"url": url, "events": events or ["message.created"]},
    )
    return str(room["id"]), hook


def post_message(stack: BackgroundStack, room_id: str, body: str) -> dict[str, Any]:
    token = stack.seed["tokens"]["owner"]
    return dict(stack.api("POST", f"rooms/{room_id}/messages", token, {"body": body}))


def delivery_rows(stack: BackgroundStack, hook_id: str) -> list[tuple[Any, ...]]:
    """``(id, status, attempt_count)`` of the hook's deliveries."""
    return stack.query(
        "SELECT id, status, attempt_count FROM rooms_webhookdelivery WHERE webhook_id = %s",
        (uuid.UUID(hook_id),),
    )


def attempt_rows(stack: BackgroundStack, delivery_id: Any) -> list[tuple[Any, ...]]:
    """``(number, status_code, error, duration_ms)`` of a delivery's attempts, in order."""
    return stack.query(
        "SELECT number, status_code, error, duration_ms FROM rooms_webhookattempt"
        " WHERE delivery_id = %s ORDER BY number",
        (uuid.UUID(str(delivery_id)),),
    )


def test_a_chat_message_reaches_the_receiver_signed(
    background_stack: BackgroundStack, receiver: Receiver
) -> None:
    stack = background_stack
    stack.start_worker()
    room_id, hook = room_with_hook(stack, f"{receiver.url}/collab")

    message = post_message(stack, room_id, "Deploy finished")

    (request,) = receiver.wait_requests(1, 30)
    assert request.method == "POST"
    assert request.path == "/collab"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Collab-Event"] == "message.created"
    verified = StandardWebhook(hook["signing_secret"]).verify(request.body, request.headers)
    assert verified == request.json()
    assert request.headers["X-Collab-Signature"] == expected_signature(hook["secret"], request)
    assert abs(int(request.headers["X-Collab-Timestamp"]) - time.time()) < 60
    payload = request.json()
    assert payload["event"] == "message.created"
    assert payload["room"] == {"id": room_id, "name": payload["room"]["name"]}
    assert payload["data"]["message"]["id"] == message["id"]
    assert payload["data"]["message"]["body"] == "Deploy finished"
    uuid.UUID(payload["id"])
    (delivery,) = stack.wait_for(
        lambda: [row for row in delivery_rows(stack, hook["id"]) if row[1] == "succeeded"],
        15,
        "the delivery to be recorded as succeeded",
    )
    assert uuid.UUID(str(delivery[0])) == uuid.UUID(request.headers["X-Collab-Delivery"])
    assert request.headers["webhook-id"] == request.headers["X-Collab-Delivery"]
    assert delivery[2] == 1
    assert [row[:2] for row in attempt_rows(stack, delivery[0])] == [(1, 200)]
    # A tampered body does not verify: the check above is a real one.
    tampered = ReceivedRequest(**{**request.__dict__, "body": request.body + b" "})
    assert expected_signature(hook["secret"], tampered) != request.headers["X-Collab-Signature"]


def test_a_receiver_failing_twice_gets_one_success_after_retries(
    background_stack: BackgroundStack, receiver: Receiver
) -> None:
    stack = background_stack
    stack.start_worker(COLLAB_WEBHOOK_RETRY_DELAYS="1,1,1,1")
    receiver.script = [Reply(status=500, body=b"boom"), Reply(status=503)]
    room_id, hook = room_with_hook(stack, receiver.url)

    post_message(stack, room_id, "Build failed")

    requests = receiver.wait_requests(3, 60)
    delivery_ids = {request.headers["X-Collab-Delivery"] for request in requests}
    assert len(delivery_ids) == 1, "every retry repeats the same delivery id"
    assert {request.headers["webhook-id"] for request in requests} == delivery_ids
    library = StandardWebhook(hook["signing_secret"])
    for request in requests:
        assert library.verify(request.body, request.headers) == request.json()
        assert request.headers["X-Collab-Signature"] == expected_signature(hook["secret"], request)
    assert requests[1].received_at - requests[0].received_at >= 0.9  # the backoff was waited
    stack.wait_for(
        lambda: [row for row in delivery_rows(stack, hook["id"]) if row[1] == "succeeded"],
        15,
        "the delivery to be recorded as succeeded",
    )
    time.sleep(3)  # long enough for a wrongly scheduled fourth attempt to arrive
    assert len(receiver.requests) == 3
    ((delivery_id, status, attempt_count),) = delivery_rows(stack, hook["id"])
    assert (status, attempt_count) == ("succeeded", 3)
    assert uuid.UUID(str(delivery_id)) == uuid.UUID(delivery_ids.pop())
    attempts = attempt_rows(stack, delivery_id)
    assert [row[:2] for row in attempts] == [(1, 500), (2, 503), (3, 200)]
    assert attempts[0][2].startswith("HTTP 500: boom")
    hook_row = stack.query(
        "SELECT consecutive_failures FROM rooms_webhook WHERE id = %s", (uuid.UUID(hook["id"]),)
    )
    assert hook_row == [(0,)]


def test_a_hanging_receiver_times_out_without_holding_up_other_deliveries(
    background_stack: BackgroundStack, make_receiver: Any
) -> None:
    stack = background_stack
    stack.start_worker(COLLAB_WEBHOOK_TIMEOUT_SECONDS="2", COLLAB_WEBHOOK_RETRY_DELAYS="600")
    hanging = make_receiver([Reply(hang=True)])
    healthy = make_receiver()
    room_id, hung_hook = room_with_hook(stack, hanging.url)
    owner = stack.seed["tokens"]["owner"]
    healthy_hook = stack.api(
        "POST",
        f"rooms/{room_id}/webhooks",
        owner,
        {"url": healthy.url, "events": ["message.created"]},
    )

    post_message(stack, room_id, "first")
    hanging.wait_requests(1, 30)
    healthy.wait_requests(1, 30)
    (hung,) = stack.wait_for(
        lambda: [row for row in delivery_rows(stack, hung_hook["id"]) if row[2] == 1],
        30,
        "the hung delivery's attempt to be recorded",
    )
    assert hung[1] == "failed"  # and due again in ten minutes, not now
    ((number, status_code, error, duration_ms),) = attempt_rows(stack, hung[0])
    assert (number, status_code) == (1, None)
    assert "timed out" in error
    assert 1900 <= duration_ms < 10_000

    post_message(stack, room_id, "second")
    second = healthy.wait_requests(2, 30)[1]
    assert second.json()["data"]["message"]["body"] == "second"
    stack.wait_for(
        lambda: (
            sorted(row[1] for row in delivery_rows(stack, healthy_hook["id"]))
            == ["succeeded", "succeeded"]
        ),
        15,
        "both healthy deliveries to succeed",
    )


def test_a_worker_killed_mid_delivery_is_replaced_and_delivers_once(
    background_stack: BackgroundStack, receiver: Receiver
) -> None:
    """The receiver hangs on the first request; the worker sending it is SIGKILLed. The
    delivery's claim expires, beat's sweep queues it again, a new worker sends it with the
    same delivery id, and exactly one success is recorded."""
    stack = background_stack
    settings = {"COLLAB_WEBHOOK_TIMEOUT_SECONDS": "3", "COLLAB_WEBHOOK_SWEEP_SECONDS": "1"}
    stack.start_worker(**settings)
    receiver.script = [Reply(hang=True)]
    room_id, hook = room_with_hook(stack, receiver.url)

    post_message(stack, room_id, "mid-flight")
    receiver.wait_requests(1, 30)
    stack.kill_worker()
    stack.start_worker(**settings)
    stack.start_beat(**settings)
    try:
        requests = receiver.wait_requests(2, 90)
        stack.wait_for(
            lambda: [row for row in delivery_rows(stack, hook["id"]) if row[1] == "succeeded"],
            15,
            "the delivery to be recorded as succeeded",
        )
    finally:
        stack.stop_beat()
    assert requests[0].headers["X-Collab-Delivery"] == requests[1].headers["X-Collab-Delivery"]
    ((delivery_id, status, attempt_count),) = delivery_rows(stack, hook["id"])
    assert (status, attempt_count) == ("succeeded", 1)  # the killed attempt left no record
    assert [row[:2] for row in attempt_rows(stack, delivery_id)] == [(1, 200)]
    time.sleep(2)
    assert len(receiver.requests) == 2
