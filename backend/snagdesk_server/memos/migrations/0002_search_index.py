"""The search index of memo bodies, one per database (memos/search.py queries it).

SQLite: an FTS5 table with the trigram tokenizer over ``memos_memo.body``, kept in step
by triggers, so no write can forget it.

PostgreSQL: ``search_text``, the body lower-cased once in a generated column, under a
pg_trgm GIN index. A search checks each candidate with a plain ``LIKE`` rather than an
``ILIKE`` that lower-cases every candidate's body again (a quarter of the time at
100,000 memos, bench/memos.py), and ranks from the same text, so no ``tsvector`` widens
every row for ranking alone.

Neither database has an index on (visibility, author): SQLite plans without statistics
and would take ``visibility = 'public' OR author = me`` for selective, gathering every
visible memo to sort them all, where walking ``memos_memo_order`` stops at the first
page."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE memos_memo_fts USING fts5(
        body, content='memos_memo', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER memos_memo_fts_insert AFTER INSERT ON memos_memo BEGIN
        INSERT INTO memos_memo_fts (rowid, body) VALUES (new.id, new.body);
    END""",
    """CREATE TRIGGER memos_memo_fts_delete AFTER DELETE ON memos_memo BEGIN
        INSERT INTO memos_memo_fts (memos_memo_fts, rowid, body)
        VALUES ('delete', old.id, old.body);
    END""",
    """CREATE TRIGGER memos_memo_fts_update AFTER UPDATE OF body ON memos_memo BEGIN
        INSERT INTO memos_memo_fts (memos_memo_fts, rowid, body)
        VALUES ('delete', old.id, old.body);
        INSERT INTO memos_memo_fts (rowid, body) VALUES (new.id, new.body);
    END""",
    "INSERT INTO memos_memo_fts (memos_memo_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER memos_memo_fts_update",
    "DROP TRIGGER memos_memo_fts_delete",
    "DROP TRIGGER memos_memo_fts_insert",
    "DROP TABLE memos_memo_fts",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE memos_memo ADD COLUMN search_text text
        GENERATED ALWAYS AS (lower(body)) STORED""",
    "CREATE INDEX memos_memo_search_text_trgm ON memos_memo USING GIN (search_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX memos_memo_search_text_trgm",
    "ALTER TABLE memos_memo DROP COLUMN search_text",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("memos", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
