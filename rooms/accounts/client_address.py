from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address a request came from. Behind the bundled proxy, Daphne is started with
    ``--proxy-headers`` and already puts the forwarded address in ``REMOTE_ADDR``."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
