"""Issued invoices, their lines and credit notes cannot be changed by any SQL: only an
invoice's payment (its status and when it was paid) may be recorded. PostgreSQL also
refuses to delete them; SQLite, which Django's test flush empties with DELETE, only to
change them."""

from django.db import migrations

# What an issued invoice may never change: all but its status and when it was paid.
_INVOICE_COLUMNS = (
    "number",
    "client_id",
    "kind",
    "service_id",
    "period_start",
    "period_end",
    "upgrade_to_id",
    "product_id",
    "net",
    "tax",
    "total",
    "issued_at",
)
_MESSAGE = "issued invoices and credit notes cannot be changed"


_TABLES = ("billing_invoice", "billing_invoiceline", "billing_creditnote")
_PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _INVOICE_COLUMNS)
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _INVOICE_COLUMNS)

POSTGRESQL = [
    f"""
    CREATE FUNCTION billing_invoice_immutable() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_TABLE_NAME <> 'billing_invoice' OR {_PG_CHANGED} THEN
            RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    *(
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION billing_invoice_immutable()"
        for table in _TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {table}_immutable ON {table}" for table in _TABLES),
    "DROP FUNCTION billing_invoice_immutable()",
]
SQLITE = [
    f"CREATE TRIGGER billing_invoice_immutable BEFORE UPDATE ON billing_invoice "
    f"FOR EACH ROW WHEN {_SQLITE_CHANGED} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    *(
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        for table in _TABLES[1:]
    ),
]
SQLITE_REVERSE = [f"DROP TRIGGER {table}_immutable" for table in _TABLES]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_profiles_checkouts")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
