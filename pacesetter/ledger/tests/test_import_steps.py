"""Imports written in short steps (``importers/steps.py``): the lock is free between steps,
and the import is still all or nothing.

Most tests force ``steps=True`` inside the test's transaction, so that they run on SQLite
and PostgreSQL alike (steps become savepoints there, and the journal works the same). The
last ones commit for real, to show another connection writing between two steps.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from pacesetter.ledger.importers import steps
from pacesetter.ledger.models import (
    Activity,
    ActivityMonth,
    Deal,
    ImportSlot,
    ImportStep,
    ManualEntry,
)

from .test_import_helpers import (
    LEDGER,
    importing,
    rollups,
    rollups_match_a_rebuild,
    stored,
    write_csv,
)

CALLS = ["external_id", "person", "type", "occurred"]
DEALS = ["external_id", "owner", "amount", "stage", "created", "closed"]


def calls(person: str, n: int, first: int = 0) -> list[list[str]]:
    return [
        [f"c{i}", person, "call", f"2026-03-{1 + i % 28:02d} 10:00"]
        for i in range(first, first + n)
    ]


def ledger_and_rollups() -> dict[str, list[tuple]]:
    """The ledger rows, and the rollups as readers see them: an undone step may leave a
    rollup row at zero where there was none, which counts the same."""
    rows = stored()
    return {**{m.__name__: rows[m.__name__] for m in LEDGER}, **rollups()}


def rename(person, name: str) -> None:
    person.full_name = name
    person.save()


def test_written_in_steps_the_result_is_the_same_as_in_one_transaction(small_org, tmp_path):
    path = write_csv(tmp_path / "a.csv", [CALLS, *calls("Alice Adams", 23)])

    report = importing("activities", path, batch_size=5, steps=True)

    assert (report.created, report.committed, report.failed) == (23, True, False)
    assert rollups_match_a_rebuild()
    assert not ImportSlot.objects.exists() and not ImportStep.objects.exists()
    again = importing("activities", path, batch_size=5, steps=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 23)


def test_a_bad_row_found_while_checking_writes_nothing_and_takes_no_step(small_org, tmp_path):
    rows = [*calls("Alice Adams", 12), ["x1", "Nobody Known", "call", "2026-03-02 10:00"]]
    before = stored()
    journaled = []

    report = importing(
        "activities",
        write_csv(tmp_path / "a.csv", [CALLS, *rows]),
        batch_size=5,
        steps=True,
        stage=journaled.append,
    )

    assert report.failed and [e.row for e in report.errors] == [14]
    assert journaled == []  # never read a second time
    assert stored() == before


def test_a_row_that_turns_bad_between_the_readings_undoes_the_steps_written(small_org, tmp_path):
    """Alice is renamed after the check: her rows, which come after Bob's, are refused on
    the second reading, when Bob's three steps are already written. They are undone."""
    rows = [*calls("Bob Brown", 15), *calls("Alice Adams", 5, first=100)]
    before = ledger_and_rollups()

    report = importing(
        "activities",
        write_csv(tmp_path / "a.csv", [CALLS, *rows]),
        batch_size=5,
        steps=True,
        stage=lambda _stage: rename(small_org.alice, "Alice Moved"),
    )

    assert report.failed and not report.committed
    assert [e.row for e in report.errors] == [17, 18, 19, 20, 21]
    assert "Alice Adams" in report.errors[0].value
    assert ledger_and_rollups() == before
    assert not ImportSlot.objects.exists() and not ImportStep.objects.exists()


def test_undoing_restores_the_values_the_steps_changed(small_org, tmp_path):
    first = [[f"d{i}", "Bob Brown", "1000", "Won", "2026-02-01", "2026-03-05"] for i in range(8)]
    importing("deals", write_csv(tmp_path / "d1.csv", [DEALS, *first]))
    before = ledger_and_rollups()
    changed = [[*row[:2], "2500", *row[3:]] for row in first]  # every amount changes
    changed.append(["d99", "Alice Adams", "10", "Won", "2026-02-01", "2026-03-05"])

    report = importing(
        "deals",
        write_csv(tmp_path / "d2.csv", [DEALS, *changed]),
        batch_size=3,
        steps=True,
        stage=lambda _stage: rename(small_org.alice, "Alice Moved"),
    )

    assert report.failed
    assert ledger_and_rollups() == before
    assert set(Deal.objects.values_list("amount", flat=True)) == {Decimal("1000.00")}
    assert rollups_match_a_rebuild()


