"""``rows_update``: many rows, each with its own values, changed in one statement.

Django's ``bulk_update`` builds a ``CASE WHEN pk = … THEN …`` per field and row, which a
job writing thousands of rows pays for in Python more than the database does. This
writes ``WITH v AS (VALUES …) UPDATE … FROM v`` instead, which SQLite (3.33 and later)
and PostgreSQL both run; another database gets ``bulk_update``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

CHUNK = 500


def rows_update(rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of every row of ``rows`` (one model, all saved before)."""
    if not rows:
        return
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_update(rows, fields)
        return
    meta = model._meta
    columns: list[Field[Any, Any]] = []
    for name in fields:
        column = meta.get_field(name)
        assert isinstance(column, Field)  # a concrete column, not a reverse relation
        columns.append(column)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key = quote(meta.pk.column or "id") if meta.pk else '"id"'

    def value(index: int) -> str:
        # PostgreSQL types a VALUES column from its literals; a NULL one needs its type.
        if connection.vendor == "postgresql":
            return f"CAST(v.c{index} AS {columns[index].db_type(connection)})"
        return f"v.c{index}"

    names = ", ".join(["id", *(f"c{i}" for i in range(len(columns)))])
    sets = ", ".join(f"{quote(c.column or c.name)} = {value(i)}" for i, c in enumerate(columns))
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params: list[Any] = []
            for obj in chunk:
                params.append(obj.pk)
                params.extend(
                    c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns
                )
            # Only names quoted from the model's metadata and placeholders are built in.
            sql = (
                f"WITH v({names}) AS (VALUES {', '.join([row] * len(chunk))}) "  # noqa: S608
                f"UPDATE {table} SET {sets} FROM v WHERE {table}.{key} = v.id"
            )
            cursor.execute(sql, params)
