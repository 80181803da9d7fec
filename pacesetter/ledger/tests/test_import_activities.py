"""Activity and account imports: encodings, delimiters, XLSX, time zones, CRM presets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from pacesetter.ledger.importers.tables import ActivityTable
from pacesetter.ledger.models import Account, Activity, Deal
from pacesetter.org.models import OrgSettings, Person

from .test_import_helpers import importing, rollups, rollups_match_a_rebuild, stored, write_csv

HEADER = ["external_id", "person", "type", "occurred", "account", "segment"]
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def new_york(small_org):
    org = OrgSettings.load()
    org.time_zone = "America/New_York"
    org.save()
    return small_org


@pytest.fixture
def accented(small_org):
    """Reps whose names only survive the right encoding."""
    return [
        Person.objects.create(full_name="José Núñez", email="jose@example.com"),
        Person.objects.create(full_name="Zoë Ødegaard", email="zoe@example.com"),
    ]


def test_times_without_a_zone_are_in_the_orgs_zone_and_stored_in_utc(new_york, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["a1", "alice@example.com", "call", "2026-01-31 23:30", "", ""],
            ["a2", "alice@example.com", "demo", "2026-01-31T23:30:00Z", "", "enterprise"],
        ],
    )
    report = importing("activities", path)

    assert report.ok, report.errors
    a1, a2 = Activity.objects.order_by("external_id")
    assert a1.occurred_at == dt.datetime(2026, 2, 1, 4, 30, tzinfo=dt.UTC)
    assert a2.occurred_at == dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)
    alice = new_york.alice.pk
    # Both count for January in New York, whatever the UTC date.
    assert rollups()["activities"] == [
        (alice, dt.date(2026, 1, 1), "call", "", 1),
        (alice, dt.date(2026, 1, 1), "demo", "enterprise", 1),
    ]
    assert rollups_match_a_rebuild()


def test_a_date_format_reads_day_first_dates(small_org, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, ["a1", "Bob Brown", "E-mail", "31/01/2026 08:15", "", ""]]
    )
    importing("activities", path, date_formats=("%d/%m/%Y %H:%M",))

    activity = Activity.objects.get()
    assert (activity.kind, activity.occurred_at) == (
        "email",
        dt.datetime(2026, 1, 31, 8, 15, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252", "latin-1"])
def test_non_ascii_names_are_read_in_any_common_encoding(accented, tmp_path, encoding):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["a1", "José Núñez", "call", "2026-03-02 10:00", "", ""],
            ["a2", "Zoë Ødegaard", "meeting", "2026-03-02 11:00", "", ""],
        ],
        encoding=encoding,
    )

    report = importing("activities", path)

    assert report.ok, report.errors
    people = Activity.objects.order_by("external_id").values_list("person__full_name", flat=True)
    assert list(people) == ["José Núñez", "Zoë Ødegaard"]


def test_a_chinese_excel_csv_in_gb18030_is_detected(small_org, tmp_path):
    Person.objects.create(full_name="王芳", email="wang@example.com")
    path = write_csv(
        tmp_path / "a.csv",
        [HEADER, ["a1", "王芳", "演示", "2026-03-02 10:00", "", ""]],
        encoding="gb18030",
    )
    report = importing("activities", path, type_map={"演示": "demo"})

    assert report.ok, report.errors
    assert Activity.objects.get().kind == "demo"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_delimited_files_are_detected(small_org, tmp_path, delimiter):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["a1", "Alice Adams", "call", "2026-03-02 10:00", "Acme; Inc", "smb"],
        ],
        delimiter=delimiter,
    )

    report = importing("activities", path)

    assert report.ok, report.errors
    assert Activity.objects.get().segment == "smb"


def test_a_european_semicolon_file_with_decimal_commas(small_org, tmp_path):
    header = ["external_id", "owner", "amount", "stage", "created", "closed"]
    path = write_csv(
        tmp_path / "d.csv",
        [header, ["d1", "Alice Adams", "1.234,50", "won", "02.03.2026", "20.03.2026"]],
        delimiter=";",
    )
    report = importing("deals", path, decimal_comma=True, date_formats=("%d.%m.%Y",))

    assert report.ok, report.errors
    deal = Deal.objects.get()
    assert (deal.amount, deal.created_on) == (Decimal("1234.50"), dt.date(2026, 3, 2))


def test_an_xlsx_sheet_imports_like_a_csv(new_york, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([1001, "Bob Brown", "Demo", dt.datetime(2026, 3, 2, 14, 0), None, "SMB"])  # noqa: DTZ001 Excel has no zones
    sheet.append([])  # a blank row is skipped
    sheet.append([1002.0, "bob@example.com", "call", dt.date(2026, 3, 3), None, None])
    book.save(tmp_path / "a.xlsx")

    report = importing("activities", tmp_path / "a.xlsx")

    assert report.ok and report.created == 2, report.errors
    a, b = Activity.objects.order_by("external_id")
    assert (a.external_id, a.kind, a.segment, a.source) == ("1001", "demo", "smb", "csv")
    assert a.occurred_at == dt.datetime(2026, 3, 2, 14, tzinfo=NEW_YORK)
    assert (b.external_id, b.occurred_at) == ("1002", dt.datetime(2026, 3, 3, tzinfo=NEW_YORK))


def test_an_xlsx_error_names_the_sheet_row(small_org, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["a1", "Bob Brown", "call", "2026-03-02", None, None])
    sheet.append(["a2", "Bob Brown", "call", "yesterday", None, None])
    book.save(tmp_path / "a.xlsx")

    report = importing("activities", tmp_path / "a.xlsx")

    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "occurred", "yesterday")]
    assert not Activity.objects.exists()


def test_a_sheet_whose_header_is_lower_down_keeps_the_sheets_row_numbers(small_org, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = HEADER[:4]
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"] = "a1", "Bob Brown", "call", "soon"
    book.save(tmp_path / "a.xlsx")

    report = importing("activities", tmp_path / "a.xlsx")

    assert [(e.row, e.column) for e in report.errors] == [(4, "occurred")]


def test_types_can_be_mapped_or_ignored(small_org, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["a1", "Alice Adams", "Discovery Call", "2026-03-02", "", ""],
            ["a2", "Alice Adams", "NOTE", "2026-03-02", "", ""],
            ["a3", "Alice Adams", "TASK", "2026-03-02", "", ""],
        ],
    )
    unmapped = importing("activities", path)
    # An unknown type is refused; a note or a to-do is no call, e-mail or meeting: it is
    # left out, and the report says how to count such rows.
    assert [(e.row, e.column) for e in unmapped.errors] == [(2, "type")]
    assert unmapped.understood.warnings == {
        "done activities of type 'NOTE' are not a call, e-mail or meeting: not counted "
        "(give --type-map 'NOTE=call' to count them)": 1,
        "done activities of type 'TASK' are not a call, e-mail or meeting: not counted "
        "(give --type-map 'TASK=call' to count them)": 1,
    }

    report = importing(
        "activities", path, type_map={"discovery call": "call", "note": "ignore", "task": "ignore"}
    )

    assert (report.created, report.ignored) == (1, 2)
    assert Activity.objects.get().kind == "call"


@pytest.mark.parametrize(
    ("preset", "header", "row"),
    [
        (
            "hubspot",
            [
                "Record ID",
                "Activity type",
                "Activity date",
                "Activity assigned to",
                "Associated Company",
            ],
            ["51", "MEETING", "2026-03-20 10:00", "Alice Adams", "Acme"],
        ),
        (
            "salesforce",
            ["Activity ID", "Subject", "Type", "Date", "Assigned", "Company / Account"],
            ["00T5g000001", "Intro", "Meeting", "3/20/2026", "Alice Adams", "Acme"],
        ),
        (
            "pipedrive",
            [
                "Activity - ID",
                "Activity - Subject",
                "Activity - Type",
                "Activity - Due date",
                "Activity - Marked as done time",
                "Activity - Assigned to user",
                "Activity - Organization",
            ],
            ["77", "Intro", "Meeting", "2026-03-19", "2026-03-20 10:00:00", "Alice Adams", "Acme"],
        ),
    ],
)
def test_a_crm_activity_export_imports_with_its_preset(small_org, tmp_path, preset, header, row):
    Account.objects.create(source=preset, external_id="acc-1", name="Acme", segment="enterprise")
    report = importing("activities", write_csv(tmp_path / "a.csv", [header, row]), preset=preset)

    assert report.ok, report.errors
    activity = Activity.objects.select_related("account").get()
    assert (activity.source, activity.kind, activity.person) == (preset, "meeting", small_org.alice)
    assert (activity.account.name, activity.segment) == ("Acme", "enterprise")
    # 3/20/2026 says its order; a file of only ambiguous dates (3/2/2026) would be refused
    # (test_import_dates.py).
    assert activity.occurred_at.date() == dt.date(2026, 3, 20)


def test_reimporting_activities_changes_nothing_and_keeps_the_rollups(small_org, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            *[
                [f"a{n}", "Alice Adams", "call", f"2026-03-{n:02d} 10:00", "", ""]
                for n in range(1, 21)
            ],
        ],
    )
    importing("activities", path, batch_size=7)
    before = stored()

    again = importing("activities", path, batch_size=7)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)
    assert stored() == before
    assert rollups()["activities"] == [(small_org.alice.pk, dt.date(2026, 3, 1), "call", "", 20)]


def test_a_row_the_database_refuses_names_its_batch_and_nothing_is_kept(
    small_org, tmp_path, monkeypatch
):
    """On PostgreSQL a batch's new rows are still being written while the next batch is
    read: the database's refusal, raised then, still names that batch's rows."""
    rows = [
        [f"a{n}", "Alice Adams", "call", f"2026-03-{n:02d} 10:00", "", ""] for n in range(1, 16)
    ]
    before = stored()
    insert_row = ActivityTable.insert_row

    def without_kind(self, staged):  # a NULL the NOT NULL column refuses
        row = insert_row(self, staged)
        return (*row[:2], None, *row[3:]) if staged.key == "a7" else row

    monkeypatch.setattr(ActivityTable, "insert_row", without_kind)

    report = importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]), batch_size=5)

    assert report.failed and not report.committed
    assert "rows 7–11" in report.errors[0].reason  # a6 to a10, below the header
    assert stored() == before


def test_rows_being_written_when_the_date_order_turns_out_undecided_are_undone(small_org, tmp_path):
    """Row 12's 03/02/2026 is the first slashed date, after two batches went to the
    database; the file is judged (25/02/2026: day first) and imported again, once."""
    rows = [[f"a{n}", "Bob Brown", "call", f"2026-03-{n:02d} 10:00", "", ""] for n in range(1, 11)]
    rows += [["a11", "Bob Brown", "call", "03/02/2026", "", ""],
             ["a12", "Bob Brown", "call", "25/02/2026", "", ""]]  # fmt: skip

    report = importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]), batch_size=5)

    assert report.committed and (report.created, report.updated) == (12, 0)
    assert Activity.objects.get(external_id="a11").occurred_at.date() == dt.date(2026, 2, 3)
    assert rollups_match_a_rebuild()


def test_moving_activities_to_another_rep_and_month_moves_the_rollups(small_org, tmp_path):
    rows = [[f"a{n}", "Alice Adams", "demo", f"2026-03-{n:02d}", "", ""] for n in range(1, 6)]
    importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]))
    rows[0][1], rows[1][3], rows[2][2] = "Bob Brown", "2026-04-01", "call"

    report = importing("activities", write_csv(tmp_path / "b.csv", [HEADER, *rows]))

    assert (report.updated, report.unchanged) == (3, 2)
    assert rollups_match_a_rebuild()


def test_touches_of_customers_follow_activities_between_accounts_and_months(small_org, tmp_path):
    """Coverage (G4) reads each customer's monthly touches from a rollup the import keeps."""
    importing("accounts", write_csv(tmp_path / "accounts.csv", [
        ["external_id", "name", "segment", "acquired", "churned", "owner"],
        ["c1", "Acme", "smb", "2026-01-10", "", "Alice Adams"],
        ["c2", "Globex", "smb", "2026-01-10", "", "Alice Adams"],
    ]))  # fmt: skip
    rows = [
        ["a1", "Alice Adams", "call", "2026-03-02 10:00", "c1", ""],
        ["a2", "Alice Adams", "email", "2026-03-03 10:00", "c1", ""],
        ["a3", "Alice Adams", "article", "2026-03-04 10:00", "c1", ""],  # shared, not a touch
    ]
    importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]))
    acme, globex = Account.objects.order_by("name")
    assert rollups()["touches"] == [(acme.pk, dt.date(2026, 3, 1), 2)]

    rows[0][4] = "c2"  # the call was with Globex
    rows[1][3] = "2026-04-01 09:00"  # the e-mail went out in April
    report = importing("activities", write_csv(tmp_path / "b.csv", [HEADER, *rows]))

    assert (report.updated, report.unchanged) == (2, 1)
    assert rollups()["touches"] == [
        (acme.pk, dt.date(2026, 4, 1), 1),
        (globex.pk, dt.date(2026, 3, 1), 1),
    ]  # Acme's March has no touch left, and no row
    assert rollups_match_a_rebuild()


