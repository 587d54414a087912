"""The browser app's built files, as Vite's manifest lists them.

``npm run build`` (in ``frontend/``) writes hashed files and ``app/manifest.json`` into
``frontend/dist``, which is one of ``STATICFILES_DIRS``; after ``collectstatic`` the same files
are in ``STATIC_ROOT``. Pages name an entry (``src/room.ts``) and get the tags for it, its CSS
and the chunks it imports.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

logger = logging.getLogger(__name__)

MANIFEST_NAME = "app/manifest.json"


class AppNotBuilt(LookupError):
    """The manifest is missing, or does not list the entry: run ``npm run build``."""


@dataclass(frozen=True)
class EntryFiles:
    """The static paths one entry needs: its script, the chunks it imports, its styles."""

    script: str
    imports: tuple[str, ...]
    styles: tuple[str, ...]


_cache: dict[Path, tuple[float, dict[str, Any]]] = {}


def manifest_path() -> Path | None:
    """The manifest in ``frontend/dist`` (through the static finders), else the collected copy
    in ``STATIC_ROOT`` (a production image may ship only the collected files)."""
    found = finders.find(MANIFEST_NAME)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / MANIFEST_NAME
    return collected if collected.is_file() else None


def load_manifest() -> dict[str, Any]:
    """The parsed manifest, re-read when the file changes (a rebuild while the server runs).

    Raises ``AppNotBuilt`` if there is none."""
    path = manifest_path()
    if path is None:
        raise AppNotBuilt("The web app is not built: run `npm ci && npm run build` in frontend/.")
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, json.loads(path.read_text(encoding="utf-8")))
        _cache[path] = cached
    return cached[1]


def entry_files(entry: str) -> EntryFiles:
    """The files of one entry (its name as in ``vite.config.ts``'s input, e.g.
    ``src/room.ts``), with their static paths. Raises ``AppNotBuilt``."""
    manifest = load_manifest()
    if entry not in manifest:
        raise AppNotBuilt(f"The web app's manifest has no entry {entry!r}: rebuild it.")
    imports: list[str] = []
    styles: list[str] = []
    seen: set[str] = set()

    def visit(key: str) -> None:
        if key in seen:
            return
        seen.add(key)
        chunk = manifest[key]
        for css in chunk.get("css", []):
            if css not in styles:
                styles.append(css)
        for imported in chunk.get("imports", []):
            visit(imported)
            imports.append(manifest[imported]["file"])

    visit(entry)
    return EntryFiles(
        script=manifest[entry]["file"], imports=tuple(dict.fromkeys(imports)), styles=tuple(styles)
    )


def entry_urls(entry: str) -> EntryFiles:
    """Like ``entry_files``, with each path turned into its static URL."""
    files = entry_files(entry)
    return EntryFiles(
        script=static(files.script),
        imports=tuple(static(path) for path in files.imports),
        styles=tuple(static(path) for path in files.styles),
    )
