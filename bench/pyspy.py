"""Optional sampling profile of the web process with py-spy (``.venv/bin/pip install py-spy``;
not a project dependency), summarised as the functions that hold the most samples."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """Record ``pid`` for ``seconds`` into ``out`` (collapsed stacks), or ``None`` without
    py-spy."""
    executable = py_spy()
    if executable is None:
        return None
    return subprocess.Popen(
        [
            executable,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Frames on nearly every stack (thread and event-loop plumbing, the command that started the
# server) say nothing about where the time goes.
PLUMBING = re.compile(
    r"\((threading|concurrent/futures/thread|asyncio/(base_events|events)|runpy|bench/serve"
    r"|django/core/management/(base|__init__)|collab/management/commands/runweb"
    r"|collab/webserver/process|daphne/server|twisted/internet/asyncioreactor)\.py\)$"
)


def _name(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match['function']} ({file})"


# Where an edit's time goes, by the stage of the edit path a sample is in (the first that
# matches, in this order); py-spy names frames "function (file:line)".
STAGES = [
    ("group commit (log.updates_append)", ("updates_append",)),
    ("access re-check sweep (Runtime._sweep)", ("Runtime._sweep", "_live_grants", "last_seqs")),
    ("channel-layer publish and listen", ("Runtime._publish", "Runtime._listen")),
    ("fan-out to this process's sockets (Runtime._fan_out)", ("Runtime._fan_out",)),
    ("decode and apply (decode_frame, LiveDocument.integrate)", ("decode_frame", "integrate")),
    ("awareness", ("awareness",)),
    ("other database calls (connect, auth, open)", ("DatabaseSyncToAsync",)),
    ("other consumer and Channels work", ("await_many_dispatch",)),
    ("socket writes (Twisted doWrite)", ("doWrite",)),
    ("socket reads and WebSocket parsing", ("doRead",)),
    ("waiting in epoll", ("select (selectors.py",)),
]


def stages(path: Path) -> list[tuple[str, float]]:
    """Share of samples (%) in each stage of ``STAGES``, and "other", largest first."""
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        total += int(count_text)
        stage = next((name for name, keys in STAGES if any(k in stack for k in keys)), "other")
        counts[stage] += int(count_text)
    return [(name, round(100 * n / total, 1)) for name, n in counts.most_common()] if total else []


def summarize(path: Path, top: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The top functions by own samples and by samples anywhere on the stack, in % of all
    samples (py-spy leaves out idle threads, so this is % of the time something ran)."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_name(frame) for frame in stack.split(";")]
        own[frames[-1]] += count
        for name in set(frames):
            if not PLUMBING.search(name):
                anywhere[name] += count
    if not total:
        return {"own": [], "inclusive": []}

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / total, 1)) for name, n in counter.most_common(top)]

    return {"own": share(own), "inclusive": share(anywhere), "stages": stages(path)}
