from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "collab.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from collab.accounts import schema, signals  # noqa: F401
