"""Weekly numbers "the old way": download the template, fill it in, upload it, upload again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pacesetter.ledger.importers import parse_week, weekly_template, weekly_template_bytes
from pacesetter.ledger.models import ManualEntry
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings, Person

from .test_import_helpers import importing, write_csv

WEEK_48_MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def referrals(small_org):
    """A second manual-entry metric next to the built-in pd_events."""
    return Metric.objects.create(
        name="referrals", label="Referrals given", source="entries", aggregation="sum", unit="count"
    )


def fill(path, values: dict[tuple[str, str], object], out) -> None:
    """Type ``values`` into the template's Value cells, by (e-mail, metric)."""
    book = load_workbook(path)
    sheet = book["Weekly numbers"]
    for row in sheet.iter_rows(min_row=2):
        key = (row[1].value, row[2].value)
        if key in values:
            row[6].value = values[key]
    book.save(out)


def test_the_template_lists_the_teams_people_and_the_manual_metrics(small_org, referrals):
    sheet = weekly_template(small_org.alpha, parse_week("2026-W48"))["Weekly numbers"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]

    assert rows[0] == ("Person", "E-mail", "Metric", "Metric name", "Week", "Days", "Value", "Note")
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("Alice Adams", "pd_events"),
        ("Alice Adams", "referrals"),
        ("Bob Brown", "pd_events"),
        ("Bob Brown", "referrals"),
        ("Mia Manager", "pd_events"),
        ("Mia Manager", "referrals"),
    ]
    assert {(r[4], r[5]) for r in rows[1:]} == {(WEEK_48_MONDAY, "Mon 23 Nov – Sun 29 Nov")}
    # Only the values and notes can be edited, and values must be numbers of 0 or more.
    assert sheet.protection.sheet
    assert all(sheet[f"{c}2"].protection.locked for c in "ABCDEF")
    assert not sheet["G2"].protection.locked and not sheet["H2"].protection.locked
    (rule,) = sheet.data_validations.dataValidation
    assert (rule.type, rule.operator, rule.formula1, str(rule.sqref)) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
        "G2:G7",
    )


def test_the_template_round_trip_creates_then_updates_manual_entries(small_org, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(weekly_template_bytes(small_org.alpha, parse_week("2026-11-25")).read())
    fill(
        template,
        {("alice@example.com", "pd_events"): 2, ("bob@example.com", "pd_events"): 1.5},
        tmp_path / "filled.xlsx",
    )

    first = importing("entries", tmp_path / "filled.xlsx")

    assert (first.created, first.ignored, first.source) == (2, 1, "sheet"), first.errors
    entries = ManualEntry.objects.order_by("person__full_name")
    assert [(e.person, e.metric, e.first_day, e.value, e.source) for e in entries] == [
        (small_org.alice, "pd_events", WEEK_48_MONDAY, Decimal("2.00"), "sheet"),
        (small_org.bob, "pd_events", WEEK_48_MONDAY, Decimal("1.50"), "sheet"),
    ]

    fill(tmp_path / "filled.xlsx", {("alice@example.com", "pd_events"): 3}, tmp_path / "v2.xlsx")
    second = importing("entries", tmp_path / "v2.xlsx")

    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert ManualEntry.objects.get(person=small_org.alice).value == Decimal("3.00")
    assert ManualEntry.objects.count() == 2
    # The next download shows what was entered.
    sheet = weekly_template(small_org.alpha, parse_week("2026-W48"))["Weekly numbers"]
    assert sheet["G2"].value == Decimal("3.00")


def test_a_formula_typed_in_a_value_cell_is_refused_not_evaluated(small_org, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(weekly_template_bytes(small_org.alpha, parse_week("2026-W48")).read())
    fill(template, {("alice@example.com", "pd_events"): "=1+1"}, tmp_path / "filled.xlsx")

    report = importing("entries", tmp_path / "filled.xlsx")

    assert [(e.row, e.column, e.value) for e in report.errors] == [(2, "Value", "=1+1")]
    assert not ManualEntry.objects.exists()


def test_text_that_a_spreadsheet_would_run_is_neutralised_in_the_template(small_org, tmp_path):
    sly = Person.objects.create(full_name='=HYPERLINK("http://x","y")', email="sly@example.com")
    Membership.objects.create(person=sly, unit=small_org.alpha, valid_from=dt.date(2026, 1, 1))
    path = tmp_path / "t.xlsx"
    path.write_bytes(weekly_template_bytes(small_org.alpha, parse_week("2026-W48")).read())

    sheet = load_workbook(path)["Weekly numbers"]
    (cell,) = [row[0] for row in sheet.iter_rows(min_row=2) if row[1].value == sly.email]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (sly.full_name, "s", True)


def test_weeks_start_on_the_orgs_first_day_of_the_week(small_org, tmp_path):
    org = OrgSettings.load()
    org.week_start = 6  # Sunday
    org.save()
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["person", "metric", "week", "value"],
            ["Alice Adams", "pd_events", "2026-11-25", "1"],  # a Wednesday
            ["Bob Brown", "pd_events", "2026-W47", "2"],  # weeks are numbered by that start too
        ],
    )

    importing("entries", path)

    weeks = set(ManualEntry.objects.values_list("first_day", flat=True))
    assert weeks == {dt.date(2026, 11, 22)}  # the Sunday before


