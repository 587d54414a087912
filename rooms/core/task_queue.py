"""Queueing a Celery task by its registered name.

A concept's ``tasks`` module imports its services (a task calls one); a service that queues a
task names it instead of importing it, so the dependency points one way. Celery registers
every task when its app is finalized (autodiscovery of ``rooms.tasks``), and looking a task up
by name honours the app's settings (``task_always_eager`` in tests) as ``delay`` does.
"""

from __future__ import annotations

from typing import Any

from celery import current_app


def task_queue(name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task registered as ``name`` with ``args``, to run after ``countdown``
    seconds (at once by default). Raises ``KeyError`` for an unknown name and what the broker
    raises when it cannot take the message."""
    current_app.tasks[name].apply_async(args=list(args), countdown=countdown)
