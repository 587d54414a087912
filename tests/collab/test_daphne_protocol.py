"""``collab.daphne_protocol``'s adjustment of autobahn, checked in a process of its own:
importing Daphne's server installs Twisted's reactor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = """
import daphne.server
import txaio
from pprint import pformat
from autobahn.websocket import protocol
from collab import daphne_protocol

daphne_protocol.install()
settings = [("openHandshakeTimeout", 5, "WebSocketServerFactory")] * 40
assert protocol.pformat(settings) == "(not formatted: autobahn's debug log is off)"
txaio.set_global_log_level("debug")
assert protocol.pformat(settings) == pformat(settings)
"""


def test_autobahn_formats_each_connections_settings_only_for_its_debug_log():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
