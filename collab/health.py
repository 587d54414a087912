"""Probes for load balancers and orchestrators: ``/healthz`` (the process is up) and
``/readyz`` (it can serve: its database and Redis answer). Neither needs a login."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)

# A probe answers within a few seconds even when a service hangs instead of refusing.
CHECK_TIMEOUT_SECONDS = 2


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests."""
    return JsonResponse({"status": "ok"})


def database_check() -> str:
    """Run ``SELECT 1`` on a connection of its own, opened with a short connect timeout (the
    request's own connection would wait as long as the driver's default), then closed."""
    settings_dict: dict[str, Any] = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = CHECK_TIMEOUT_SECONDS
    backend = load_backend(settings_dict["ENGINE"])
    database = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        database.close()
    return "ok"


def redis_check() -> str:
    """PING the Redis of ``REDIS_URL`` (read now, so an override applies), if one is set."""
    url = settings.REDIS_URL
    if not url:
        return "not configured"
    client = redis.Redis.from_url(
        url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {"database": database_check, "redis": redis_check}


def readyz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok", "checks": {...}}`` when every check passes; else 503 with
    ``code`` ``not_ready``, a ``detail`` naming the failing checks, and each check's result
    (``ok``, ``not configured`` or ``error: <what failed>``)."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = f"error: {type(error).__name__}: {error}"[:300]
    failed = [name for name, result in results.items() if result.startswith("error")]
    if not failed:
        return JsonResponse({"status": "ok", "checks": results})
    return JsonResponse(
        {
            "status": "unavailable",
            "code": "not_ready",
            "detail": f"Not ready: {', '.join(failed)} unavailable.",
            "checks": results,
        },
        status=503,
    )
