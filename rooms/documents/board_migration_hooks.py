"""The runtime's hooks (``rooms.sync.runtime.LiveHooks``) that migrate old boards lazily:
when the last client of a whiteboard made before the current board version leaves, it is
migrated in the background (``board_migration``), so boards in use reach the current version
without anyone running ``manage.py migrate_whiteboards``. A board already there queues
nothing."""

from __future__ import annotations

import logging

from channels.db import database_sync_to_async

from rooms.documents.content.board_migration import needs_migration
from rooms.documents.tasks import migrate_whiteboard
from rooms.sync.runtime import LiveDocument

logger = logging.getLogger(__name__)


class MigrateWhenUnloaded:
    def committed(self, live: LiveDocument) -> None:
        return None

    async def unloaded(self, live: LiveDocument) -> None:
        if not needs_migration(live.doc):
            return
        try:
            await database_sync_to_async(migrate_whiteboard.delay)(str(live.id))
        except Exception:
            logger.warning("could not queue the migration of board %s", live.id, exc_info=True)


LIVE_HOOKS = MigrateWhenUnloaded()
