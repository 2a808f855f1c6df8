"""The search index of memo bodies, one per database (memos/search.py queries it).

SQLite: an FTS5 table with the trigram tokenizer over ``memos_memo.body``, kept in step
by triggers, so no write can forget it. PostgreSQL: a stored ``tsvector`` column under a
GIN index for words, and a pg_trgm GIN index on the body for substrings."""

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
    """ALTER TABLE memos_memo ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED""",
    "CREATE INDEX memos_memo_search_vector ON memos_memo USING GIN (search_vector)",
    "CREATE INDEX memos_memo_body_trgm ON memos_memo USING GIN (body gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX memos_memo_body_trgm",
    "DROP INDEX memos_memo_search_vector",
    "ALTER TABLE memos_memo DROP COLUMN search_vector",
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