def test_undoing_keeps_a_weekly_number_saved_on_the_web_meanwhile(small_org, tmp_path):
    header = ["person", "metric", "week", "value"]
    rows = [
        ["Bob Brown", "pd_events", "2026-W10", "1"],
        ["Bob Brown", "pd_events", "2026-W11", "2"],
        ["Alice Adams", "pd_events", "2026-W10", "3"],
    ]
    saved_on_the_web = []

    def web_save(_rows: int) -> None:  # after the first step: Bob types another number
        entry = ManualEntry.objects.filter(person=small_org.bob).order_by("first_day").first()
        if entry is not None and not saved_on_the_web:
            entry.value = Decimal("7")
            entry.save()
            saved_on_the_web.append(entry.pk)

    report = importing(
        "entries",
        write_csv(tmp_path / "e.csv", [header, *rows]),
        batch_size=1,
        steps=True,
        stage=lambda _stage: rename(small_org.alice, "Alice Moved"),
        progress=web_save,
    )

    assert report.failed and saved_on_the_web
    assert list(ManualEntry.objects.values_list("person__full_name", "value")) == [
        ("Bob Brown", Decimal("7.00"))
    ]


def test_an_import_whose_process_died_is_undone_by_the_next_one(small_org, tmp_path, monkeypatch):
    monkeypatch.setattr(steps.StepJournal, "undo", lambda self: None)  # as if killed

    def die(_rows: int) -> None:
        if ImportStep.objects.count() == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importing(
            "activities",
            write_csv(tmp_path / "a.csv", [CALLS, *calls("Bob Brown", 20)]),
            batch_size=5,
            steps=True,
            progress=die,
        )
    assert Activity.objects.count() == 10 and ImportStep.objects.count() == 2  # left behind
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    ImportSlot.objects.update(pid=int(ended.stdout))  # a process that is gone
    monkeypatch.undo()

    report = importing(
        "activities", write_csv(tmp_path / "b.csv", [CALLS, *calls("Alice Adams", 3)]), steps=True
    )

    assert report.committed
    assert not ImportSlot.objects.exists()
    assert list(Activity.objects.values_list("person", flat=True)) == [small_org.alice.pk] * 3
    assert rollups_match_a_rebuild()


def test_a_second_import_waits_for_the_one_being_written_then_says_so(
    small_org, tmp_path, monkeypatch
):
    now = timezone.now()
    ImportSlot.objects.create(
        kind="deals",
        source="hubspot",
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=now,
        heartbeat_at=now,
        stamp=now,
    )
    monkeypatch.setenv("PACESETTER_IMPORT_WAIT", "0")
    before = stored()

    report = importing(
        "activities", write_csv(tmp_path / "a.csv", [CALLS, *calls("Bob Brown", 3)]), steps=True
    )

    assert report.failed
    assert "another import is being written (deals from hubspot" in report.errors[0].reason
    assert stored() == before


def test_a_slot_silent_for_too_long_is_taken_for_dead(small_org):
    long_ago = timezone.now() - steps.STALE_AFTER * 2
    ImportSlot.objects.create(
        kind="activities",
        source="csv",
        host="elsewhere",
        pid=1,
        started_at=long_ago,
        heartbeat_at=long_ago,
        stamp=long_ago,
    )

    assert steps.recover_unfinished() == 0  # no step to undo, the slot freed
    assert not ImportSlot.objects.exists()


# --- with real commits: another connection writes between two steps --------------------------


