"""`pacesetter backup FILE` and `pacesetter restore FILE`: a round trip gives back every row
of every table; restoring over a database that holds data needs --force. On the suite's
database: SQLite (the online backup API) or PostgreSQL (pg_dump / pg_restore).

A restore needs the database outside any transaction, so these tests run on the test
database as it is (no transaction around them) and put it back as they found it — with a
backup and a restore of their own."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pacesetter.backups import backup, holds_data, restore
from pacesetter.conftest import make_person
from pacesetter.ledger.models import Activity, Deal
from pacesetter.org.models import Person


@pytest.fixture
def live_database(django_db_setup, django_db_blocker, tmp_path: Path):
    """The test database, outside any transaction; as it was before, afterwards."""
    with django_db_blocker.unblock():
        before = tmp_path / "before-the-test.backup"
        backup(before)
        try:
            yield
        finally:
            restore(before, force=True)


def every_row() -> dict[str, list[tuple]]:
    """Each table's rows, in a stable order (sorted as text)."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_a_backup_restores_every_row_of_every_table(live_database, tmp_path: Path):
    alice, bob = make_person("Alice Adams"), make_person("Bob Brown")
    Activity.objects.create(
        source="t", external_id="a1", kind="call", person=alice,
        occurred_at=dt.datetime(2026, 11, 2, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    Deal.objects.create(
        source="t", external_id="d1", owner=bob, amount=1200, stage="Won",
        status="won", created_on=dt.date(2026, 10, 1), closed_on=dt.date(2026, 11, 3),
    )  # fmt: skip
    before = every_row()
    assert before["ledger_activity"] and before["org_person"] and before["auth_user"]
    saved = tmp_path / "pacesetter.backup"

    assert "Backed up" in run("backup", str(saved))
    with pytest.raises(CommandError, match="exists"):
        run("backup", str(saved))  # never over an older backup by mistake

    Activity.objects.all().delete()
    Person.objects.filter(pk=bob.pk).delete()
    make_person("Charlie Chen")
    with pytest.raises(CommandError, match="holds data"):
        run("restore", str(saved))
    assert every_row() != before
    assert "Restored" in run("restore", str(saved), "--force")
    assert every_row() == before


def test_restore_refuses_what_is_not_a_backup(live_database, tmp_path: Path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError):
        run("restore", str(junk), "--force")
    with pytest.raises(CommandError, match="no file"):
        run("restore", str(tmp_path / "missing.backup"))


def test_an_empty_database_is_restored_without_force(live_database, tmp_path: Path):
    """What migrate leaves (its own tables' rows) holds no one's data."""
    make_person("Alice Adams")
    saved = tmp_path / "pacesetter.backup"
    run("backup", str(saved))
    before = every_row()
    Person.objects.all().delete()
    get_user_model().objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the database's own statistics (sqlite_stat1) are no data
    assert not holds_data()
    run("restore", str(saved))
    assert every_row() == before
