"""PostgreSQL: a finer sample of ``search_text`` for the planner.

A term that one memo in a hundred holds (``db``) is not seen in the 100 values of the
default sample, so the planner took it for rare and read every memo to sort the
matches, where walking the list's order index stops at the first page (70 ms against
2 ms at 100,000 memos, bench/memos.py). A thousand values see it. ``ANALYZE`` takes the
new sample at once rather than at autovacuum's next pass."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE memos_memo ALTER COLUMN search_text SET STATISTICS 1000",
    "ANALYZE memos_memo",
]
REVERSE = ["ALTER TABLE memos_memo ALTER COLUMN search_text SET STATISTICS -1"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("memos", "0002_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
