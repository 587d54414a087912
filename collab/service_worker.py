"""``/sw.js``: the browser app's service worker, served from the site's root.

A service worker controls only the pages under the path it is served from, so the built
``sw.js`` (``frontend/dist/sw.js``, or its collected copy in ``STATIC_ROOT``) is served at
``/sw.js`` rather than under ``/static/``; ``Service-Worker-Allowed: /`` states the scope
explicitly. It is never cached by HTTP (``no-cache``), so a new build reaches browsers on their
next visit.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

WORKER_NAME = "sw.js"


def worker_path() -> Path | None:
    """The built service worker, as ``collab.vite.manifest_path`` finds the manifest."""
    found = finders.find(WORKER_NAME)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / WORKER_NAME
    return collected if collected.is_file() else None


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker script with its root scope; 404 while the app is not built."""
    path = worker_path()
    if path is None:
        logger.error("The web app is not built: there is no %s to serve.", WORKER_NAME)
        raise Http404("The web app is not built.")
    response = HttpResponse(path.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
