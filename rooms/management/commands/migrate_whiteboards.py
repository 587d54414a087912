"""``manage.py migrate_whiteboards``: bring every stored whiteboard to the current board
version (``rooms/documents/content/board_migration.py``). Safe to run again, and while people
draw: each board is one server write through the document log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rooms.documents.services.board_content import whiteboards_migrate


class Command(BaseCommand):
    help = "Bring every whiteboard to the current board version (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = whiteboards_migrate()
        for document_id, migration in changed:
            self.stdout.write(
                f"{document_id}: from version {migration.from_version}, repaired "
                f"{migration.repaired or 'nothing'}, left as they are "
                f"{migration.left_as_they_are or 'none'}"
            )
        self.stdout.write(f"{len(changed)} whiteboards migrated.")
