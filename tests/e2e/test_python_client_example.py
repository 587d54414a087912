"""The Python client example of docs/api.md (docs/examples/python_client.py), run as a reader
would run it, against a real server: so the example cannot rot."""

from __future__ import annotations

import subprocess
import sys

from tests.e2e.conftest import ROOT, Server

EXAMPLE = ROOT / "docs" / "examples" / "python_client.py"


def test_the_python_client_example_syncs_and_edits_a_document(server: Server) -> None:
    finished = subprocess.run(
        [sys.executable, str(EXAMPLE), server.url, "owner", server.seed["password"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[0] == "signed in"
    assert lines[1].endswith(": ['Written from Python']")
    assert lines[2:4] == ["synced over the socket", "REST reads: 'Hello from the socket.'"]
    assert lines[4] == (
        "the socket sees: <paragraph>Hello from the socket.</paragraph>"
        "<paragraph>Hello from REST.</paragraph>"
    )
