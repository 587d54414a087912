from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, or ``None`` when the server was not told.

    Only ``REMOTE_ADDR`` is read, never ``X-Forwarded-For`` itself: behind the bundled proxy
    Daphne is started with ``--proxy-headers`` and has already put the forwarded address
    there; without that flag a client's own header must not choose the address it is
    counted under."""
    return request.META.get("REMOTE_ADDR") or None
