"""Every HTTP request the web process answers is counted in ``/metrics`` and logged in one
access line, by one middleware that times it.

Metrics are labelled by the URL pattern the request resolved to (``/api/v1/rooms/<id:room_id>``),
never its path, so their number of series stays bounded whatever clients ask for. The access
line names the path, with the values of secret query parameters (``?token=``) and of secret
path parts (an invite's or a reset link's token) replaced by ``[redacted]``: log files are read
by more people than the secrets were meant for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from rooms.accounts.client_address import client_ip
from rooms.core import metrics

# A logger of its own rather than the module's, so operators can route or silence access lines
# by one name (``COLLAB_ACCESS_LOG``).
logger = logging.getLogger("collab.access")

REDACTED = "[redacted]"
# Query parameters and URL captures whose values are credentials: API tokens, invite and reset
# tokens, webhook secrets, an OpenID Connect callback's code and state.
_SECRET_NAME = re.compile(r"token|secret|password|passwd|key|signature|^sig$|^code$|^state$", re.I)
UNMATCHED_ROUTE = "<unmatched>"
STATIC_ROUTE = "<static>"


def route_of(request: HttpRequest) -> str:
    """The URL pattern the request resolved to, with a leading slash and without a trailing
    one (the API answers with and without); a static file or a path no pattern matched gets
    a fixed name instead."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        route: str = match.route or ""
        return "/" + route.rstrip("/")
    if request.path_info.startswith(settings.STATIC_URL):
        return STATIC_ROUTE
    return UNMATCHED_ROUTE


def logged_path(request: HttpRequest) -> str:
    """The request's path and query string with every secret value replaced by ``[redacted]``."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if _SECRET_NAME.search(name) and isinstance(value, str) and value:
                path = path.replace(value, REDACTED)
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return path
    pairs = [
        (name, REDACTED if _SECRET_NAME.search(name) else value)
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{path}?{urlencode(pairs, safe='[]/')}"


def _response_bytes(response: HttpResponseBase) -> int | None:
    length = response.get("Content-Length")
    if length is not None and length.isdigit():
        return int(length)
    if response.streaming:
        return None  # not known until it has been sent
    return len(response.content)  # type: ignore[attr-defined]


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)  # absent for what WhiteNoise answers first
    if user is None or not user.is_authenticated:
        return None
    pk: Any = user.pk
    return int(pk)


class HttpObservationMiddleware:
    """Times each request from just inside ``RequestIdMiddleware`` (so the line carries the
    request's id) to its response being ready (a streamed body's transfer is not included),
    counts it (``collab_http_requests_total``, ``collab_http_request_seconds``) and logs
    ``GET /path?query 200 1234B 12.3ms user=5 client=203.0.113.9 route=/pattern`` at INFO on
    ``collab.access``, with the same fields under ``http`` in JSON lines."""

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponseBase],
        clock: Callable[[], float] = metrics.clock,
    ) -> None:
        self.get_response = get_response
        self.clock = clock

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = self.clock()
        response = self.get_response(request)
        seconds = self.clock() - started
        route = route_of(request)
        method = request.method or ""
        metrics.http_request_observed(
            route=route, method=method, status=response.status_code, seconds=seconds
        )
        if logger.isEnabledFor(logging.INFO):
            self._log(request, response, route, method, seconds)
        return response

    def _log(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        route: str,
        method: str,
        seconds: float,
    ) -> None:
        fields = {
            "method": method,
            "path": logged_path(request),
            "route": route,
            "status": response.status_code,
            "bytes": _response_bytes(response),
            "duration_ms": round(seconds * 1000, 1),
            "user_id": _user_id(request),
            "client": client_ip(request),
        }
        logger.info(
            "%s %s %s %sB %.1fms user=%s client=%s route=%s",
            method,
            fields["path"],
            fields["status"],
            "-" if fields["bytes"] is None else fields["bytes"],
            fields["duration_ms"],
            fields["user_id"] or "-",
            fields["client"] or "-",
            route,
            extra={"http": fields},
        )
