"""The one guard on every sign-in path: the site's form, ``POST /api/v1/auth/token`` and the
admin's login all call ``django.contrib.auth.authenticate``, where django-axes counts failures
and refuses while locked (``AxesStandaloneBackend``, its signal handlers and middleware).

Failures are counted per account and client address together (``AXES_LOCKOUT_PARAMETERS``),
so a stranger guessing from one address slows down only that address for that account: the
owner still signs in from their own. The functions here are the callables the ``AXES_*``
settings name; the limit and the cool-off are read from our settings when used."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from rooms.accounts.client_address import client_ip

LOCKED_OUT_CODE = "too_many_attempts"


def client_address(request: HttpRequest) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the address failures are counted under."""
    return client_ip(request)


def username_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the username as typed, trimmed and lower-cased, so that
    ``Ada`` and ``ada`` share one count."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "data", request.POST).get("username")
    return str(raw).strip().lower() if raw else None


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """``AXES_FAILURE_LIMIT``: failures (per account and address) that lock."""
    return int(settings.LOGIN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """``AXES_COOLOFF_TIME``: failures older than this are forgotten, and a lock lasts this
    long after the last failure."""
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def retry_after_seconds() -> int:
    return int(cool_off().total_seconds())


def sign_in_succeeded(*, request: HttpRequest, username: str) -> None:
    """Forget this account's failures from this address, as axes does itself on a session
    login (``AXES_RESET_ON_SUCCESS``): for a sign-in that makes no session (a token)."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": username})


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def lockout_response(request: HttpRequest, *_ignored: Any) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with ``Retry-After``; the API's error shape under
    ``/api/``, a page saying why elsewhere. (axes passes the original response and the
    credentials, in an order that differs between its sync and async paths: neither is used.)
    """
    seconds = retry_after_seconds()
    detail = (
        "Too many failed sign-ins for this account from your address. "
        f"Try again in {_wait_text(seconds)}."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail, "code": LOCKED_OUT_CODE}, status=429)
    else:
        response = TemplateResponse(
            request, "registration/locked_out.html", {"detail": detail}, status=429
        )
        response.render()
    response["Retry-After"] = str(seconds)
    return response
