"""When ``manage.py serve`` (and the browser tests) install and build the web app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from collab import frontend


def touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    os.utime(path, (mtime, mtime))


@pytest.fixture
def app(tmp_path) -> Path:
    touch(tmp_path / "package.json", 100)
    touch(tmp_path / "package-lock.json", 100)
    touch(tmp_path / "src" / "room.ts", 100)
    touch(tmp_path / "node_modules" / ".package-lock.json", 200)
    touch(tmp_path / "dist" / "app" / "manifest.json", 300)
    return tmp_path


def test_a_build_newer_than_every_source_is_current(app):
    assert not frontend.build_needed(app)
    assert not frontend.install_needed(app)


def test_a_changed_source_or_a_missing_build_needs_a_build(app):
    touch(app / "src" / "editor" / "editor.ts", 400)
    assert frontend.build_needed(app)
    (app / "dist" / "app" / "manifest.json").unlink()
    assert frontend.build_needed(app)


def test_a_newer_lock_file_or_no_node_modules_needs_npm_ci(app):
    touch(app / "package-lock.json", 250)
    assert frontend.install_needed(app)
    (app / "node_modules" / ".package-lock.json").unlink()
    assert frontend.install_needed(app)


def test_without_npm_and_without_a_build_the_error_says_what_to_install(app, monkeypatch):
    (app / "dist" / "app" / "manifest.json").unlink()
    monkeypatch.setattr(frontend.shutil, "which", lambda name: None)

    with pytest.raises(frontend.FrontendBuildError, match=r"Install Node\.js"):
        frontend.ensure_built(app, say=lambda message: None)


def test_without_npm_a_stale_build_is_kept_with_a_warning(app, monkeypatch):
    touch(app / "src" / "room.ts", 400)
    monkeypatch.setattr(frontend.shutil, "which", lambda name: None)
    said: list[str] = []

    assert frontend.ensure_built(app, say=said.append) is False
    assert "older than its sources" in said[0]


def test_a_stale_app_is_installed_then_built(app, monkeypatch):
    touch(app / "package-lock.json", 250)
    touch(app / "src" / "room.ts", 400)
    ran: list[list[str]] = []
    monkeypatch.setattr(frontend.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(
        frontend.subprocess,
        "run",
        lambda args, cwd, check: ran.append(args) or type("Done", (), {"returncode": 0})(),
    )

    assert frontend.ensure_built(app, say=lambda message: None) is True
    assert ran == [
        ["/usr/bin/npm", "ci", "--no-audit", "--no-fund"],
        ["/usr/bin/npm", "run", "build"],
    ]
