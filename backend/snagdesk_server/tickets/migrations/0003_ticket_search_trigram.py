"""Trigram indexes for the ticket search (``icontains`` on subject and requester email).

PostgreSQL only: Django's ``icontains`` compiles to ``UPPER(col::text) LIKE UPPER(%s)``,
which these expression indexes serve; SQLite scans, and is fast enough at its scale.
"""

from django.db import migrations

COLUMNS = {"ticket_subject_trgm": "subject", "ticket_email_trgm": "submitter_email"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_ticket_sort_indexes")]
    operations = [migrations.RunPython(create, drop)]
