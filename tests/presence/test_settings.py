"""Presence settings that cannot work are refused at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "collab.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_ttl_shorter_than_two_heartbeats_is_refused():
    started = start(COLLAB_PRESENCE_TTL_SECONDS="15", COLLAB_PRESENCE_HEARTBEAT_SECONDS="10")
    assert started.returncode != 0
    assert "COLLAB_PRESENCE_TTL_SECONDS must be two heartbeats or more." in started.stderr
