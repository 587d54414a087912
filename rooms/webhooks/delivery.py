"""Sending one webhook delivery: sign, POST, record the attempt, schedule the retry.

A delivery is claimed before it is sent (its ``next_attempt_at`` is pushed past the request's
timeout in one conditional UPDATE), so two tasks for the same delivery (a duplicate from the
broker, the periodic sweep, an operator's retry) never send it at once, and one that was
delivered is never sent again. A worker killed mid-request leaves the claim to expire; the
task (acknowledged late) or the sweep then sends the delivery again with the SAME
``webhook-id`` (and deprecated ``X-Collab-Delivery``), so a receiver that saw the first
request recognises the repeat: receivers should deduplicate on it. Each attempt is signed
afresh (``rooms.webhooks.signing``): its own ``webhook-timestamp`` and signatures.

Failures (a non-2xx answer, a redirect, which is never followed, a timeout, a refused or
private address) are retried after ``COLLAB_WEBHOOK_RETRY_DELAYS``, then given up. A hook
whose last ``COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES`` attempts all failed is disabled and the
room's owners are notified.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from rooms.membership.models import Membership, Role
from rooms.notifications.models import NotificationKind
from rooms.notifications.services.notifications import notify
from rooms.webhooks.addresses import AddressRefused, Target, target_resolve
from rooms.webhooks.models import DeliveryStatus, Webhook, WebhookAttempt, WebhookDelivery
from rooms.webhooks.services.emit import delivery_queue
from rooms.webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

USER_AGENT = "Collab-Webhooks/1"
RESPONSE_READ_BYTES = 1024
# A claim outlasts the address lookup and the exchange (at most the timeout each) with room
# to spare; a worker that died holding one leaves the delivery to the sweep once it expires.
CLAIM_MARGIN_SECONDS = 10


def delivery_headers(
    delivery: WebhookDelivery, secret: str, body: bytes, timestamp: int
) -> dict[str, str]:
    """The headers of one attempt, signed at ``timestamp``: ``webhook-id`` is the delivery's
    id, the same on every attempt; the timestamp and signatures are this attempt's."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signed_headers(
            secret=secret,
            webhook_id=str(delivery.pk),
            event=delivery.event,
            timestamp=timestamp,
            body=body,
        ),
    }


@dataclass(frozen=True)
class Outcome:
    """What one request came to: a status code if the receiver answered, an error if not."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _Deadline:
    """One deadline over a whole exchange: when it passes, the exchange's connection is shut,
    so whatever http.client is blocked on (connecting, the TLS handshake, sending, the
    headers, the body) returns. It shuts a duplicate of the socket it keeps for itself:
    http.client forgets its own in ``getresponse()`` when the answer will close the
    connection, and wrapping a socket in TLS detaches the original."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._stopped = False
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock``'s connection at the deadline (at once if it has passed)."""
        with self._lock:
            self._sock = sock.dup()
            if self._expired:
                _shut(self._sock)

    def stop(self) -> bool:
        """Stop the clock; returns whether the deadline had passed (the exchange was cut)."""
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            if self._sock is not None:
                self._sock.close()
                self._sock = None
            return self._expired

    def _expire(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._expired = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate still verified for the host name."""

    def __init__(self, target: Target, timeout: float, deadline: _Deadline) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address
        self._deadline = deadline

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(sock)  # before the handshake, which the deadline covers too
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float, deadline: _Deadline) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(self.sock)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST ``body`` to ``url``, connecting to the address checked just now; never follows a
    redirect and never raises: whatever went wrong is the outcome's ``error``.

    The address lookup waits at most ``timeout``; then one deadline of ``timeout`` covers
    the whole exchange (connecting, sending, the answer's headers and up to
    ``RESPONSE_READ_BYTES`` of its body), so a receiver trickling its answer a byte at a time
    never holds the worker longer. An answer not complete by then is a timeout.
    """
    started = time.monotonic()

    def outcome(status_code: int | None, error: str) -> Outcome:
        return Outcome(status_code, error[:2000], int((time.monotonic() - started) * 1000))

    try:
        target = target_resolve(url)
    except AddressRefused as error:
        return outcome(None, f"{error.code}: {error.detail}")
    timed_out = f"timed out after {timeout:g} s"
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    deadline = _Deadline(timeout)
    connection = connection_class(target, timeout, deadline)
    response: http.client.HTTPResponse | None = None
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_READ_BYTES).decode(errors="replace")
        if deadline.stop():
            return outcome(None, timed_out)  # the excerpt may have been cut short
        status = response.status
        if 300 <= status < 400:
            location = response.getheader("Location", "")
            return outcome(status, f"redirect to {location!r} not followed")
        if not 200 <= status < 300:
            return outcome(status, f"HTTP {status}: {excerpt}")
        return outcome(status, "")
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        if deadline.stop() or isinstance(error, TimeoutError):
            return outcome(None, timed_out)
        return outcome(None, f"{type(error).__name__}: {error}")
    finally:
        deadline.stop()
        if response is not None:
            response.close()
        connection.close()


