"""How API routes are declared: every path answers with and without a trailing slash, and
the OpenAPI schema lists each once (without the slash)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path


def api_path(route: str, view: Any, name: str) -> list[URLPattern]:
    as_view = view.as_view()
    return [path(route, as_view, name=name), path(f"{route}/", as_view)]


def drop_slashed_duplicates(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    """drf-spectacular preprocessing hook: keep the slash-less spelling of each path."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith("/")]
