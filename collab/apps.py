from __future__ import annotations

from django.apps import AppConfig


class CollabConfig(AppConfig):
    """The project itself as an app: its templates, static files and management commands."""

    name = "collab"
    verbose_name = "Collab"
