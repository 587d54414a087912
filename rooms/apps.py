from __future__ import annotations

from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = "Rooms"

    def ready(self) -> None:
        """Wire the concepts that listen to others: the sync engine announces, the rest
        subscribe (imported here, once the models are loaded)."""
        # Registers every concept's Celery tasks: services queue them by name.
        from rooms import tasks  # noqa: F401
        from rooms.documents import access_epoch_hooks as document_access_epoch
        from rooms.documents.access_policy import DocumentAccessPolicy
        from rooms.membership.services import access_epoch
        from rooms.search import live_indexer
        from rooms.search import services as search_services
        from rooms.sync import log, runtime
        from rooms.sync import tasks as sync_tasks
        from rooms.webhooks import document_notes

        access_epoch.connect_signals()
        document_access_epoch.connect_signals()
        runtime.configure(
            access=DocumentAccessPolicy(),
            hooks=(live_indexer.LIVE_HOOKS, sync_tasks.LIVE_HOOKS),
        )
        log.subscribe(document_notes.document_committed)
        log.subscribe_writes(search_services.document_written)