def test_an_entry_typed_on_the_web_is_updated_by_the_sheet_not_duplicated(small_org, tmp_path):
    ManualEntry.objects.create(
        source="web",
        external_id="w1",
        person=small_org.alice,
        metric="pd_events",
        first_day=WEEK_48_MONDAY,
        value=1,
    )
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["email", "metric", "week", "value"],
            ["alice@example.com", "pd_events", "2026-11-27", "4"],
        ],
    )
    report = importing("entries", path)

    assert report.updated == 1
    assert ManualEntry.objects.get().value == Decimal("4.00")


def test_entries_of_an_unknown_metric_or_a_negative_value_are_refused(small_org, tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["person", "metric", "week", "value"],
            ["Alice Adams", "calls_made", "2026-W48", "1"],
            ["Alice Adams", "pd_events", "2026-W48", "-1"],
        ],
    )
    report = importing("entries", path)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "metric", "not a manual-entry metric (known: pd_events)"),
        (3, "value", "a negative amount is refused"),
    ]


def test_the_template_command_writes_a_workbook(small_org, tmp_path, capsys):
    out = tmp_path / "alpha.xlsx"
    call_command(
        "template", "weekly", "--team", "Team Alpha", "--week", "2026-W48", "--out", str(out)
    )

    assert "Team Alpha, week 2026-W48 (2026-11-23), 3 people × 1 metrics" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["Weekly numbers", "How to fill"]


# --- a week that straddles two months ------------------------------------------------------

WEEK_49 = "2026-W49"  # Monday 30 November to Sunday 6 December 2026


def test_a_week_across_two_months_has_a_row_for_each_months_part(small_org):
    sheet = weekly_template(small_org.alpha, parse_week(WEEK_49))["Weekly numbers"]
    alice = [(r[4].value, r[5].value) for r in sheet.iter_rows(min_row=2)
             if r[1].value == "alice@example.com"]  # fmt: skip

    assert alice == [
        (dt.date(2026, 11, 30), "Mon 30 Nov"),
        (dt.date(2026, 12, 1), "Tue 1 Dec – Sun 6 Dec"),
    ]


def test_each_part_of_a_straddling_week_counts_in_its_own_month(small_org, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(weekly_template_bytes(small_org.alpha, parse_week(WEEK_49)).read())
    book = load_workbook(template)
    sheet = book["Weekly numbers"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "alice@example.com":
            row[6].value = 1 if row[4].value.day == 30 else 2  # 1 on 30 Nov, 2 in December
    book.save(tmp_path / "filled.xlsx")

    report = importing("entries", tmp_path / "filled.xlsx")

    assert report.created == 2, report.errors
    stored = ManualEntry.objects.order_by("first_day").values_list("first_day", "value")
    assert list(stored) == [
        (dt.date(2026, 11, 30), Decimal("1.00")),
        (dt.date(2026, 12, 1), Decimal("2.00")),
    ]
    assert any("straddles two months" in note for note in report.notes)
    assert importing("entries", tmp_path / "filled.xlsx").unchanged == 2  # again: no change


def test_a_week_label_that_spans_two_months_is_refused_with_the_parts_to_use(small_org, tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [["person", "metric", "week", "value"], ["Alice Adams", "pd_events", WEEK_49, "3"]],
    )

    report = importing("entries", path)

    (error,) = report.errors
    assert (error.row, error.column, error.value) == (2, "week", WEEK_49)
    assert "2026-11-30 or 2026-12-01" in error.reason
    assert not ManualEntry.objects.exists()


def test_a_date_names_the_part_of_its_week_in_its_own_month(small_org, tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["person", "metric", "week", "value"],
            ["Alice Adams", "pd_events", "2026-12-04", "1"],  # Friday: the December part
            ["Bob Brown", "pd_events", "2026-11-30", "1"],  # Monday: the November part
        ],
    )

    importing("entries", path)

    parts = dict(ManualEntry.objects.values_list("person__full_name", "first_day"))
    assert parts == {"Alice Adams": dt.date(2026, 12, 1), "Bob Brown": dt.date(2026, 11, 30)}


def test_the_template_command_says_when_the_week_straddles_two_months(small_org, tmp_path, capsys):
    out = tmp_path / "alpha.xlsx"
    call_command("template", "weekly", "--team", "Team Alpha", "--week", WEEK_49, "--out", str(out))

    printed = capsys.readouterr().out
    assert "The week straddles two months" in printed and "before 2026-12-01" in printed
    assert load_workbook(out)["Weekly numbers"].max_row == 1 + 3 * 2  # 3 people × 2 parts