def test_accounts_import_with_their_customer_dates(small_org, tmp_path):
    path = write_csv(
        tmp_path / "accounts.csv",
        [
            ["external_id", "name", "segment", "acquired", "churned", "owner"],
            ["c1", "Acme", "Enterprise", "2025-05-01", "", "Alice Adams"],
            ["c2", "Globex", "Mid-market", "2025-01-10", "2026-02-01", ""],
            ["c3", "Initech", "smb", "", "2026-02-01", ""],
        ],
    )
    report = importing("accounts", path, skip_bad=True)

    assert report.created == 2
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (4, "churned", "a churned customer needs an acquired date")
    ]
    acme, globex = Account.objects.order_by("name")
    assert (acme.segment, acme.owner, acme.acquired_on) == (
        "enterprise",
        small_org.alice,
        dt.date(2025, 5, 1),
    )
    assert (globex.segment, globex.churned_on) == ("mid_market", dt.date(2026, 2, 1))


def test_a_large_import_refreshes_the_planners_statistics_once_committed(
    small_org, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """After a large import (50,000 rows here lowered to 2) the table is analysed once the
    import commits, so the next import's key lookups are planned with what is there now;
    a small import leaves the statistics alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pacesetter.ledger.importers import engine

    monkeypatch.setattr(engine, "ANALYZE_AFTER_ROWS", 2)

    def analyses(name: str, rows: list[list[str]]) -> list[str]:
        """Import ``rows`` and commit: the ANALYZE statements sent."""
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert importing("activities", write_csv(tmp_path / name, [HEADER, *rows])).ok
        return [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]

    rows = [["a1", "alice@example.com", "call", "2026-01-05 10:00", "", ""],
            ["a2", "alice@example.com", "demo", "2026-01-06 10:00", "", ""]]  # fmt: skip
    assert analyses("a.csv", rows) == [f"ANALYZE {connection.ops.quote_name('ledger_activity')}"]

    # On SQLite (where ANALYZE holds the write lock for seconds on 10 M rows), only when the
    # statistics are missing or the import at least doubled the table; PostgreSQL each time.
    more = [["a3", "alice@example.com", "call", "2026-01-07 10:00", "", ""],
            ["a4", "alice@example.com", "demo", "2026-01-08 10:00", "", ""]]  # fmt: skip
    again = analyses("c.csv", more)
    assert len(again) == (0 if connection.vendor == "sqlite" else 1)  # 2 rows counted, 2 more
    grown = [[f"g{i}", "alice@example.com", "call", "2026-01-09 10:00", "", ""] for i in range(5)]
    assert len(analyses("d.csv", grown)) == 1  # 4 rows counted, 5 new

    assert not analyses("b.csv", [rows[0]])  # a small import leaves them alone
