"""The web process's listening socket has room for a handshake storm."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlparse

from collab.webserver.process import LISTEN_BACKLOG


def test_the_kernel_queues_a_storm_of_handshakes_for_the_web_process(server):
    """With Twisted's default backlog of 50 the kernel drops the SYNs of a storm past it, and
    those clients wait 1 s or more to retry. ``ss`` shows a listening socket's backlog as its
    Send-Q."""
    port = urlparse(server.url).port
    listening = subprocess.run(
        ["ss", "-H", "-l", "-t", "-n", f"sport = :{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    backlogs = {int(line.split()[2]) for line in listening}
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    assert backlogs == {min(LISTEN_BACKLOG, somaxconn)}
