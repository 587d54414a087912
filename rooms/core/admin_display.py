"""Admin display helpers shared by every app's admin."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat


def byte_size(data: bytes | memoryview | None) -> str:
    """A binary field shown as its size, never as its bytes."""
    return filesizeformat(len(data)) if data is not None else "-"
