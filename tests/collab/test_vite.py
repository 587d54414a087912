"""The ``vite_entry`` template tag: the built app's files from Vite's manifest."""

from __future__ import annotations

import json
import os

import pytest
from django.template import Context, Template

from collab import vite

MANIFEST = {
    "src/room.ts": {
        "file": "app/room-1.js",
        "isEntry": True,
        "imports": ["_shared-2.js"],
        "dynamicImports": ["src/editor/editor.ts"],
        "css": ["app/room-3.css"],
    },
    "_shared-2.js": {"file": "app/shared-2.js", "css": ["app/shared-4.css"]},
    "src/editor/editor.ts": {"file": "app/editor-5.js", "isDynamicEntry": True},
}


@pytest.fixture
def built(tmp_path, monkeypatch):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(MANIFEST))
    monkeypatch.setattr(vite, "manifest_path", lambda: path)
    return path


def render(entry: str) -> str:
    return Template('{% load vite %}{% vite_entry "' + entry + '" %}').render(Context())


def test_entry_tags_load_its_styles_preload_its_imports_and_leave_dynamic_imports_alone(built):
    assert render("src/room.ts") == (
        '<link rel="stylesheet" href="/static/app/room-3.css">'
        '<link rel="stylesheet" href="/static/app/shared-4.css">'
        '<link rel="modulepreload" href="/static/app/shared-2.js">'
        '<script type="module" src="/static/app/room-1.js"></script>'
    )


def test_a_rebuild_is_picked_up_without_a_restart(built):
    render("src/room.ts")
    rebuilt = {**MANIFEST, "src/room.ts": {"file": "app/room-9.js"}}
    built.write_text(json.dumps(rebuilt))
    stat = built.stat()
    os.utime(built, (stat.st_atime, stat.st_mtime + 5))

    assert render("src/room.ts") == '<script type="module" src="/static/app/room-9.js"></script>'


def test_without_a_build_the_page_says_how_to_build_the_app(monkeypatch, caplog):
    monkeypatch.setattr(vite, "manifest_path", lambda: None)

    html = render("src/room.ts")

    assert 'role="alert"' in html
    assert "npm ci &amp;&amp; npm run build" in html
    assert "not built" in caplog.text


def test_an_unknown_entry_is_reported(built):
    assert "has no entry" in render("src/missing.ts")
