"""Invoices of what other modules bill (``core.charges``), one per reference; the
reference joins the columns an issued invoice may never change. SQLite rebuilds the
table to add the column, which drops its trigger, so the trigger is made again."""

from django.db import migrations, models

_INVOICE_COLUMNS = (
    "number",
    "client_id",
    "kind",
    "service_id",
    "period_start",
    "period_end",
    "upgrade_to_id",
    "product_id",
    "reference",
    "net",
    "tax",
    "total",
    "issued_at",
)
_MESSAGE = "issued invoices and credit notes cannot be changed"


def _postgresql(columns):
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return [
        f"""
        CREATE OR REPLACE FUNCTION billing_invoice_immutable() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR TG_TABLE_NAME <> 'billing_invoice' OR {changed} THEN
                RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    ]


def _sqlite(columns):
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return [
        "DROP TRIGGER IF EXISTS billing_invoice_immutable",
        f"CREATE TRIGGER billing_invoice_immutable BEFORE UPDATE ON billing_invoice "
        f"FOR EACH ROW WHEN {changed} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ]


def _run(columns):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor)
        for sql in statements(columns) if statements else []:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_language"),
        ("billing", "0003_issued_documents_immutable"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="reference",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="invoice",
            name="kind",
            field=models.CharField(
                choices=[("renewal", "Renewal"), ("upgrade", "Upgrade"), ("charge", "Charge")],
                default="renewal",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reference", ""), _negated=True),
                fields=("reference",),
                name="billing_invoice_one_per_reference",
            ),
        ),
        migrations.RunPython(
            _run(_INVOICE_COLUMNS),
            _run(tuple(c for c in _INVOICE_COLUMNS if c != "reference")),
        ),
    ]
