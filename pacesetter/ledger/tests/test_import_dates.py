"""Dates as real exports write them: US and day-first slashed dates judged by the file as a
whole, two-digit years, dotted and dashed dates, times after a comma, and ``--date-format``
adding to (not replacing) what is read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from pacesetter.ledger.importers.dates import (
    DateOrderConflict,
    Dates,
    DatesUndecided,
    judge_order,
    two_digit_year,
)
from pacesetter.ledger.importers.hints import Hints
from pacesetter.ledger.importers.parsing import CellError
from pacesetter.ledger.models import Account, Activity, Deal

from .test_import_helpers import errors_of, importing, stored, write_csv

DEALS = ["external_id", "owner", "amount", "stage", "created", "closed"]
ACTIVITIES = ["external_id", "person", "type", "occurred"]
UTC = dt.UTC


def deals_csv(tmp_path, *rows, name="deals.csv"):
    return write_csv(tmp_path / name, [DEALS, *rows])


def activities_csv(tmp_path, *rows, name="activities.csv"):
    return write_csv(tmp_path / name, [ACTIVITIES, *rows])


def days() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """external id → (created, closed) of every stored deal."""
    return {d.external_id: (d.created_on, d.closed_on) for d in Deal.objects.all()}


def moments() -> dict[str, dt.datetime]:
    return dict(Activity.objects.values_list("external_id", "occurred_at"))


# --- whole files ----------------------------------------------------------------------


def test_us_dates_are_read_month_first(small_org, tmp_path):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "100", "won", "1/13/2026", "2/3/2026"],
        ["d2", "bob@example.com", "50", "lost", "2/5/2026", "3/4/2026"],
    )
    report = importing("deals", path)

    assert report.committed and report.created == 2, report.errors
    # 1/13/2026 says month first; 2/3/2026 is then 3 February.
    assert days() == {
        "d1": (dt.date(2026, 1, 13), dt.date(2026, 2, 3)),
        "d2": (dt.date(2026, 2, 5), dt.date(2026, 3, 4)),
    }


def test_a_day_first_file_whose_first_dates_are_ambiguous_is_read_again_day_first(
    small_org, tmp_path
):
    errors, progress = [], []
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "10", "won", "2026-01-05", "2026-01-20"],
        ["d2", "Zed Zulu", "20", "won", "2026-01-06", "2026-01-21"],  # an unknown owner
        ["d3", "alice@example.com", "30", "won", "01/02/2026", "03/04/2026"],  # either order
        ["d4", "bob@example.com", "40", "won", "05/06/2026", "25/06/2026"],  # 25: day first
    )
    report = importing(
        "deals",
        path,
        skip_bad=True,
        batch_size=1,
        on_error=errors.append,
        progress=progress.append,
    )

    # The first run stopped at d3 (01/02/2026: nothing had said the order yet) and was rolled
    # back; the file said "day first" (25/06/2026) and the second run read every date so.
    assert (report.rows, report.created, report.rejected) == (4, 3, 1)
    assert days() == {
        "d1": (dt.date(2026, 1, 5), dt.date(2026, 1, 20)),
        "d3": (dt.date(2026, 2, 1), dt.date(2026, 4, 3)),
        "d4": (dt.date(2026, 6, 5), dt.date(2026, 6, 25)),
    }
    # What the first run had already reported is not reported twice.
    unknown = "unknown person: no one has this e-mail or full name"
    assert errors_of(report) == [(3, "owner", unknown)]
    assert [(e.row, e.column) for e in errors] == [(3, "owner")]
    assert sum(progress) == 4


def test_a_file_whose_dates_never_say_their_order_is_refused_naming_both_readings(
    small_org, tmp_path
):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "100", "won", "2024-01-01", "2024-01-01"],
        ["d2", "alice@example.com", "100", "won", "01/02/2024", "03/02/2024"],
        ["d3", "bob@example.com", "50", "lost", "04/05/2024", "06/07/2024"],
    )
    report = importing("deals", path)

    assert report.failed and not report.committed
    assert errors_of(report) == [
        (
            3,
            "created",
            "01/02/2024 reads as 2 January 2024 (month/day/year) or 1 February 2024 "
            "(day/month/year): the file never says which; give --date-format %m/%d/%Y or "
            "--date-format %d/%m/%Y",
        )
    ]
    assert stored()["Deal"] == []

    web = importing("deals", path, hints=Hints(web=True))
    assert web.errors[0].reason.endswith(
        'the file never says which; fill in "Date format" (e.g. %m/%d/%Y or %d/%m/%Y)'
    )


@pytest.mark.parametrize(
    ("date_format", "d2", "d3"),
    [
        ("%d/%m/%Y", (dt.date(2024, 2, 1), dt.date(2024, 2, 3)),
         (dt.date(2024, 5, 4), dt.date(2024, 7, 6))),
        ("%m/%d/%Y", (dt.date(2024, 1, 2), dt.date(2024, 3, 2)),
         (dt.date(2024, 4, 5), dt.date(2024, 6, 7))),
    ],
)  # fmt: skip
def test_the_same_file_is_read_with_a_date_format(small_org, tmp_path, date_format, d2, d3):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "100", "won", "2024-01-01", "2024-01-01"],
        ["d2", "alice@example.com", "100", "won", "01/02/2024", "03/02/2024"],
        ["d3", "bob@example.com", "50", "lost", "04/05/2024", "06/07/2024"],
    )
    report = importing("deals", path, date_formats=(date_format,))

    assert report.committed and report.created == 3, report.errors
    assert days() == {"d1": (dt.date(2024, 1, 1), dt.date(2024, 1, 1)), "d2": d2, "d3": d3}


def test_dates_resaved_by_excel_with_two_digit_years_are_read(small_org, tmp_path):
    # Excel writes a US file back as 2/3/24: the year is 2024, and 02/13/24 says month first.
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "100", "won", "02/03/24", "02/13/24"],
        ["d2", "bob@example.com", "50", "won", "12/1/25", "1/2/26"],
    )
    report = importing("deals", path)

    assert report.committed and report.created == 2, report.errors
    assert days() == {
        "d1": (dt.date(2024, 2, 3), dt.date(2024, 2, 13)),
        "d2": (dt.date(2025, 12, 1), dt.date(2026, 1, 2)),
    }


def test_a_file_in_both_orders_is_refused_as_a_whole(small_org, tmp_path):
    path = activities_csv(
        tmp_path,
        ["a1", "Alice Adams", "call", "01/02/2026"],
        ["a2", "Alice Adams", "call", "13/01/2026"],
        ["a3", "Alice Adams", "call", "14/01/2026"],
        ["a4", "Alice Adams", "call", "01/15/2026"],
        ["a5", "Alice Adams", "call", "01/16/2026"],
        ["a6", "Alice Adams", "call", "01/17/2026"],
    )
    report = importing("activities", path)

    # 2 dates can only be day first, 3 only month first: neither is 95 % of them. The error
    # is on the first date of the rarer order.
    assert report.failed and stored()["Activity"] == []
    assert errors_of(report) == [
        (
            3,
            "occurred",
            "the file's dates are in both orders: 2 can only be day/month/year (the first: "
            "13/01/2026) and 3 only month/day/year (the first: 01/15/2026); correct them, or "
            "give --date-format %m/%d/%Y or --date-format %d/%m/%Y to have the others refused "
            "one by one",
        )
    ]


def test_nearly_all_dates_decide_and_the_odd_one_is_refused_on_its_cell(small_org, tmp_path):
    rows = [["a1", "Alice Adams", "call", "01/02/2026 09:00"]]
    rows += [[f"a{n}", "Alice Adams", "call", f"3/{n}/2026 09:00"] for n in range(13, 32)]
    rows += [["a99", "Alice Adams", "call", "31/03/2026 09:00"]]
    path = activities_csv(tmp_path, *rows)

    report = importing("activities", path, skip_bad=True)

    # 19 month-first dates (3/13 … 3/31) against 1 day-first: 95 %, the file is month first.
    assert (report.rows, report.created, report.rejected) == (21, 20, 1)
    assert errors_of(report) == [
        (22, "occurred", "31/03/2026 09:00 is not a date when this file's dates are "
                         "month/day/year")
    ]  # fmt: skip
    assert moments()["a1"] == dt.datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    assert moments()["a31"] == dt.datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def test_a_date_against_the_order_an_earlier_one_said_is_refused_on_its_cell(small_org, tmp_path):
    path = activities_csv(
        tmp_path,
        ["a1", "Alice Adams", "call", "13/01/2026 09:00"],
        ["a2", "Alice Adams", "call", "02/01/2026 09:00"],
        ["a3", "Alice Adams", "call", "01/13/2026 09:00"],
    )
    report = importing("activities", path, skip_bad=True)

    assert (report.created, report.rejected) == (2, 1)
    assert errors_of(report) == [
        (4, "occurred", "01/13/2026 09:00 is not a date when this file's dates are "
                        "day/month/year (as 13/01/2026 09:00 earlier in the file says)")
    ]  # fmt: skip
    assert moments() == {
        "a1": dt.datetime(2026, 1, 13, 9, 0, tzinfo=UTC),
        "a2": dt.datetime(2026, 1, 2, 9, 0, tzinfo=UTC),
    }


def test_a_date_format_adds_to_the_preset_and_iso_is_still_read(small_org, tmp_path):
    header = ["Activity ID", "Subject", "Type", "Date", "Assigned", "Company / Account"]
    path = write_csv(
        tmp_path / "salesforce.csv",
        [
            header,
            ["00T1", "Intro", "Call", "2026-03-02", "Alice Adams", ""],
            ["00T2", "Demo", "Call", "02/03/2026", "Alice Adams", ""],
            ["00T3", "Follow-up", "Call", "31/03/2026, 2:05 PM", "Alice Adams", ""],
            ["00T4", "Wrap-up", "Call", "3/31/2026", "Alice Adams", ""],
        ],
    )
    report = importing(
        "activities", path, preset="salesforce", date_formats=("%d/%m/%Y",), skip_bad=True
    )

    # ISO first; then the format; a time after the date (Salesforce's ", 2:05 PM") is read
    # in the format's order; a month-first date is refused, naming why.
    assert (report.created, report.rejected) == (3, 1)
    assert moments() == {
        "00T1": dt.datetime(2026, 3, 2, tzinfo=UTC),
        "00T2": dt.datetime(2026, 3, 2, tzinfo=UTC),
        "00T3": dt.datetime(2026, 3, 31, 14, 5, tzinfo=UTC),
    }
    assert errors_of(report) == [
        (5, "Date", "3/31/2026 is not a date when this file's dates are day/month/year "
                    "(--date-format %d/%m/%Y)")
    ]  # fmt: skip


def test_the_salesforce_preset_reads_us_dates_and_times(small_org, tmp_path):
    header = ["Activity ID", "Subject", "Type", "Date", "Assigned", "Company / Account"]
    path = write_csv(
        tmp_path / "salesforce.csv",
        [
            header,
            ["00T1", "Intro", "Call", "3/2/2026, 2:05 PM", "Alice Adams", ""],
            ["00T2", "Demo", "Call", "3/31/2026 12:30 AM", "Alice Adams", ""],
            ["00T3", "Lunch", "Call", "4/1/2026 13:15", "Alice Adams", ""],
        ],
    )
    report = importing("activities", path, preset="salesforce")

    assert report.committed and report.created == 3, report.errors
    assert moments() == {
        "00T1": dt.datetime(2026, 3, 2, 14, 5, tzinfo=UTC),
        "00T2": dt.datetime(2026, 3, 31, 0, 30, tzinfo=UTC),
        "00T3": dt.datetime(2026, 4, 1, 13, 15, tzinfo=UTC),
    }


def test_dotted_and_dashed_dates_are_day_first_and_year_first_slashes_are_read(small_org, tmp_path):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "100", "won", "31.01.2026", "01.02.2026"],
        ["d2", "bob@example.com", "50", "won", "2026/02/03", "05-02-2026"],
    )
    report = importing("deals", path)

    assert report.committed, report.errors
    assert days() == {
        "d1": (dt.date(2026, 1, 31), dt.date(2026, 2, 1)),
        "d2": (dt.date(2026, 2, 3), dt.date(2026, 2, 5)),
    }


def test_an_accounts_later_column_decides_the_order(small_org, tmp_path):
    path = write_csv(
        tmp_path / "accounts.csv",
        [
            ["external_id", "name", "acquired", "churned"],
            ["c1", "Acme", "01/02/2026", "15/03/2026"],
            ["c2", "Globex", "03/04/2025", ""],
        ],
    )
    report = importing("accounts", path)

    assert report.committed and report.created == 2, report.errors
    assert dict(Account.objects.values_list("external_id", "acquired_on")) == {
        "c1": dt.date(2026, 2, 1),
        "c2": dt.date(2025, 4, 3),
    }
    assert Account.objects.get(external_id="c1").churned_on == dt.date(2026, 3, 15)


def test_an_uploaded_csv_and_workbook_are_read_again_from_their_start(small_org, tmp_path):
    text = (
        "external_id,owner,amount,stage,created,closed\r\n"
        "d1,alice@example.com,100,won,01/02/2026,03/04/2026\r\n"
        "d2,bob@example.com,50,won,05/06/2026,25/06/2026\r\n"
    )
    report = importing("deals", io.BytesIO(text.encode()))

    assert report.committed and report.created == 2, report.errors
    assert days()["d1"] == (dt.date(2026, 2, 1), dt.date(2026, 4, 3))

    book = Workbook()
    sheet = book.active
    sheet.append(DEALS)
    sheet.append(["d3", "alice@example.com", 100, "won", "01/02/2026", "03/04/2026"])
    sheet.append(["d4", "bob@example.com", 50, "won", "05/06/2026", "06/13/2026"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    report = importing("deals", upload)

    assert report.committed and report.created == 2, report.errors
    assert days()["d3"] == (dt.date(2026, 1, 2), dt.date(2026, 3, 4))
    assert days()["d4"] == (dt.date(2026, 5, 6), dt.date(2026, 6, 13))


# --- the parts ------------------------------------------------------------------------


def test_two_digit_years_are_2000_to_2069_and_1970_to_1999():
    assert [two_digit_year(y) for y in (0, 24, 69, 70, 99)] == [2000, 2024, 2069, 1970, 1999]


@pytest.mark.parametrize(
    ("values", "order"),
    [
        ([], None),
        (["2026-03-31", "31.03.2026", "05/05/2026"], None),  # nothing slashed says it
        (["1/2/2026", "3/4/2026"], None),
        (["1/2/2026", "13/4/2026"], True),
        (["1/2/2026", "4/13/2026 2:05 PM"], False),
        (["13/1/2026"] * 19 + ["1/13/2026"], True),  # 95 %
    ],
)
def test_judge_order(values, order):
    assert judge_order(values) is order


def test_judge_order_refuses_both_orders_below_95_percent():
    with pytest.raises(DateOrderConflict) as raised:
        judge_order(["13/1/2026"] * 18 + ["1/13/2026", "1/14/2026"])
    assert raised.value.value == "1/13/2026"
    assert str(raised.value).startswith("the file's dates are in both orders: 18 can only be")


def test_dates_wait_for_a_value_that_says_the_order():
    dates = Dates(UTC)
    with pytest.raises(DatesUndecided):
        dates.date("01/02/2026")
    assert dates.date("05/05/2026") == dt.date(2026, 5, 5)  # the same either way
    assert dates.date("2/13/2026") == dt.date(2026, 2, 13)
    assert dates.date("01/02/2026") == dt.date(2026, 1, 2)
    with pytest.raises(CellError, match="13/02/2026 is not a date when this file's dates are "
                                        r"month/day/year \(as 2/13/2026 earlier"):  # fmt: skip
        dates.date("13/02/2026")

    judged = Dates(UTC, day_first=True)
    assert judged.date("01/02/2026") == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2/30/2026", "not a date: February 2026 has no day 30"),
        ("13/13/2026", "not a date: neither of its first two numbers can be a month (1–12)"),
        ("31.13.2026", "not a date: 13 is not a month (read as day, month, year)"),
        ("3/31/2026 13:00 PM", "not a time: 13 PM (hours before AM or PM are 1 to 12)"),
        ("March 31", "not a date (expected ISO like 2026-03-31; give --date-format)"),
    ],
)
def test_what_is_not_a_date_says_why(value, reason):
    with pytest.raises(CellError) as raised:
        Dates(UTC).date(value)
    assert str(raised.value) == reason


def test_messages_name_the_option_the_way_the_web_form_does():
    with pytest.raises(CellError) as raised:
        Dates(UTC, hints=Hints(web=True)).date("March 31")
    assert str(raised.value) == 'not a date (expected ISO like 2026-03-31; fill in "Date format")'
