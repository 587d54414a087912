"""The bodies of the webhook tasks, run in the test process against a real local HTTP
receiver: what each event's delivery holds, how one attempt is signed, sent and recorded,
retried, given up and never repeated once delivered; redirects and hangs are failures, and an
answer trickled by a real socket server (over TLS too) is cut off at one deadline; only the
start of an answer is read; a hook that keeps failing is disabled and its room's owners told;
addresses are checked again at delivery. The real worker and broker are in
``tests/background``."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import ssl
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from rooms.chat.services.messages import message_delete, message_edit, message_send
from rooms.core import threads
from rooms.documents.models import DocumentKind
from rooms.documents.services.content import WriteMode, document_content_write
from rooms.documents.services.documents import document_create
from rooms.documents.services.versions import version_create
from rooms.membership.models import Role
from rooms.membership.services.members import member_add, member_remove
from rooms.notifications.models import Notification, NotificationKind
from rooms.webhooks import document_notes
from rooms.webhooks.delivery import RESPONSE_READ_BYTES, deliveries_due, delivery_attempt
from rooms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from rooms.webhooks.services import emit as webhook_events
from rooms.webhooks.services.webhooks import webhook_create, webhook_enable
from tests.background.conftest import Receiver, Reply
from tests.factories import UserFactory


def note_now(document) -> None:
    """What the document log's subscriber does for a commit of ``document``, here on the
    test's thread (which sees the test's uncommitted rows) instead of after a gathering."""
    document_notes.document_updated_note(document_notes.not_noted_recently({document.pk}))


def text_document(room_with_everyone, title: str):
    return document_create(
        actor=room_with_everyone.users["owner"],
        room_id=room_with_everyone.room.pk,
        title=title,
        kind=DocumentKind.TEXT,
    )


def hook_for(room_with_everyone, url, events=("message.created",)) -> Webhook:
    return webhook_create(
        actor=room_with_everyone.users["owner"],
        room_id=room_with_everyone.room.pk,
        url=url,
        events=list(events),
    )


def send(room_with_everyone, body="hello"):
    message, _ = message_send(
        actor=room_with_everyone.users["owner"], room_id=room_with_everyone.room.pk, body=body
    )
    return message


def verify(secret: str, request) -> bool:
    signed = request.headers["X-Collab-Timestamp"].encode() + b"." + request.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers["X-Collab-Signature"])


# --- emitting ----------------------------------------------------------------------------------


def test_one_delivery_per_subscribed_active_hook_sharing_the_event_id(room_with_everyone, local):
    listening = hook_for(room_with_everyone, "http://127.0.0.1:9/a")
    also = hook_for(room_with_everyone, "http://127.0.0.1:9/b", ["message.created", "member.left"])
    hook_for(room_with_everyone, "http://127.0.0.1:9/c", ["member.joined"])
    off = hook_for(room_with_everyone, "http://127.0.0.1:9/d")
    Webhook.objects.filter(pk=off.pk).update(is_active=False)

    message = send(room_with_everyone, "ship it")

    deliveries = list(WebhookDelivery.objects.order_by("webhook__url"))
    assert [d.webhook_id for d in deliveries] == [listening.pk, also.pk]
    assert len({d.event_id for d in deliveries}) == 1
    payload = deliveries[0].payload
    assert payload == deliveries[1].payload
    assert set(payload) == {"id", "event", "created_at", "room", "data"}
    assert payload["id"] == str(deliveries[0].event_id)
    assert payload["event"] == "message.created"
    room = room_with_everyone.room
    assert payload["room"] == {"id": str(room.pk), "name": room.name}
    assert payload["data"]["message"]["id"] == message.pk
    assert payload["data"]["message"]["body"] == "ship it"
    assert {d.status for d in deliveries} == {DeliveryStatus.PENDING}


def test_a_room_without_hooks_stores_no_delivery(room_with_everyone):
    send(room_with_everyone)

    assert not WebhookDelivery.objects.exists()


def test_every_event_of_the_services_is_emitted(room_with_everyone, local):
    users = room_with_everyone.users
    room = room_with_everyone.room
    hook_for(
        room_with_everyone, "http://127.0.0.1:9/", [e.value for e in webhook_events.WebhookEvent]
    )
    newcomer = UserFactory()

    message = send(room_with_everyone, "v1")
    message_edit(actor=users["owner"], room_id=room.pk, message_id=message.pk, body="v2")
    message_delete(actor=users["owner"], room_id=room.pk, message_id=message.pk)
    member_add(actor=users["owner"], room_id=room.pk, username=newcomer.username, role=Role.VIEWER)
    member_remove(actor=users["owner"], room_id=room.pk, user_id=newcomer.pk)
    document = document_create(
        actor=users["owner"], room_id=room.pk, title="Spec", kind=DocumentKind.TEXT
    )
    version_create(actor=users["owner"], document_id=document.pk, name="Draft")
    document_notes.emit_document_updated(document.pk)

    by_event = {}
    for delivery in WebhookDelivery.objects.order_by("created_at"):
        by_event.setdefault(delivery.event, []).append(delivery.payload["data"])
    assert by_event["message.edited"][0]["message"]["body"] == "v2"
    assert by_event["message.deleted"][0]["message"]["deleted_at"] is not None
    assert by_event["member.joined"] == [
        {
            "user": by_event["member.joined"][0]["user"],
            "role": "viewer",
            "by": by_event["member.joined"][0]["by"],
        }
    ]
    assert by_event["member.joined"][0]["user"]["id"] == newcomer.pk
    assert by_event["member.joined"][0]["by"]["id"] == users["owner"].pk
    assert by_event["member.left"][0]["user"]["id"] == newcomer.pk
    assert by_event["document.created"][0]["document"]["id"] == str(document.pk)
    assert by_event["version.created"][0]["version"]["name"] == "Draft"
    assert by_event["version.created"][0]["document"] == {"id": str(document.pk), "title": "Spec"}
    assert by_event["document.updated"][0]["document"]["id"] == str(document.pk)
    assert by_event["document.updated"][0]["seq"] == document.last_seq
    # System messages ("X joined") are messages too.
    assert message.pk in [d["message"]["id"] for d in by_event["message.created"]]


def test_document_updated_is_debounced_per_document(room_with_everyone, local):
    """Celery runs eagerly in these tests, so the one queued task emits at once."""
    hook_for(room_with_everyone, "http://127.0.0.1:9/", ["document.updated"])
    document = text_document(room_with_everyone, "Busy")

    for _ in range(5):
        note_now(document)

    assert WebhookDelivery.objects.filter(event="document.updated").count() == 1


def test_document_updated_queues_nothing_where_no_hook_listens_for_it(room_with_everyone, local):
    """Edits of a document whose room has no active ``document.updated`` hook queue no task
    (the debounce key, set only when a task is queued, stays unset)."""
    hook_for(room_with_everyone, "http://127.0.0.1:9/", ["message.created"])
    document = text_document(room_with_everyone, "Quiet")
    listening = hook_for(room_with_everyone, "http://127.0.0.1:9/", ["document.updated"])
    listening.is_active = False
    listening.save(update_fields=["is_active"])

    note_now(document)

    assert cache.get(document_notes.debounce_key(document.pk)) is None
    assert not WebhookDelivery.objects.filter(event="document.updated").exists()


@pytest.mark.django_db(transaction=True)
def test_a_server_side_content_write_sends_document_updated(room_with_everyone, local):
    """The document log's subscriber notes it on its own thread, which sees committed rows."""
    hook_for(room_with_everyone, "http://127.0.0.1:9/", ["document.updated"])
    owner = room_with_everyone.users["owner"]
    document = document_create(
        actor=owner, room_id=room_with_everyone.room.pk, title="Notes", kind=DocumentKind.TEXT
    )
    seq = document_content_write(
        actor=owner, document_id=document.pk, mode=WriteMode.APPEND, text="Over REST"
    )
    threads.settle()  # the notes thread stops gathering and has noted it

    (delivery,) = WebhookDelivery.objects.filter(event="document.updated")
    assert delivery.payload["data"]["document"]["id"] == str(document.pk)
    assert delivery.payload["data"]["seq"] == seq


