"""Search at 100,000 memos (bench/memos.py).

PostgreSQL: the body lower-cased once, in a stored column under the trigram index, so a
search checks each candidate with a plain ``LIKE`` instead of an ``ILIKE`` that
lower-cases the candidate's whole body again. It replaces the ``tsvector`` and its GIN
index: search.py ranks from the text now, and the vector made every row wider than its
body for ranking alone.

Both databases: no index on (visibility, author). SQLite plans without statistics and
took ``visibility = 'public' OR author = me`` for selective: it gathered every visible
memo through that index and the author's, then sorted them all, where walking
``memos_memo_order`` stops at the first page. PostgreSQL never chose it for a list."""

from django.db import migrations

POSTGRESQL = [
    "DROP INDEX memos_memo_body_trgm",
    "DROP INDEX memos_memo_search_vector",
    "ALTER TABLE memos_memo DROP COLUMN search_vector",
    """ALTER TABLE memos_memo ADD COLUMN search_text text
        GENERATED ALWAYS AS (lower(body)) STORED""",
    "CREATE INDEX memos_memo_search_text_trgm ON memos_memo USING GIN (search_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX memos_memo_search_text_trgm",
    "ALTER TABLE memos_memo DROP COLUMN search_text",
    """ALTER TABLE memos_memo ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED""",
    "CREATE INDEX memos_memo_search_vector ON memos_memo USING GIN (search_vector)",
    "CREATE INDEX memos_memo_body_trgm ON memos_memo USING GIN (body gin_trgm_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("memos", "0002_search_index")]

    operations = [
        migrations.RemoveIndex(model_name="memo", name="memos_memo_visibility"),
        migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE)),
    ]
