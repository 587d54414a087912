"""This process's named worker threads, each with its own database connection kept open
between uses.

Not the thread every ``database_sync_to_async`` call shares: the sync runtime's commits never
queue behind a handshake's queries, handshakes never queue behind a sweep reading the access of
thousands of sockets, and webhook notes never hold up either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")

_threads: dict[str, ThreadPoolExecutor] = {}
_threads_lock = threading.Lock()

# Set while ``settle`` runs: work that waits to gather more (webhook notes) stops waiting.
hurry = threading.Event()


def own_thread(name: str) -> ThreadPoolExecutor:
    """This process's one thread for ``name``'s work."""
    with _threads_lock:
        executor = _threads.get(name)
        if executor is None:
            executor = _threads[name] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"collab-{name}"
            )
        return executor


def on_own_connection(function: Callable[..., T], *args: Any) -> T:
    """Run ``function`` on an own thread's kept connection, closing it after a database error
    (after an outage the next call starts on a fresh one)."""
    try:
        return function(*args)
    finally:
        if connection.errors_occurred:
            connection.close()


def settle(timeout: float = 10.0) -> None:
    """Return once every own thread has finished the work handed to it so far (or after
    ``timeout`` seconds each), work that gathers no longer waiting: before the database is
    emptied under them (between tests) or the process stops."""
    hurry.set()
    try:
        for executor in list(_threads.values()):
            executor.submit(lambda: None).result(timeout=timeout)
    finally:
        hurry.clear()


def close_connections() -> None:
    """Close the database connections of the own threads (the next use opens another)."""
    for executor in list(_threads.values()):
        # ``connection`` must be looked up in that thread, where it means its own.
        executor.submit(lambda: connection.close()).result()