# --- one attempt -------------------------------------------------------------------------------


def test_a_delivery_is_signed_sent_and_recorded(room_with_everyone, local, receiver):
    hook = hook_for(room_with_everyone, f"{receiver.url}/in?source=collab")
    send(room_with_everyone, "signed")
    delivery = WebhookDelivery.objects.get()

    assert delivery_attempt(delivery.pk) == DeliveryStatus.SUCCEEDED

    (request,) = receiver.requests
    assert request.path == "/in?source=collab"
    assert verify(hook.secret, request)
    assert request.headers["X-Collab-Delivery"] == str(delivery.pk)
    assert request.headers["X-Collab-Event"] == "message.created"
    assert request.json() == delivery.payload
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == (DeliveryStatus.SUCCEEDED, 1)
    assert delivery.delivered_at is not None
    assert [(a.number, a.status_code, a.error) for a in delivery.attempts.all()] == [(1, 200, "")]


def test_a_delivered_delivery_is_never_sent_again(room_with_everyone, local, receiver):
    hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()
    delivery_attempt(delivery.pk)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert delivery_attempt(delivery.pk) is None
    assert delivery_attempt(str(delivery.pk)) is None
    assert len(receiver.requests) == 1
    assert delivery_attempt("not-a-uuid") is None
    assert delivery_attempt(uuid.uuid4()) is None


