from __future__ import annotations

from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "presence"
    verbose_name = "Presence"

    def ready(self) -> None:
        from presence import selectors, summaries

        summaries.connect_signals()
        selectors.connect_signals()
