from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rooms.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from rooms.accounts import schema, signals  # noqa: F401 (registers them)
