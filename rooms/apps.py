from __future__ import annotations

from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = "Rooms"

    def ready(self) -> None:
        """Connect the concepts that listen to others (``rooms.subscriptions``)."""
        from rooms import subscriptions

        subscriptions.connect()
