"""The cheaper reading of plain rows (``ActivityParser.quick``, ``Dates.quick_moment``) and
the keys of a large file kept in a scratch database (``staging.SeenKeys``).

The quick reading must stage every row exactly as ``parse`` does, and hand back to ``parse``
every row it is not sure of, so that errors are still found and named the same way.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pacesetter.conftest import set_org_time_zone
from pacesetter.ledger.importers.dates import Dates
from pacesetter.ledger.importers.kinds.activities import ActivityParser
from pacesetter.ledger.importers.staging import SeenKeys
from pacesetter.ledger.importers.tables import Staged

from .test_import_helpers import importing, rollups, rollups_match_a_rebuild, write_csv

HEADER = ["external_id", "person", "type", "occurred", "status", "account", "segment"]


def moments(day: dt.date) -> list[str]:
    """Every quarter of an hour of a day and the next, as a CRM writes them."""
    start = dt.datetime.combine(day, dt.time())
    return [
        (start + dt.timedelta(minutes=15 * i, seconds=7)).isoformat(sep)
        for i in range(2 * 24 * 4)
        for sep in (" ", "T")
    ]


@pytest.mark.parametrize(
    ("zone", "days"),
    [
        # Spring forward and fall back at 2:00; Lord Howe moves by half an hour; Santiago
        # changes at midnight, so a whole day's first hour is missing or repeated.
        ("America/New_York", [dt.date(2026, 3, 8), dt.date(2026, 11, 1)]),
        ("Australia/Lord_Howe", [dt.date(2026, 4, 5), dt.date(2026, 10, 4)]),
        ("America/Santiago", [dt.date(2026, 4, 4), dt.date(2026, 9, 5)]),
        ("UTC", [dt.date(2026, 1, 1)]),
    ],
)
def test_a_quick_moment_is_the_moment_or_nothing(zone, days):
    dates, quick = Dates(ZoneInfo(zone)), Dates(ZoneInfo(zone))
    read = 0
    for day in days:
        for value in moments(day - dt.timedelta(days=1)):
            found = quick.quick_moment(value)
            if found is None:
                continue  # a DST change in its hour: ``moment`` reads it
            read += 1
            utc, month, local_day = found
            assert (utc, month) == dates.moment(value), value
            assert utc.tzinfo is dt.UTC
            assert local_day == utc.astimezone(ZoneInfo(zone)).date(), value
    assert read > len(days) * 300  # all but the hours around the change


@pytest.mark.parametrize(
    "value", ["2026-03-31", "31/03/2026 10:00", "2026-03-31T10:00Z", "2026-03-31 10:00+02:00",
              "=2026-03-31 10:00", "2026-02-30 10:00", "1850-01-01 10:00", "2026-03-31 25:00"],
)  # fmt: skip
def test_anything_but_a_plain_iso_time_is_left_to_moment(value):
    assert Dates(ZoneInfo("UTC")).quick_moment(value) is None


def rows() -> list[list[str]]:
    """Plain rows, and rows the quick reading must hand to ``parse``: errors, rows not done,
    generic types, an empty person, a DST change, an unknown segment, a long key."""
    plain = [
        [f"p{i}", person, kind, f"2026-03-{1 + i % 28:02d} {8 + i % 10:02d}:15:00", status, "",
         segment]
        for i, (person, kind, status, segment) in enumerate(
            [("alice@example.com", "call", "", ""), ("Bob Brown", "Email", "Completed", "smb"),
             ("alice@example.com", "meeting", "done", "Enterprise"),
             ("bob@example.com", "demo", "", "mid market")] * 6
        )
    ]  # fmt: skip
    odd = [
        ["o1", "nobody@example.com", "call", "2026-03-02 10:00", "", "", ""],
        ["o2", "alice@example.com", "task", "2026-03-02 10:00", "", "", ""],
        ["o3", "alice@example.com", "call", "2026-03-02 10:00", "Not Started", "", ""],
        ["o4", "", "call", "2026-03-02 10:00", "", "", ""],
        ["o5", "alice@example.com", "call", "2026-03-08 02:30", "", "", ""],
        ["o6", "alice@example.com", "call", "2026-11-01 01:30", "", "", ""],
        ["o7", "alice@example.com", "call", "2026-03-02 10:00", "", "", "galactic"],
        ["x" * 129, "alice@example.com", "call", "2026-03-02 10:00", "", "", ""],
        ["o9", "alice@example.com", "fax", "2026-03-02 10:00", "", "", ""],
        ["o10", "alice@example.com", "call", "03/25/2026 10:00", "", "", ""],
        ["o11", "alice@example.com", "call", "2026-03-02 10:00", "maybe", "", ""],
        ["o12", "alice@example.com", "", "2026-03-02 10:00", "", "", ""],
        ["o13", "alice@example.com", "ignored", "2026-03-02 10:00", "", "", ""],
        ["o14", "alice@example.com", "call", "2026-03-02 10:00", "", "x" * 201, ""],
    ]
    return plain[:10] + odd + plain[10:]


def activities() -> list[tuple]:
    from pacesetter.ledger.models import Activity

    fields = ("source", "external_id", "kind", "person_id", "occurred_at", "account_id", "segment")
    return sorted(Activity.objects.values_list(*fields))


def outcome(report):
    return (report.created, report.ignored, report.rejected, report.committed,
            [(e.row, e.column, e.value, e.reason) for e in report.errors],
            report.understanding_lines(), report.notes)  # fmt: skip


@pytest.mark.parametrize("skip_bad", [False, True])
def test_the_quick_reading_stages_what_parse_stages(small_org, tmp_path, monkeypatch, skip_bad):
    set_org_time_zone("America/New_York")
    path = write_csv(tmp_path / "a.csv", [HEADER, *rows()])
    options = {"skip_bad": skip_bad, "type_map": [("ignored", "ignore")], "batch_size": 7}
    quick_read = []
    original = ActivityParser.quick

    def counting(self):
        quick = original(self)
        assert quick is not None  # this file's rows are read quickly when they can be

        def counted(row, cells):
            staged = quick(row, cells)
            quick_read.append(staged is not None)
            return staged

        return counted

    monkeypatch.setattr(ActivityParser, "quick", counting)
    fast = importing("activities", path, **options)
    fast_rows = (activities(), rollups())
    assert sum(quick_read) == 24  # the plain rows, and none of the others
    assert rollups_match_a_rebuild()
    monkeypatch.undo()

    if fast.committed:  # the same file again, through ``parse`` alone, on an empty ledger
        from pacesetter.ledger.models import Activity, ActivityMonth

        Activity.objects.all().delete()
        ActivityMonth.objects.all().delete()
    monkeypatch.setattr(ActivityParser, "quick", lambda self: None)
    slow = importing("activities", path, **options)

    assert outcome(fast) == outcome(slow)
    assert (activities(), rollups()) == fast_rows
    if skip_bad:
        assert fast.created == 27 and fast.committed  # 24 plain; o5, o6, o10 by ``parse``


def staged(*pairs: tuple[str, int]) -> list[Staged]:
    return [Staged(row, key, ()) for key, row in pairs]


def test_keys_past_the_memory_limit_go_to_a_scratch_database():
    seen = SeenKeys(memory_limit=3)
    assert seen.duplicates(staged(("a", 2), ("b", 3))) == []
    assert seen.scratch is None
    batch = staged(("c", 4), ("d", 5), ("a", 6))
    assert [(s.row, first) for s, first in seen.duplicates(batch)] == [(6, 2)]
    assert seen.scratch is not None and seen.memory == {}  # moved: memory stays flat
    batch = staged(("e", 7), ("e", 8), ("d", 9), ("b", 10), ("f", 11))
    assert sorted((s.row, first) for s, first in seen.duplicates(batch)) == [
        (8, 7), (9, 5), (10, 3)
    ]  # fmt: skip
    batch = staged(("f", 12), ("g", 13))
    assert seen.duplicates(batch) == [(batch[0], 11)]
    seen.close()
    assert seen.scratch is None
