"""No export runs a formula: every CSV and XLSX Pacesetter writes turns text starting with
= + - @, a tab or a carriage return into text (a leading apostrophe, or the XLSX "quote
prefix"), and keeps numbers numbers, negative ones included.

The paths: the commands' CSV (``tabular.render``), the rewards spreadsheet, the sales-plan
workbook, an import's error report and the weekly numbers template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pacesetter import tabular
from pacesetter.ledger.importers.report import ErrorsCsv, RowError
from pacesetter.ledger.importers.template import weekly_template_bytes
from pacesetter.org.models import Membership, Person
from pacesetter.planning import parse_period
from pacesetter.planning.calendar import WorkCalendar
from pacesetter.rewards.spreadsheet import write_workbook

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def xlsx_text(text: str) -> str:
    """``text`` as read back from an XLSX file: XML reads a carriage return as a newline."""
    return text.replace("\r", "\n")


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_the_commands_csv_writes_hostile_text_as_text(text):
    rows = [{"name": text, "amount": Decimal("-13150000.00"), "count": -3, "ratio": -0.5}]
    out = tabular.render(rows, "csv", columns=[text, "name", "amount", "count", "ratio"])
    header, row = csv_rows(out)
    assert header[0] == "'" + text
    assert row[1] == "'" + text
    assert row[2:] == ["-13150000.00", "-3", "-0.5"]  # numbers stay numbers


def test_the_commands_csv_keeps_plain_negative_numbers_given_as_text():
    rows = [{"a": "-12.50", "b": "+3", "c": "-", "d": "Alice", "e": None, "f": dt.date(2027, 1, 4)}]
    [_header, row] = csv_rows(tabular.render(rows, "csv"))
    assert row == ["-12.50", "+3", "'-", "Alice", "", "2027-01-04"]


def test_the_commands_table_and_json_show_text_as_it_is():
    rows = [{"rank": "=1", "rep": "+cmd"}]
    assert "=1" in tabular.render(rows, "table") and "'=1" not in tabular.render(rows, "table")
    assert '"rank": "=1"' in tabular.render(rows, "json")


@pytest.mark.parametrize("text", HOSTILE)
def test_the_rewards_spreadsheet_writes_hostile_text_as_text(tmp_path, text):
    path = tmp_path / "payout.xlsx"
    rows = [{"person": text, "amount": Decimal("-250.00")}]
    write_workbook(path, {"Payout": (["person", "amount"], rows)})
    sheet = load_workbook(path)["Payout"]
    name, amount = sheet[2]
    assert (name.value, name.data_type) == (xlsx_text("'" + text), "s")
    assert (amount.value, amount.data_type) == (-250, "n")


@pytest.mark.parametrize("text", HOSTILE)
def test_the_import_error_report_writes_hostile_text_as_text(text):
    out = io.StringIO()
    report = ErrorsCsv(out)
    report(RowError(row=2, column=text, value=text, reason="not a number"))
    _header, row = csv_rows(out.getvalue())
    assert row == ["2", "'" + text, "'" + text, "not a number"]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_weekly_template_writes_hostile_names_as_text(small_org, text):
    sly = Person.objects.create(full_name=text + " Sly", email="sly@example.com")
    Membership.objects.create(person=sly, unit=small_org.alpha, valid_from=dt.date(2026, 1, 1))
    data = weekly_template_bytes(small_org.alpha, parse_period("2026-W48", WorkCalendar()))
    sheet = load_workbook(data)["Weekly numbers"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2) if row[1].value == sly.email]
    assert cells
    for cell in cells:  # the name as it is, typed as text ("quote prefix")
        assert (cell.value, cell.data_type, cell.quotePrefix) == (
            xlsx_text(text + " Sly"),
            "s",
            True,
        )


@pytest.mark.parametrize("text", HOSTILE)
def test_the_plan_workbook_writes_hostile_names_as_text(small_org, text):
    from pacesetter.workbook import plan_workbook_bytes
    from pacesetter.workbook.tests.test_workbook import AS_OF, make_plan

    small_org.bob.full_name = text
    small_org.bob.save()
    data = plan_workbook_bytes(make_plan(), incentives=[], today=AS_OF)
    book = load_workbook(io.BytesIO(data))
    alpha = book["Team Alpha"]
    [bob] = [alpha.cell(row, 2) for row in range(6, 8) if alpha.cell(row, 2).value != "Alice Adams"]
    assert (bob.value, bob.data_type) == (xlsx_text("'" + text), "s")
    formulas = [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r
                if c.data_type == "f"]  # fmt: skip
    assert formulas == []


@pytest.mark.parametrize("text", HOSTILE)
def test_the_pages_exports_write_hostile_text_as_text(text):
    """The team grid, scorecards, leaderboards and plan vs actual (``web/exports.py``)."""
    from pacesetter.web.exports import Column, Export, csv_bytes, xlsx_bytes

    export = Export("x", text, [Column(text), Column("amount", "money")], [[text, Decimal("-250")]])
    header, row = csv_rows(csv_bytes(export).decode("utf-8-sig"))
    assert (header[0], row) == ("'" + text, ["'" + text, "-250"])
    sheet = load_workbook(io.BytesIO(xlsx_bytes(export))).worksheets[0]
    head, (name, amount) = sheet["A1"], sheet[2]
    assert (head.value, head.data_type) == (xlsx_text("'" + text), "s")
    assert (name.value, name.data_type) == (xlsx_text("'" + text), "s")
    assert (amount.value, amount.data_type, amount.number_format) == (-250, "n", "#,##0.00")
