"""Contract test of ``_asyncioEventloop``: under Daphne's asyncio reactor it is the loop the
reactor runs on, so what Collab schedules on it before the reactor starts runs with it. In a
process of its own: a Twisted reactor runs once per process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = """
import asyncio

from collab.webserver.reactor import reactor_loop

loop = reactor_loop()  # installs Daphne's reactor

from twisted.internet import reactor

seen = []
loop.call_soon(lambda: seen.append(asyncio.get_running_loop()))
reactor.callWhenRunning(lambda: reactor.callLater(0, reactor.stop))
reactor.run(installSignalHandlers=False)
assert seen == [loop], seen
"""


def test_the_reactors_asyncio_loop_is_the_loop_it_runs():
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
