"""The notification email with a real worker, real beat and a real Redis broker: a worker
killed (SIGKILL) in the middle of sending a batch leaves no trace, and after a restart the
batch goes out exactly once.

Where the kill lands matters, so the test makes it land in the one place that is hard: after
the worker claimed the batch (``emailed_at`` set in its open transaction) and while it talks
to the mail server. The mail server is a real SMTP server in this process (Django's SMTP
backend, as in production, by environment) that, the first time, accepts the connection and
then says nothing after ``MAIL FROM``: the worker is stuck inside ``send_mail`` until it is
killed. Counting the messages that server accepted is counting the emails sent.
"""

from __future__ import annotations

import socketserver
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.background.conftest import BackgroundStack

pytestmark = pytest.mark.e2e


@dataclass
class SmtpServer:
    """A minimal SMTP server on 127.0.0.1: records each accepted message; while ``stall`` is
    set, the next conversation hangs after ``MAIL FROM`` (and is never accepted)."""

    port: int = 0
    messages: list[str] = field(default_factory=list)
    stall: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


def _smtp_handler(server: SmtpServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())
            self.wfile.flush()

        def handle(self) -> None:
            stall, server.stall = server.stall, False
            self.reply("220 test SMTP")
            while raw := self.rfile.readline():
                command = raw.decode(errors="replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 test")
                elif command.startswith("MAIL FROM"):
                    if stall:
                        server.stalled.set()
                        server.release.wait(120)
                        return  # hang up without accepting anything
                    self.reply("250 OK")
                elif command.startswith("RCPT TO"):
                    self.reply("250 OK")
                elif command == "DATA":
                    self.reply("354 go ahead")
                    lines = []
                    while (line := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(line.decode(errors="replace"))
                    server.messages.append("".join(lines))
                    self.reply("250 accepted")
                elif command == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    return Handler


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    state = SmtpServer()
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _smtp_handler(state))
    tcp.daemon_threads = True
    state.port = int(tcp.server_address[1])
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        tcp.shutdown()
        tcp.server_close()


def _execute(stack: BackgroundStack, sql: str, params: tuple[Any, ...]) -> None:
    """A write to the shared database from the test (``query`` only reads)."""
    if stack.database_url is not None:
        import psycopg

        with psycopg.connect(stack.database_url, connect_timeout=5) as connection:
            connection.execute(sql, params)
        return
    connection = sqlite3.connect(stack.data_dir / "db.sqlite3", timeout=20)
    try:
        with connection:
            connection.execute(sql.replace("%s", "?"), params)
    finally:
        connection.close()


def _notifications(stack: BackgroundStack, username: str) -> list[tuple[Any, ...]]:
    return stack.query(
        "SELECT n.id, n.emailed_at FROM rooms_notification n "
        "JOIN auth_user u ON u.id = n.user_id WHERE u.username = %s ORDER BY n.id",
        (username,),
    )


def test_a_worker_killed_mid_send_then_restarted_sends_the_batch_once(
    background_stack: BackgroundStack, smtp: SmtpServer
) -> None:
    stack = background_stack
    seed = stack.seed
    room = seed["room"]
    _execute(
        stack, "UPDATE auth_user SET email = %s WHERE username = %s", ("ed@example.com", "editor")
    )
    for n in range(3):
        stack.api(
            "POST",
            f"rooms/{room}/messages",
            seed["tokens"]["editor2"],
            {"body": f"@editor look at item {n}"},
        )
    pending = _notifications(stack, "editor")
    # Being added to the room by the seed, and the three mentions.
    assert len(pending) == 4 and all(emailed is None for _, emailed in pending)

    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS": "1",
        "COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS": "1",
    }
    smtp.stall = True
    stack.start_worker(**settings)
    stack.start_beat(**settings)
    try:
        assert smtp.stalled.wait(60), (
            f"the worker never reached the mail server:\n{stack.worker_log()}"
        )
        # The worker is inside send_mail, its claim not committed: nothing is marked emailed.
        assert "rooms.notifications.tasks.email_due_notifications" in stack.worker_log()
        assert all(emailed is None for _, emailed in _notifications(stack, "editor"))
        stack.kill_worker()
        smtp.release.set()
        assert smtp.messages == []
        # Its transaction died with it: the claim is gone, so the batch is pending again.
        stack.wait_for(
            lambda: all(emailed is None for _, emailed in _notifications(stack, "editor")),
            15,
            "the killed worker's claim to be rolled back",
        )

        stack.start_worker(**settings)
        stack.wait_for(lambda: smtp.messages, 60, f"the email after restart:\n{stack.worker_log()}")
        # More sweeps run (one a second); none sends it again.
        time.sleep(2.5)
    finally:
        stack.stop_beat()
        stack.stop_worker()

    assert len(smtp.messages) == 1, smtp.messages
    (email,) = smtp.messages
    assert "To: ed@example.com" in email
    assert "Subject: 4 new notifications in Collab" in email
    for n in range(3):
        assert f"@editor look at item {n}" in email
    assert all(emailed is not None for _, emailed in _notifications(stack, "editor"))


def _email_files(directory: Any) -> list[str]:
    return sorted(path.read_text() for path in directory.glob("*.log"))


def test_with_the_file_backend_a_kill_right_after_the_task_starts_still_sends_once(
    background_stack: BackgroundStack, tmp_path: Any
) -> None:
    """Django's file-based backend (one file per send). The kill comes the moment the worker
    logs that the sweep started, wherever in the task that lands: before the claim, inside
    the send, or after the commit. In every case there is exactly one email in the end."""
    stack = background_stack
    seed = stack.seed
    room = seed["room"]
    _execute(
        stack, "UPDATE auth_user SET email = %s WHERE username = %s", ("ed2@example.com", "editor2")
    )
    for n in range(20):
        stack.api(
            "POST", f"rooms/{room}/messages", seed["tokens"]["editor"], {"body": f"@editor2 #{n}"}
        )
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS": "1",
        "COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS": "1",
    }
    stack.start_worker(**settings)
    stack.start_beat(**settings)
    try:
        deadline = time.monotonic() + 60
        while "email_due_notifications" not in stack.worker_log():
            assert time.monotonic() < deadline, stack.worker_log()
            time.sleep(0.001)
        stack.kill_worker()
        stack.start_worker(**settings)
        stack.wait_for(lambda: _email_files(outbox), 60, stack.worker_log())
        time.sleep(2.5)  # more sweeps (one a second)
    finally:
        stack.stop_beat()
        stack.stop_worker()
    emails = [email for email in _email_files(outbox) if "To: ed2@example.com" in email]
    assert len(emails) == 1, emails
    assert "Subject: 21 new notifications in Collab" in emails[0]
    assert all(emailed is not None for _, emailed in _notifications(stack, "editor2"))
