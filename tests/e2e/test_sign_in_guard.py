"""The sign-in guard behind a proxy, with real web processes: the client address is the one
Daphne puts in REMOTE_ADDR, so X-Forwarded-For decides it only where the process was started
with --proxy-headers (compose's web command), and a stranger's failures there pause only the
stranger's forwarded address."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, free_port, prepare_database, server_env, stop_process

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-password-1"  # tests/e2e/seed.py's
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
STRANGER = "198.51.100.66"
OWNER = "198.51.100.7"


@contextlib.contextmanager
def web(env: dict[str, str], log_path: Path, *flags: str) -> Iterator[str]:
    """``manage.py runweb`` with ``flags`` on a free port, until it answers ``/healthz``."""
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runweb", *flags, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(log_path.read_text(errors="replace")) from None
                time.sleep(0.05)
        yield url
    finally:
        stop_process(process)


def token_sign_in(url: str, username: str, password: str, forwarded_for: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{url}/api/v1/auth/token",
        method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_forwarded_addresses_count_only_behind_proxy_headers(tmp_path):
    env = server_env(tmp_path)
    prepare_database(env)

    with web(env, tmp_path / "plain.log") as plain:
        failures = [token_sign_in(plain, "owner", "guess", STRANGER)[0] for _ in range(LIMIT)]
        # Without --proxy-headers the header is the client's own claim: still 127.0.0.1.
        claimed, _ = token_sign_in(plain, "owner", PASSWORD, OWNER)
    assert failures == [400] * (LIMIT - 1) + [429]
    assert claimed == 429

    with web(env, tmp_path / "proxied.log", "--proxy-headers") as proxied:
        failures = [token_sign_in(proxied, "editor", "guess", STRANGER)[0] for _ in range(LIMIT)]
        stranger, headers = token_sign_in(proxied, "editor", PASSWORD, STRANGER)
        owner, _ = token_sign_in(proxied, "editor", PASSWORD, OWNER)
    assert failures == [400] * (LIMIT - 1) + [429]
    assert (stranger, headers["Retry-After"]) == (429, "900")
    assert owner == 201
