"""Start Django on a fresh benchmark database.

Without ``DATABASE_URL``: a new SQLite file under ``var/bench/``. With it: that database
is dropped and created again (PostgreSQL) or its file deleted (SQLite), so every run
starts from the same state. Because of that, the database's name must contain "bench".
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks share the browser tests' Chromium setup (tests/e2e/browser.py).
sys.path.insert(0, str(ROOT))


def django_start(name: str) -> None:
    """Prepare the database named after the benchmark, start Django and migrate."""
    sys.path.insert(0, str(ROOT / "backend"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snagdesk_server.settings")
    # Production's settings (no DEBUG) refuse the published key and an empty host list;
    # the servers a benchmark starts inherit these.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = ROOT / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    _database_recreate(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _database_recreate(url: str) -> None:
    import environ

    config = environ.Env.db_url_config(url)
    name = str(config["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to wipe {name!r}: a benchmark database's name must contain 'bench'.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"Unsupported database engine {config['ENGINE']}.")
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": config.get("PORT"),
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    version = connection.cursor().connection.info.server_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def analyze() -> None:
    """Do what PostgreSQL's autovacuum would long have done to tables this size: a bulk
    load leaves no planner statistics and no visibility map (which index-only scans,
    such as a fast COUNT, need). SQLite deployments never run ANALYZE by themselves, so
    the SQLite figures are taken without it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