def test_a_failed_delivery_waits_for_its_retry_and_then_gives_up(
    room_with_everyone, local, receiver
):
    local.COLLAB_WEBHOOK_RETRY_DELAYS = [60, 0]
    receiver.script = [Reply(status=500, body=b"down"), Reply(status=502), Reply(status=500)]
    hook = hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()

    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=55) < wait <= timedelta(seconds=60)
    assert delivery_attempt(delivery.pk) is None  # not due yet: nothing sent
    assert len(receiver.requests) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED
    assert delivery_attempt(delivery.pk) == DeliveryStatus.GAVE_UP
    assert delivery_attempt(delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None
    assert [(a.number, a.status_code) for a in delivery.attempts.all()] == [
        (1, 500),
        (2, 502),
        (3, 500),
    ]
    assert delivery.attempts.first().error == "HTTP 500: down"
    hook.refresh_from_db()
    assert hook.consecutive_failures == 3


def test_a_redirect_is_a_failure_and_is_not_followed(room_with_everyone, local, receiver):
    elsewhere = Receiver()
    try:
        receiver.script = [Reply(status=302, headers={"Location": elsewhere.url})]
        hook_for(room_with_everyone, receiver.url)
        send(room_with_everyone)
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

        assert elsewhere.requests == []
    finally:
        elsewhere.close()
    attempt = delivery.attempts.get()
    assert attempt.status_code == 302
    assert attempt.error == f"redirect to {elsewhere.url!r} not followed"


def test_a_hanging_receiver_is_a_timed_out_attempt(room_with_everyone, local, receiver):
    receiver.script = [Reply(hang=True)]
    hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()

    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

    attempt = delivery.attempts.get()
    assert (attempt.status_code, attempt.error) == (None, "timed out after 1 s")
    assert 900 <= attempt.duration_ms < 5000


def test_an_unreachable_receiver_is_a_recorded_failure(room_with_everyone, local, receiver):
    url = receiver.url
    receiver.close()  # nothing listens on that port any more
    hook_for(room_with_everyone, url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()

    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

    assert delivery.attempts.get().error.startswith("ConnectionRefusedError")


def test_an_address_turned_private_is_refused_at_delivery(room_with_everyone, local, receiver):
    """Stands for DNS rebinding: the check at creation passed, the one at delivery does not."""
    hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()
    local.COLLAB_WEBHOOKS_ALLOW_PRIVATE = False

    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

    assert receiver.requests == []
    assert delivery.attempts.get().error.startswith("url_private_address:")


@pytest.mark.parametrize("host", ["[64:ff9b::7f00:1]", "[::127.0.0.1]", "[2002:7f00:1::]"])
def test_a_stored_hook_to_an_embedded_private_address_is_refused_at_delivery(
    room_with_everyone, local, host
):
    """A hook saved before its address was recognised as private sends nothing."""
    hook_for(room_with_everyone, f"http://{host}:9/in")
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()
    local.COLLAB_WEBHOOKS_ALLOW_PRIVATE = False

    assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

    assert delivery.attempts.get().error.startswith("url_private_address:")


def test_a_hook_failing_too_often_is_disabled_and_the_owners_told(
    room_with_everyone, local, receiver, django_capture_on_commit_callbacks
):
    local.COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES = 2
    local.COLLAB_WEBHOOK_RETRY_DELAYS = [0, 0, 0]
    receiver.script = [Reply(status=500)] * 3
    hook = hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        delivery_attempt(delivery.pk)
        delivery_attempt(delivery.pk)

    hook.refresh_from_db()
    assert (hook.is_active, hook.consecutive_failures) == (False, 2)
    assert hook.disabled_at is not None
    assert delivery_attempt(delivery.pk) is None  # a disabled hook sends nothing
    assert len(receiver.requests) == 2
    (notification,) = Notification.objects.filter(kind=NotificationKind.WEBHOOK_DISABLED)
    assert notification.user == room_with_everyone.users["owner"]
    assert notification.room == room_with_everyone.room
    assert notification.data["webhook_id"] == str(hook.pk)


def test_a_success_clears_the_hooks_failure_count(room_with_everyone, local, receiver):
    receiver.script = [Reply(status=500)]
    hook = hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone)
    delivery = WebhookDelivery.objects.get()

    delivery_attempt(delivery.pk)
    hook.refresh_from_db()
    assert hook.consecutive_failures == 1
    delivery_attempt(delivery.pk)
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_the_sweep_finds_overdue_deliveries_of_active_hooks_only(room_with_everyone, local):
    hook = hook_for(room_with_everyone, "http://127.0.0.1:9/")
    send(room_with_everyone, "one")
    send(room_with_everyone, "two")
    overdue, _fresh = WebhookDelivery.objects.order_by("created_at")
    WebhookDelivery.objects.filter(pk=overdue.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1)
    )

    assert deliveries_due() == [str(overdue.pk)]
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)
    assert deliveries_due() == []


