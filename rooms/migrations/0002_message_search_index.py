"""A GIN index for message search on PostgreSQL; nothing on other databases.

The indexed expression is exactly the one ``rooms.selectors.message_search`` filters on
(``SearchVector("body", config="english")``), so the planner can use it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEX = "rooms_message_body_search"


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON rooms_message "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
