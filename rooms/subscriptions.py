"""Who listens to whom: the wiring that lets lower concepts announce and higher ones
subscribe (docs/architecture.md). ``RoomsConfig.ready()`` calls ``connect`` once the models
are loaded, in every process (web, worker, tests)."""

from __future__ import annotations

# Registers every concept's Celery tasks: services queue them by name.
from rooms import tasks  # noqa: F401
from rooms.chat import receivers as chat
from rooms.chat import signals as chat_signals
from rooms.comments import signals as comment_signals
from rooms.documents import access_epoch_hooks as document_access_epoch
from rooms.documents import board_migration_hooks, mention_notes, wipe_guard
from rooms.documents import signals as document_signals
from rooms.documents.access_policy import DocumentAccessPolicy
from rooms.documents.services import versions as document_versions
from rooms.membership import signals as membership_signals
from rooms.membership.services import access_epoch
from rooms.notifications import receivers as notifications
from rooms.room_socket import receivers as live
from rooms.search import live_indexer
from rooms.search import services as search_services
from rooms.sync import log, runtime
from rooms.sync import tasks as sync_tasks
from rooms.webhooks import document_notes
from rooms.webhooks import receivers as webhooks


def connect() -> None:
    """Configure the sync runtime and connect every subscriber; safe to call twice."""
    access_epoch.connect_signals()
    document_access_epoch.connect_signals()
    runtime.configure(
        access=DocumentAccessPolicy(),
        # The wipe guard's last check reads the log: before compaction's merges it.
        # Old boards are migrated after their last client leaves, before compaction merges.
        hooks=(
            live_indexer.LIVE_HOOKS,
            wipe_guard.LIVE_HOOKS,
            board_migration_hooks.LIVE_HOOKS,
            sync_tasks.LIVE_HOOKS,
        ),
    )
    log.subscribe(document_notes.document_committed)
    log.subscribe(mention_notes.document_committed)
    log.subscribe_writes(search_services.document_written)
    log.subscribe_writes(document_versions.document_written)

    # Receivers run in the order listed: a member added gets the room's system message,
    # then the webhook deliveries, then their notification, as before the split.
    subscriptions = {
        membership_signals.member_joined: (
            chat.on_member_joined,
            webhooks.on_member_joined,
            notifications.on_member_joined,
            live.on_member_joined,
        ),
        membership_signals.member_role_changed: (live.on_member_role_changed,),
        membership_signals.member_left: (
            chat.on_member_left,
            webhooks.on_member_left,
            live.on_member_left,
        ),
        membership_signals.room_renamed: (chat.on_room_renamed,),
        membership_signals.room_created: (live.on_room_created,),
        membership_signals.room_changed: (live.on_room_changed,),
        membership_signals.room_deleted: (live.on_room_deleted,),
        document_signals.document_created: (
            chat.on_document_created,
            webhooks.on_document_created,
            live.on_document_created,
        ),
        document_signals.document_changed: (live.on_document_changed,),
        document_signals.document_deleted: (live.on_document_deleted,),
        document_signals.version_created: (webhooks.on_version_created,),
        document_signals.document_mentioned: (notifications.on_document_mentioned,),
        document_signals.document_shared: (
            chat.on_document_shared,
            notifications.on_document_shared,
            live.on_document_shared,
        ),
        chat_signals.message_posted: (
            notifications.on_message_posted,
            webhooks.on_message_posted,
            live.on_message_posted,
        ),
        chat_signals.message_edited: (
            notifications.on_message_edited,
            webhooks.on_message_edited,
        ),
        chat_signals.message_deleted: (webhooks.on_message_deleted, live.on_message_deleted),
        comment_signals.comment_posted: (
            notifications.on_comment_posted,
            webhooks.on_comment_posted,
        ),
        comment_signals.comment_edited: (notifications.on_comment_edited,),
        comment_signals.thread_resolved: (webhooks.on_thread_resolved,),
    }
    for signal, receivers in subscriptions.items():
        for receiver in receivers:
            signal.connect(receiver, dispatch_uid=f"{receiver.__module__}.{receiver.__qualname__}")
