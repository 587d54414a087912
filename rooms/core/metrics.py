"""Every Prometheus metric of Collab, defined once, and the ``/metrics`` view.

Metrics are per process: each Daphne process counts its own sockets, documents and updates and
serves its own ``/metrics``, so scrape every process (Prometheus sums them). The edit path pays
one counter increment or histogram observation per step, never a label per socket or document.
Two values are read only when scraped: the documents loaded in this process, and the depth of
the Celery queues (from the broker; a broker that does not answer leaves the sample out and
logs why, it never fails the scrape).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import redis
from celery import current_app
from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import (
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from rooms.core.request_context import connection_bind

logger = logging.getLogger(__name__)

# No ``*_created`` series beside each counter: the process start time tells the same.
disable_created_metrics()  # type: ignore[no-untyped-call]

# Seconds: a group commit takes a few milliseconds; a slow disk or a busy database, more.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

OPEN_SOCKETS = Gauge(
    "collab_open_sockets",
    "WebSocket connections open in this process, by kind (document or room).",
    ["kind"],
)
UPDATES_RECEIVED = Counter(
    "collab_updates_received",
    "Document update frames received from clients (also those then refused).",
)
UPDATES_COMMITTED = Counter(
    "collab_updates_committed",
    "Document updates appended to the log and committed by this process.",
)
COMMIT_SECONDS = Histogram(
    "collab_commit_seconds",
    "Time from an update's arrival at the sync runtime to its commit (group commit included).",
    buckets=_LATENCY_BUCKETS,
)
FANOUT_SECONDS = Histogram(
    "collab_fanout_seconds",
    "Time from an update's commit to its being written to this process's other connections.",
    buckets=_LATENCY_BUCKETS,
)
GAP_REPAIRS = Counter(
    "collab_gap_repairs",
    "Times a live document read updates it had missed from the log (a sequence gap).",
)
SOCKETS_CLOSED = Counter(
    "collab_sockets_closed",
    "WebSocket connections ended, by kind and close code: the code the server closed with, "
    "else the one the client (or its transport, 1006) gave.",
    ["kind", "code"],
)
CHAT_MESSAGES = Counter(
    "collab_chat_messages",
    "Chat messages posted by members (text and files) and committed; not system messages.",
)


# --- HTTP requests ---------------------------------------------------------------------------

# Seconds: most views answer in milliseconds; an export or a search, in seconds.
_HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
HTTP_REQUESTS = Counter(
    "collab_http_requests",
    "HTTP requests answered by this process, by route pattern, method and status code.",
    ["route", "method", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "collab_http_request_seconds",
    "Time from a request reaching Django's middleware to its response being ready, by route "
    "pattern, method and status class (2xx, 4xx...).",
    ["route", "method", "status"],
    buckets=_HTTP_BUCKETS,
)
# A client may send any word as its method: others are counted under one label.
_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def http_request_observed(*, route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request. ``route`` must come from a bounded set (a URL pattern,
    never the raw path), since each value is a series of its own."""
    method = method if method in _HTTP_METHODS else "other"
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_REQUEST_SECONDS.labels(route, method, f"{status // 100}xx").observe(seconds)


def clock() -> float:
    """The clock the latency histograms are measured with."""
    return time.perf_counter()


def update_committed(arrived: float) -> float:
    """Count one committed update that arrived at ``arrived``; returns the commit time."""
    now = time.perf_counter()
    UPDATES_COMMITTED.inc()
    COMMIT_SECONDS.observe(now - arrived)
    return now


def update_fanned_out(committed: float) -> None:
    FANOUT_SECONDS.observe(time.perf_counter() - committed)


def chat_message_committed() -> None:
    CHAT_MESSAGES.inc()


# --- sockets ---------------------------------------------------------------------------------


class ObservedWebsocketConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """A WebSocket consumer counted in ``collab_open_sockets`` while open and in
    ``collab_sockets_closed`` once, when it ends, and whose log lines carry a connection id
    (``rooms.core.request_context``). Subclasses name their ``socket_kind``. A consumer without a
    channel layer takes its socket's messages in turn, without Channels' per-message task."""

    socket_kind = "unknown"
    connection_id: str | None = None
    _close_code: int | None = None
    _counted_open = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if get_channel_layer(self.channel_layer_alias) is not None:
            await super().__call__(scope, receive, send)
            return
        # The socket is the only source of messages: take them in turn. Channels' loop for
        # several sources creates a task and a wait for every message.
        self.scope, self.channel_layer, self.base_send = scope, None, send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' dispatch hops to a thread on every message (the connect, every frame) to
        # close stale database connections: in a handshake storm, 500 hops queued on the
        # thread every database call waits for. These consumers touch the database only
        # through database_sync_to_async, which already does that, so they dispatch directly.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.connection_id = connection_bind(self.scope)
        OPEN_SOCKETS.labels(self.socket_kind).inc()
        self._counted_open = True
        await super().websocket_connect(message)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        if self._close_code is None:
            # Channels sends a close without a code (None or True) as a normal closure.
            given = isinstance(code, int) and not isinstance(code, bool)
            self._close_code = code if given else 1000
        await super().close(code=code, reason=reason)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        try:
            await super().websocket_disconnect(message)  # ends by raising StopConsumer
        finally:
            if self._counted_open:
                self._counted_open = False
                OPEN_SOCKETS.labels(self.socket_kind).dec()
                code = self._close_code or message.get("code", 1005)
                SOCKETS_CLOSED.labels(self.socket_kind, str(code)).inc()


