"""``/favicon.ico``: browsers ask for it on every site whatever the page links, so it answers
with the app's icon (the SVG every page links, ``collab/static/collab/favicon.svg``) instead
of a 404 in every log."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "collab/favicon.svg"


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon as SVG (which every browser that shows favicons reads), cached for a day."""
    found = finders.find(ICON)
    if not isinstance(found, str):
        raise Http404("There is no icon.")
    with open(found, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/svg+xml")
