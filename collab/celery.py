"""The Celery application: configuration comes from Django settings prefixed ``CELERY_``.

A task's log lines carry its id and the ids of the request or socket that queued it
(``rooms.core.request_context``), and the worker logs through Django's ``LOGGING`` (plain or
JSON lines, ``COLLAB_LOG_FORMAT``) rather than Celery's own format."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from rooms.core.request_context import ids_for_task, task_bind, task_unbind

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")

app = Celery("collab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _carry_ids(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None:
        ids_for_task(headers)


def _bind_ids(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task is not None:
        task.request.collab_log_ids = task_bind(task.request, task_id)


def _unbind_ids(task: Any = None, **kwargs: Any) -> None:
    tokens = getattr(task.request, "collab_log_ids", None) if task is not None else None
    if tokens:
        task_unbind(tokens)


before_task_publish.connect(_carry_ids)
task_prerun.connect(_bind_ids)
task_postrun.connect(_unbind_ids)