# --- read at scrape --------------------------------------------------------------------------


LOADED_DOCUMENTS = Gauge(
    "collab_loaded_documents",
    "Documents open in this process's sync runtime (held in memory as live pycrdt documents).",
)


def count_loaded_documents(count: Callable[[], int]) -> None:
    """Have the loaded-documents gauge read ``count`` (the sync runtime's) at each scrape. It
    is called in the scraping thread while event loops change their documents: a count that
    collides with one leaves the sample NaN for this scrape, never fails it."""

    def read() -> float:
        try:
            return count()
        except RuntimeError:
            logger.warning("could not count the loaded documents", exc_info=True)
            return float("nan")

    LOADED_DOCUMENTS.set_function(read)


# kombu's Redis transport keeps a queue's messages of priority 0 in a list named as the queue,
# and those of its other priority steps in lists with this separator and the step appended.
_KOMBU_PRIORITY_SEPARATOR = "\x06\x16"
_KOMBU_PRIORITY_STEPS = (3, 6, 9)
BROKER_TIMEOUT_SECONDS = 1.0


def celery_queues() -> list[str]:
    """The queues Celery's workers read: the default one and any declared."""
    conf = current_app.conf
    names = [conf.task_default_queue]
    for queue in conf.task_queues or ():
        if queue.name not in names:
            names.append(queue.name)
    return names


def _redis_queue_depths(url: str, queues: list[str]) -> dict[str, int]:
    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT_SECONDS, socket_connect_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        pipe = client.pipeline(transaction=False)
        for queue in queues:
            pipe.llen(queue)
            for step in _KOMBU_PRIORITY_STEPS:
                pipe.llen(f"{queue}{_KOMBU_PRIORITY_SEPARATOR}{step}")
        lengths = pipe.execute()
    finally:
        client.close()
    per_queue = 1 + len(_KOMBU_PRIORITY_STEPS)
    return {
        queue: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, queue in enumerate(queues)
    }


def _filesystem_queue_depths(folder: str, queues: list[str]) -> dict[str, int]:
    """kombu's file-system transport writes each message as ``{time}_{uuid}.{queue}.msg``."""
    depths = dict.fromkeys(queues, 0)
    with os.scandir(folder) as entries:
        for entry in entries:
            queue = entry.name.partition(".")[2].removesuffix(".msg")
            if queue in depths and entry.name.endswith(".msg"):
                depths[queue] += 1
    return depths


def celery_queue_depths() -> dict[str, int]:
    """Messages waiting in each Celery queue of the configured broker (Redis or the embedded
    file-system one). Raises what the broker raised; ``{}`` for a broker it cannot read."""
    url = settings.CELERY_BROKER_URL
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return _redis_queue_depths(url, celery_queues())
    if scheme == "filesystem":
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        return _filesystem_queue_depths(folder, celery_queues())
    return {}


class CeleryQueueDepthCollector(Collector):
    """``collab_celery_queue_depth{queue}``, read from the broker at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "collab_celery_queue_depth",
            "Messages waiting in each Celery queue (read from the broker when scraped).",
            labels=["queue"],
        )
        try:
            depths = celery_queue_depths()
        except Exception:
            logger.warning("could not read the Celery queue depths", exc_info=True)
            depths = {}
        for queue, depth in depths.items():
            family.add_metric([queue], depth)
        yield family

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())  # no broker round trip when the collector is registered


REGISTRY.register(CeleryQueueDepthCollector())


# --- the view --------------------------------------------------------------------------------


def metrics_view(request: HttpRequest) -> HttpResponse:
    """This process's metrics in Prometheus' text format. Open unless
    ``COLLAB_METRICS_TOKEN`` is set; then only with ``Authorization: Bearer <token>``, else 401
    (``not_authenticated``)."""
    token = settings.COLLAB_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        expected = f"Bearer {token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            response = JsonResponse(
                {"detail": "A valid metrics token is required.", "code": "not_authenticated"},
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
