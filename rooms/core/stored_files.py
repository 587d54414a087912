"""Removing stored files whose rows are deleted: only once the deletion commits (a rolled-back
delete keeps its files), and a file that cannot be removed is logged, never raised, since the
rows are already gone."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def remove_files_on_commit(files: Iterable[FieldFile]) -> None:
    """Remove ``files`` from their storage when the current transaction commits (at once
    outside one). Read the files before deleting their rows."""
    kept = [(file.storage, file.name) for file in files if file.name]
    if not kept:
        return

    def remove() -> None:
        for storage, name in kept:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("could not remove the stored file %s", name)

    transaction.on_commit(remove)
