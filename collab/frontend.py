"""Building the browser app (``frontend/``) when it is missing or older than its sources.

``manage.py serve`` and the browser tests call ``ensure_built`` so that a fresh clone, or a
pull that changed the app, runs the current app with no separate step; ``.ci/run`` builds it
explicitly. The build output (``frontend/dist``) is never committed.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

FRONTEND_DIR = Path(__file__).resolve().parent.parent / "frontend"
MANIFEST = FRONTEND_DIR / "dist" / "app" / "manifest.json"
# What a build reads: a change to any of them makes the built app stale.
BUILD_INPUTS = (
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.sw.json",
    "src",
)
NPM_MISSING = (
    "Collab's web app is built with Node.js (20 or later) and npm, and `npm` was not found on "
    "PATH. Install Node.js (https://nodejs.org/, or your system's `nodejs` and `npm` "
    "packages), then run this command again."
)


class FrontendBuildError(RuntimeError):
    """npm is missing, or ``npm ci`` or ``npm run build`` failed."""


def _newest_mtime(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            newest = max(newest, _newest_mtime(path.iterdir()))
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def install_needed(frontend: Path = FRONTEND_DIR) -> bool:
    """Whether ``node_modules`` is missing or older than ``package-lock.json``.

    ``npm ci`` rewrites ``node_modules/.package-lock.json``, so its time says when the
    packages were last installed."""
    installed = frontend / "node_modules" / ".package-lock.json"
    lock = frontend / "package-lock.json"
    return not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime


def build_needed(frontend: Path = FRONTEND_DIR) -> bool:
    """Whether the built app is missing or older than any of its sources."""
    manifest = frontend / "dist" / "app" / "manifest.json"
    if not manifest.exists():
        return True
    return manifest.stat().st_mtime < _newest_mtime(frontend / name for name in BUILD_INPUTS)


def _npm(args: list[str], frontend: Path, say: Callable[[str], None]) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise FrontendBuildError(NPM_MISSING)
    say(f"Running npm {' '.join(args)} in {frontend} ...")
    result = subprocess.run([npm, *args], cwd=frontend, check=False)  # noqa: S603
    if result.returncode != 0:
        raise FrontendBuildError(f"`npm {' '.join(args)}` failed (exit {result.returncode}).")


def ensure_built(frontend: Path = FRONTEND_DIR, say: Callable[[str], None] = logger.info) -> bool:
    """Install the app's packages if they are missing or stale, then build the app if it is
    missing or stale. Returns whether it built.

    Raises ``FrontendBuildError`` when npm is needed but missing, or fails. A built app that
    is merely stale is kept (with a warning) when npm is missing, so a server without Node
    can still run an app built elsewhere."""
    if not build_needed(frontend):
        return False
    if shutil.which("npm") is None and (frontend / "dist" / "app" / "manifest.json").exists():
        say(f"Warning: the web app is older than its sources. {NPM_MISSING}")
        return False
    if install_needed(frontend):
        _npm(["ci", "--no-audit", "--no-fund"], frontend, say)
    _npm(["run", "build"], frontend, say)
    return True