def test_enabling_a_hook_resends_what_it_still_owes(
    room_with_everyone, local, receiver, django_capture_on_commit_callbacks
):
    hook = hook_for(room_with_everyone, receiver.url)
    send(room_with_everyone, "owed")
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)
    delivery = WebhookDelivery.objects.get()
    assert delivery_attempt(delivery.pk) is None  # disabled: nothing sent

    with django_capture_on_commit_callbacks(execute=True):
        webhook_enable(
            actor=room_with_everyone.users["owner"],
            room_id=room_with_everyone.room.pk,
            webhook_id=hook.pk,
        )

    (request,) = receiver.requests  # the eager task ran on commit
    assert request.headers["X-Collab-Delivery"] == str(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


class Trickler:
    """A real socket server on 127.0.0.1 with one thread, for one connection: it reads the
    request, sends the first ``at_once`` bytes of ``answer``, then the rest ``chunk`` bytes at
    a time every ``interval`` seconds, and notes how much it sent before the caller closed
    the connection (``cut_off``)."""

    def __init__(
        self,
        answer: bytes,
        *,
        at_once: int,
        interval: float,
        chunk: int = 1,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.answer = answer
        self._tls = tls
        self.sent = 0
        self.cut_off = False
        self.done = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}/in"
        self._thread = threading.Thread(
            target=self._serve, args=(at_once, interval, chunk), daemon=True
        )
        self._thread.start()

    def _serve(self, at_once: int, interval: float, chunk: int) -> None:
        try:
            connection, _ = self._listener.accept()
            if self._tls is not None:
                connection = self._tls.wrap_socket(connection, server_side=True)
            with connection:
                self._read_request(connection)
                answer = memoryview(self.answer)
                pieces = [answer[:at_once]] + [
                    answer[i : i + chunk] for i in range(at_once, len(answer), chunk)
                ]
                for number, piece in enumerate(pieces):
                    if number and interval and self._stop.wait(interval):
                        return
                    try:
                        connection.sendall(piece)
                    except OSError:
                        self.cut_off = True
                        return
                    self.sent += len(piece)
        finally:
            self.done.set()

    @staticmethod
    def _read_request(connection: socket.socket) -> None:
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        head, _, body = received.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length:
            body += connection.recv(65536)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)