def _other_writer():
    """A second connection to the test database that waits at most 0.2 s for a lock."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(settings["NAME"], timeout=0.2)
        other.isolation_level = None
        return other, sqlite3.OperationalError
    import psycopg

    other = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )
    other.execute("SET lock_timeout = '200ms'")
    return other, psycopg.errors.LockNotAvailable


def _bump(other, person_id: int) -> None:
    table = ActivityMonth._meta.db_table
    other.execute(f"UPDATE {table} SET count = count + 0 WHERE person_id = {int(person_id)}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_steps", [True, False])
def test_between_two_steps_another_connection_writes_without_waiting(small_org, tmp_path, in_steps):
    """The rollup row of Bob's March is written by the first step. Written in steps, another
    connection then updates it at once; written in one transaction on SQLite, it waits."""
    other, locked = _other_writer()
    outcomes: list[str] = []

    def write_meanwhile(_rows: int) -> None:
        if ActivityMonth.objects.filter(person=small_org.bob).exists() or not in_steps:
            try:
                _bump(other, small_org.bob.pk)
                outcomes.append("written")
            except locked:
                outcomes.append("waited too long")

    try:
        report = importing(
            "activities",
            write_csv(tmp_path / "a.csv", [CALLS, *calls("Bob Brown", 15)]),
            batch_size=5,
            steps=in_steps,
            progress=write_meanwhile,
        )
    finally:
        other.close()

    assert report.committed and report.created == 15
    if in_steps or connection.vendor == "postgresql":  # PostgreSQL's writers never waited
        assert outcomes and set(outcomes) == {"written"}
    else:  # SQLite: the import's one transaction holds the database's write lock throughout
        assert outcomes and set(outcomes) == {"waited too long"}


@pytest.mark.django_db(transaction=True)
def test_a_file_imported_again_is_read_once_and_nothing_is_written(small_org, tmp_path):
    """On SQLite the checking reading also compares: a file whose rows are all stored as
    they are is done there, without a second reading or a step. A changed row is written."""
    rows = calls("Bob Brown", 15)
    importing("activities", write_csv(tmp_path / "a.csv", [CALLS, *rows]), batch_size=5)
    before = ledger_and_rollups()
    stages: list[str] = []

    again = importing(
        "activities",
        write_csv(tmp_path / "a.csv", [CALLS, *rows]),
        batch_size=5,
        stage=stages.append,
    )

    assert again.committed and not again.failed
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)
    assert stages == [] and ledger_and_rollups() == before

    rows[12][3] = "2026-04-02 10:00"  # the last batch: the first two compare equal
    changed = importing(
        "activities",
        write_csv(tmp_path / "b.csv", [CALLS, *rows]),
        batch_size=5,
        stage=stages.append,
    )

    assert changed.committed and (changed.created, changed.updated, changed.unchanged) == (0, 1, 14)
    assert stages == (["writing"] if connection.vendor == "sqlite" else [])
    assert Activity.objects.get(external_id="c12").occurred_at.month == 4
    assert rollups_match_a_rebuild()


@pytest.mark.django_db(transaction=True)
def test_an_import_being_written_meanwhile_is_never_taken_for_the_file_being_stored(
    small_org, tmp_path, monkeypatch
):
    """What the check compares with may be another import's half-written steps: while one
    is being written, an unchanged file is not done at the check but waits for it."""
    rows = calls("Bob Brown", 6)
    importing("activities", write_csv(tmp_path / "a.csv", [CALLS, *rows]))
    now = timezone.now()
    ImportSlot.objects.create(
        kind="deals", source="csv", host=socket.gethostname(), pid=os.getpid(),
        started_at=now, heartbeat_at=now, stamp=now,
    )  # fmt: skip
    monkeypatch.setenv("PACESETTER_IMPORT_WAIT", "0")

    again = importing("activities", write_csv(tmp_path / "a.csv", [CALLS, *rows]))

    if connection.vendor == "sqlite":
        assert again.failed and "another import is being written" in again.errors[0].reason
    else:  # PostgreSQL writes in one transaction: no slot, no waiting
        assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
