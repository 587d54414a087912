"""``/manifest.webmanifest``: the web app manifest every page links, so browsers offer to
install Collab as an app (its own window, icon and name; the service worker, ``/sw.js``, keeps
the rooms a person opened readable offline).

The icons are PNGs drawn from the site's SVG icon (``collab/static/collab/favicon.svg``) at the
sizes browsers ask for, committed beside it (draw them again when the SVG changes: a
headless Chromium screenshot of it at each size, transparent background), and the SVG itself
for those that read it. The
manifest is a view rather than a static file so that its icon URLs are the static files'
served (hashed) names.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

CONTENT_TYPE = "application/manifest+json"
# The brand's blue, the start of the icon's gradient; base.html's theme-color says the same.
THEME_COLOR = "#2f6fdf"
BACKGROUND_COLOR = "#ffffff"
PNG_SIZES = (192, 512)


def manifest() -> dict[str, Any]:
    """The manifest's members (https://www.w3.org/TR/appmanifest/)."""
    icons: list[dict[str, str]] = [
        {"src": static(f"collab/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in PNG_SIZES
    ]
    icons.append({"src": static("collab/favicon.svg"), "sizes": "any", "type": "image/svg+xml"})
    return {
        "id": "/",
        "name": "Collab",
        "short_name": "Collab",
        "description": "Rooms with documents, whiteboards and chat, edited together live.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }


@require_safe
@cache_control(public=True, max_age=86400)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The manifest as ``application/manifest+json``, cached for a day."""
    response = JsonResponse(manifest())
    response["Content-Type"] = CONTENT_TYPE
    return response
