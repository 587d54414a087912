"""The search index of documents: one ``DocumentText`` row per document, and on PostgreSQL a
GIN index on its text.

The indexed expression is exactly the one ``rooms.search.services`` filters on
(``to_tsvector('english', COALESCE(text, ''))``, what ``SearchVector("text",
config="english")`` compiles to), so the planner can use it. Other databases get no index:
their fallback is a substring match.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

INDEX = "rooms_documenttext_search"


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON rooms_documenttext "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("rooms", "0002_message_search_index")]

    operations = [
        migrations.CreateModel(
            name="DocumentText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="rooms.document",
                    ),
                ),
                ("text", models.TextField(blank=True, default="")),
                (
                    "seq",
                    models.BigIntegerField(
                        default=0,
                        help_text="The document's update the text was read at (newest wins).",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(create_index, drop_index),
    ]