# The answers a receiver may drip: within the socket timeout byte by byte, so only one
# deadline over the whole exchange ends them.
TRICKLES = {
    # the body of a 200, with the connection to close after it: http.client then keeps no
    # reference to the socket past getresponse()
    "body, closing": (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n",
        True,
    ),
    "body, kept alive": (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", True),
    "status line and headers": (b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 50_000, False),
    "interim answers without end": (b"HTTP/1.1 100 Continue\r\n\r\n" * 4000, False),
}


@pytest.mark.parametrize("trickle", list(TRICKLES))
def test_a_receiver_trickling_its_answer_is_cut_off_at_the_deadline(
    room_with_everyone, local, trickle
):
    """One deadline (``COLLAB_WEBHOOK_TIMEOUT_SECONDS``) covers connecting, sending, the
    answer's headers and its body: the attempt is a timeout, and the receiver finds the
    connection closed long before its answer is out."""
    local.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 0.5
    head, body_trickles = TRICKLES[trickle]
    answer = head + b"x" * 100_000 if body_trickles else head
    at_once = len(head) if body_trickles else 0
    trickler = Trickler(answer, at_once=at_once, interval=0.01)
    try:
        hook_for(room_with_everyone, trickler.url)
        send(room_with_everyone)
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

        attempt = delivery.attempts.get()
        assert (attempt.status_code, attempt.error) == (None, "timed out after 0.5 s")
        assert trickler.done.wait(timeout=30)
        assert trickler.cut_off
        # Closed before the receiver had sent what the caller reads: 10 s of trickle.
        assert trickler.sent < at_once + RESPONSE_READ_BYTES
    finally:
        trickler.close()


@pytest.fixture
def tls_receiver_context(tmp_path, monkeypatch) -> ssl.SSLContext:
    """A server context for 127.0.0.1 whose certificate the webhook client trusts: signed by a
    throwaway authority that ``SSL_CERT_FILE`` names for this test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def certificate(subject, issuer, public_key, signing_key, *, authority, san=None):
        now = timezone.now()
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        )
        if san is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority = certificate(
        "Test CA", "Test CA", authority_key.public_key(), authority_key, authority=True
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = certificate(
        "127.0.0.1",
        "Test CA",
        server_key.public_key(),
        authority_key,
        authority=False,
        san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(authority.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(
        server.public_bytes(pem)
        + server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem")
    return context


def test_a_receiver_trickling_its_answer_over_tls_is_cut_off_at_the_deadline(
    room_with_everyone, local, tls_receiver_context
):
    local.COLLAB_WEBHOOK_TIMEOUT_SECONDS = 0.5
    head = TRICKLES["body, closing"][0]
    answer = head + b"x" * 100_000
    trickler = Trickler(answer, at_once=len(head), interval=0.01, tls=tls_receiver_context)
    try:
        hook_for(room_with_everyone, trickler.url)
        send(room_with_everyone)
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

        attempt = delivery.attempts.get()
        assert (attempt.status_code, attempt.error) == (None, "timed out after 0.5 s")
        assert trickler.done.wait(timeout=30)
        assert trickler.cut_off
        assert trickler.sent < len(head) + RESPONSE_READ_BYTES
    finally:
        trickler.close()


def test_a_delivery_over_tls_succeeds(room_with_everyone, local, tls_receiver_context):
    """The certificate is verified for the URL's host although the connection goes to the
    address checked."""
    answer = b"HTTP/1.1 204 No Content\r\n\r\n"
    trickler = Trickler(answer, at_once=len(answer), interval=0, tls=tls_receiver_context)
    try:
        hook_for(room_with_everyone, trickler.url)
        send(room_with_everyone)
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery.pk) == DeliveryStatus.SUCCEEDED
    finally:
        trickler.close()


def test_only_the_start_of_an_answer_is_read(room_with_everyone, local):
    """An error answer's body is read up to ``RESPONSE_READ_BYTES`` and the connection closed
    on the rest (the receiver could not send it all)."""
    head = b"HTTP/1.1 500 Oops\r\nContent-Length: 67108864\r\n\r\n"
    answer = head + b"x" * 67108864
    trickler = Trickler(answer, at_once=len(head), interval=0, chunk=65536)
    try:
        hook_for(room_with_everyone, trickler.url)
        send(room_with_everyone)
        delivery = WebhookDelivery.objects.get()

        assert delivery_attempt(delivery.pk) == DeliveryStatus.FAILED

        attempt = delivery.attempts.get()
        assert (attempt.status_code, attempt.error) == (
            500,
            "HTTP 500: " + "x" * RESPONSE_READ_BYTES,
        )
        assert trickler.done.wait(timeout=30)
        assert trickler.cut_off
        assert trickler.sent < len(answer)
    finally:
        trickler.close()