def delivery_claim(delivery_id: uuid.UUID) -> WebhookDelivery | None:
    """Take a due delivery of an active hook for one attempt; ``None`` when it is not due,
    delivered, given up, its hook disabled or another task holds it."""
    now = timezone.now()
    lease = now + timedelta(
        seconds=2 * settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS + CLAIM_MARGIN_SECONDS
    )
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        webhook__is_active=True,
    ).update(next_attempt_at=lease)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def delivery_attempt(delivery_id: Any, *, clock: Callable[[], float] = time.time) -> str | None:
    """Send one due delivery once, signed at ``clock()`` (Unix seconds), and record the
    attempt; returns its status afterwards, or ``None`` when there was nothing to send (see
    ``delivery_claim``). Queues the retry."""
    try:
        key = uuid.UUID(str(delivery_id))
    except ValueError:
        return None
    delivery = delivery_claim(key)
    if delivery is None:
        return None
    hook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    outcome = post(
        hook.url,
        body,
        delivery_headers(delivery, hook.secret, body, int(clock())),
        settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS,
    )
    return delivery_record(delivery, outcome)


def retry_delay(attempts_made: int) -> int | None:
    """Seconds before the next attempt after ``attempts_made`` attempts; ``None``: give up."""
    delays: list[int] = settings.COLLAB_WEBHOOK_RETRY_DELAYS
    return delays[attempts_made - 1] if attempts_made - 1 < len(delays) else None


def delivery_record(delivery: WebhookDelivery, outcome: Outcome) -> str:
    """Store the attempt and the delivery's new state; count the hook's failures (disabling
    it past the limit) or clear them; queue the retry. Returns the delivery's status."""
    now = timezone.now()
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        number = locked.attempt_count + 1
        WebhookAttempt.objects.create(
            delivery=locked,
            number=number,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        locked.attempt_count = number
        delay = None
        if locked.status == DeliveryStatus.SUCCEEDED:
            pass  # an overlapping attempt (its claim had expired) already succeeded: keep that
        elif outcome.succeeded:
            locked.status = DeliveryStatus.SUCCEEDED
            locked.delivered_at = now
            locked.next_attempt_at = None
            Webhook.objects.filter(pk=locked.webhook_id).update(consecutive_failures=0)
        else:
            delay = retry_delay(number)
            if delay is None:
                locked.status = DeliveryStatus.GAVE_UP
                locked.next_attempt_at = None
            else:
                locked.status = DeliveryStatus.FAILED
                locked.next_attempt_at = now + timedelta(seconds=delay)
            webhook_count_failure(locked.webhook_id)
        locked.save(update_fields=["status", "attempt_count", "next_attempt_at", "delivered_at"])
        if delay is not None and delay <= settings.COLLAB_WEBHOOK_COUNTDOWN_MAX_SECONDS:
            # Longer waits are left to the sweep: brokers hold countdown tasks in memory.
            delivery_queue(locked.pk, countdown=delay)
    logger.info(
        "webhook delivery %s attempt %d: %s",
        locked.pk,
        number,
        outcome.status_code or outcome.error,
    )
    return str(locked.status)


def webhook_count_failure(webhook_id: Any) -> None:
    """One more failed attempt in a row; at ``COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES`` the hook
    is disabled and the room's owners are notified once it commits."""
    Webhook.objects.filter(pk=webhook_id).update(consecutive_failures=F("consecutive_failures") + 1)
    hook = Webhook.objects.select_for_update().select_related("room").get(pk=webhook_id)
    if (
        not hook.is_active
        or hook.consecutive_failures < settings.COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES
    ):
        return
    hook.is_active = False
    hook.disabled_at = timezone.now()
    hook.save(update_fields=["is_active", "disabled_at"])
    transaction.on_commit(lambda: webhook_disabled_notify(hook))


def webhook_disabled_notify(hook: Webhook) -> None:
    """Tell each owner of the hook's room that it was disabled (a notification)."""
    owners = Membership.objects.filter(room_id=hook.room_id, role=Role.OWNER).select_related("user")
    for membership in owners:
        try:
            notify(
                user=membership.user,
                kind=NotificationKind.WEBHOOK_DISABLED,
                room=hook.room,
                data={
                    "webhook_id": str(hook.pk),
                    "url": hook.url,
                    "consecutive_failures": hook.consecutive_failures,
                },
            )
        except Exception:
            logger.exception("could not notify %s that webhook %s was disabled", membership, hook)


def deliveries_due(limit: int = 500) -> list[str]:
    """Ids of deliveries of active hooks that are due and were not sent: those whose wait was
    too long for a countdown, those whose task was lost (a broker restart, a worker killed
    before it acknowledged) and those whose claim expired."""
    overdue = timezone.now() - timedelta(seconds=5)
    ids = (
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            next_attempt_at__lte=overdue,
            webhook__is_active=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(pk) for pk in ids]
