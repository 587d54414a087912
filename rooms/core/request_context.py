"""Which request or socket a log line belongs to: ids carried in ``contextvars``.

An HTTP request gets a ``request_id`` (the caller's ``X-Request-ID`` when it is sane, so a
proxy's id follows the request through, else a new one; echoed in the response), and each
WebSocket connection a ``connection_id`` when its consumer connects. Context variables follow
the code that handles them, across ``await``, into tasks started meanwhile and into
``database_sync_to_async`` threads, so every log line emitted on their behalf carries them.
A Celery task gets a ``task_id`` and carries the ids of the request or socket that queued it
(message headers, ``collab.celery``):
``ContextFilter`` stamps them on each record, and ``JsonFormatter`` writes one JSON object per
line (``COLLAB_LOG_FORMAT=json``).
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# Where the middleware also leaves the id on the request: Django logs each 4xx and 5xx response
# (``django.request``) after the middleware has returned, with the request on the record.
REQUEST_ID_META = "collab.request_id"
# Ids from proxies and tracing tools (hex, UUIDs, base64, nginx's $request_id) fit this; a
# header that does not (too long, spaces, control characters) is replaced, never logged.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "collab_request_id", default=None
)
connection_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "collab_connection_id", default=None
)
task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("collab_task_id", default=None)

# The message headers that carry a request's or socket's ids into the Celery tasks it queues.
TASK_HEADERS = {"collab_request_id": request_id, "collab_connection_id": connection_id}

T = TypeVar("T")


def new_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The incoming id if it is sane, else a new one."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return new_id()


class RequestIdMiddleware:
    """Binds the request's id for everything that handles it, and echoes it in the response's
    ``X-Request-ID``. First in ``MIDDLEWARE``, so the other middleware's lines carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.META[REQUEST_ID_META] = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


def connection_bind(scope: dict[str, Any] | None = None) -> str:
    """Give the current WebSocket connection a new id, for the log lines of its consumer (and
    of the tasks and threads it starts from now on); when the handshake in ``scope`` has a sane
    ``X-Request-ID``, its lines carry that as their request id too, so a proxy's id follows the
    socket. Call it first thing at connect: each connection runs in its own task, so the ids
    stay with that connection alone."""
    headers = dict((scope or {}).get("headers", []))
    handshake_id = headers.get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
    if _SANE_REQUEST_ID.fullmatch(handshake_id):
        request_id.set(handshake_id)
    cid = new_id()
    connection_id.set(cid)
    return cid


def ids_for_task(headers: dict[str, Any]) -> None:
    """Put the current request's and socket's ids in the headers of a task being queued."""
    for header, var in TASK_HEADERS.items():
        if (value := var.get()) is not None:
            headers.setdefault(header, value)


def task_bind(task_request: Any, tid: str | None) -> list[tuple[contextvars.ContextVar[Any], Any]]:
    """Bind a running task's id, and the ids of whoever queued it (its message headers), for
    its log lines; returns what ``task_unbind`` needs. An eager task keeps its caller's."""
    tokens: list[tuple[contextvars.ContextVar[Any], Any]] = [(task_id, task_id.set(tid))]
    for header, var in TASK_HEADERS.items():
        carried = getattr(task_request, header, None)
        if carried is None:
            carried = (getattr(task_request, "headers", None) or {}).get(header)
        if carried is not None:
            tokens.append((var, var.set(str(carried))))
    return tokens


def task_unbind(tokens: list[tuple[contextvars.ContextVar[Any], Any]]) -> None:
    for var, token in reversed(tokens):
        var.reset(token)


def outside_any_connection(make: Callable[[], T]) -> T:
    """Run ``make`` with no request or connection id bound: for a process-wide object created
    lazily by whichever socket comes first, whose background tasks would otherwise carry that
    socket's id in every line they log for the rest of the process."""

    def unbound() -> T:
        request_id.set(None)
        connection_id.set(None)
        return make()

    return contextvars.copy_context().run(unbound)


class ContextFilter(logging.Filter):
    """Stamps ``request_id``, ``connection_id`` and ``task_id`` (``None`` outside any) on
    every record a handler emits; the handler runs in the logging code's context, so the ids
    are its own.
    A record Django logs with its ``request`` after the middleware has returned gets that
    request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = request_id.get()
        if rid is None:
            meta = getattr(getattr(record, "request", None), "META", None)
            rid = meta.get(REQUEST_ID_META) if isinstance(meta, dict) else None
        record.request_id = rid
        record.connection_id = connection_id.get()
        record.task_id = task_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
    ``request_id``, ``connection_id``, ``task_id``, ``http`` (an access line's request and
    response) and ``exception`` (the traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
            "connection_id": getattr(record, "connection_id", connection_id.get()),
            "task_id": getattr(record, "task_id", task_id.get()),
        }
        if isinstance(http := getattr(record, "http", None), dict):
            line["http"] = http  # an access line's fields (collab/http_observation.py)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)
