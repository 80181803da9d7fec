"""Backups of the whole database, and restoring one (``pacesetter backup|restore FILE``).

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the database page
  by page while the app runs: a consistent snapshot, never a half-written file (copying the
  file by hand while the server or the worker writes is not). A backup is itself a plain
  SQLite database. Restoring copies it back into the live file with the same API; pages and
  the worker wait for it (their writes meet the busy timeout, then a 503) and see the
  restored data afterwards.
- PostgreSQL: ``pg_dump -Fc`` (the custom format) and ``pg_restore --clean --if-exists`` in
  one transaction.

Restoring refuses a database that holds data unless forced: rows in any table other than
those ``migrate`` fills. A backup is written beside its destination and renamed into place,
so a failed backup never leaves a partial file under the name asked for.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

# Tables that ``migrate`` fills by itself: rows there do not make a database "hold data".
MIGRATE_FILLS = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "metrics_metric"}
)


class BackupError(Exception):
    """A backup or restore that cannot be done (the message says why)."""


def backup(target: Path, *, using: str = "default", force: bool = False) -> None:
    """Write a backup of the database to ``target``."""
    target = Path(target)
    if target.exists() and not force:
        raise BackupError(f"{target} exists (give --force to replace it)")
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent}")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if _vendor(using) == "sqlite":
            _sqlite_backup(partial, using)
        else:
            _run([_tool("pg_dump"), "-Fc", "--no-owner", "--file", str(partial)], using)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def restore(source: Path, *, using: str = "default", force: bool = False) -> None:
    """Replace the database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no file {source}")
    if not force and holds_data(using):
        raise BackupError(
            "the database holds data: restoring would replace it (give --force to do it)"
        )
    if _vendor(using) == "sqlite":
        _sqlite_restore(source, using)
    else:
        connections[using].close()
        command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
        _run([*command, "--single-transaction", str(source)], using)


def holds_data(using: str = "default") -> bool:
    """Whether any table but those ``migrate`` fills has a row."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in MIGRATE_FILLS or table.startswith("sqlite_"):
                continue  # SQLite's own tables (sqlite_stat1: ANALYZE's statistics) hold no data
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return True
    return False


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {vendor} databases are not supported")
    return vendor


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_backup(partial: Path, using: str) -> None:
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        # In one step: a read of one snapshot, which writers do not wait for (WAL mode).
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_restore(source: Path, using: str) -> None:
    backup_file = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_sqlite_backup(backup_file, source)
        connection = connections[using]
        if connection.in_atomic_block:
            raise BackupError("cannot restore inside a transaction")
        connection.ensure_connection()
        backup_file.backup(connection.connection)
    finally:
        backup_file.close()


def _check_sqlite_backup(backup_file: sqlite3.Connection, source: Path) -> None:
    try:
        (verdict,) = backup_file.execute("PRAGMA quick_check").fetchone()
        tables = {n for (n,) in backup_file.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite database: {error}") from None
    if verdict != "ok":
        raise BackupError(f"{source} is damaged: {verdict}")
    if "django_migrations" not in tables:
        raise BackupError(f"{source} is not a Pacesetter database")


# --- PostgreSQL ------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], using: str) -> None:
    """Run pg_dump or pg_restore on the database; the password goes by the environment."""
    settings = connections[using].settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    target = _conninfo(settings)
    result = subprocess.run(
        [*command, "--dbname", target], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _conninfo(settings: dict[str, Any]) -> str:
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": settings["NAME"],
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
    }
    for key, value in (settings.get("OPTIONS") or {}).items():
        if isinstance(value, str):
            params[key] = value
    return make_conninfo("", **{k: v for k, v in params.items() if v})
