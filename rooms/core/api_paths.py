"""How API routes are declared: every path answers with and without a trailing slash, and
the OpenAPI schema lists each once (without the slash). A numeric id in a path is written
``<id:name>``."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, register_converter

# Ids are 63-bit in the database. A larger number names nothing, and the database driver
# refuses it (an OverflowError on SQLite) instead of matching no row.
ID_MAX = 2**63 - 1


class IdConverter:
    """Digits up to ``ID_MAX``. Past it the path does not match: a 404 ``not_found``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError(f"{value} is past the largest id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


def api_path(route: str, view: Any, name: str) -> list[URLPattern]:
    as_view = view.as_view()
    return [path(route, as_view, name=name), path(f"{route}/", as_view)]


def drop_slashed_duplicates(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    """drf-spectacular preprocessing hook: keep the slash-less spelling of each path."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith("/")]
