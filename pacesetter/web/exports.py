"""The pages' tables as CSV and XLSX files: the team grid, a scorecard, the leaderboards and
plan against actual.

Each export is built from the same builder the page uses (``team_page``, ``scorecards``,
the competition boards, ``org_page``), so it holds what the page shows and nothing more.
An ``Export`` is a header and rows of plain values; ``csv_bytes`` and ``xlsx_bytes`` write
it. Numbers stay numbers (money with a money format in XLSX), and text that a spreadsheet
would run as a formula is written as text (``tabular.formula_safe``): names and notes come
from imports and people.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell as XlsxCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pacesetter import planning
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Unit
from pacesetter.presentation import status_label
from pacesetter.tabular import csv_line, formula_safe
from pacesetter.tracking.scorecard import Scorecard
from pacesetter.web.labels import SCORE_STATE_LABELS, label_of, metric_label
from pacesetter.web.org_page import OrgPage
from pacesetter.web.team_page import TeamPage

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from pacesetter.web.views.competitions import Board

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# XLSX number formats by kind of number.
NUMBER_FORMATS = {
    "money": "#,##0.00",
    Metric.Unit.MONEY: "#,##0.00",
    "percent": "0.0",
    Metric.Unit.PERCENT: "0.0",
    "number": "General",
    Metric.Unit.COUNT: "General",
    Metric.Unit.DAYS: "General",
    "date": "yyyy-mm-dd",
}
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")

Value = str | int | Decimal | dt.date | None


@dataclass(frozen=True)
class Amount:
    """A number whose format is its own (a metric's unit), not its column's."""

    value: Decimal | int | None
    kind: str = "number"


Cell = Value | Amount


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, number, money, percent, date: the XLSX format of its numbers
    width: int = 14


@dataclass
class Export:
    name: str  # the file's name without extension: what and when (team-west-2026-12)
    sheet: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)

    def file_name(self, fmt: str) -> str:
        return f"{self.name}.{fmt}"


def _plain(cell: Cell) -> Value:
    return cell.value if isinstance(cell, Amount) else cell


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))  # 30, not 30.00 (a count's target is stored with cents)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(formula_safe(str(value)))


def csv_bytes(export: Export) -> bytes:
    """The export as CSV, UTF-8 with a byte-order mark (so Excel reads Chinese names right)."""
    lines = [csv_line([formula_safe(c.header) for c in export.columns])]
    lines += [csv_line([_csv_cell(_plain(c)) for c in row]) for row in export.rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _xlsx_cell(sheet: WriteOnlyWorksheet, cell: Cell, column: Column) -> XlsxCell:
    kind = cell.kind if isinstance(cell, Amount) else column.kind
    value = _plain(cell)
    if isinstance(value, str):
        out = WriteOnlyCell(sheet, str(formula_safe(value)))
        out.data_type = "s"  # text, always: never a formula
        return out
    out = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # (numbers, dates: as they are)
    if value is not None:
        out.number_format = NUMBER_FORMATS.get(kind, "General")
    return out


def xlsx_bytes(export: Export) -> bytes:
    """The export as a one-sheet workbook (written streaming): a bold, frozen header row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET_UNSAFE.sub(" ", export.sheet)[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    for i, column in enumerate(export.columns):
        letter = _column_letter(i + 1)
        sheet.column_dimensions[letter].width = column.width
    header = []
    for column in export.columns:
        cell = WriteOnlyCell(sheet, str(formula_safe(column.header)))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in export.rows:
        sheet.append(
            [_xlsx_cell(sheet, c, col) for c, col in zip(row, export.columns, strict=True)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def file_slug(text: str, fallback: str) -> str:
    """A name for a file: ``Team West`` → ``team-west``; a name with no Latin letter (团队)
    falls back to ``fallback`` (``unit-7``)."""
    return slugify(text)[:40].strip("-") or fallback


def unit_slug(unit: Unit) -> str:
    return file_slug(unit.name, f"unit-{unit.pk}")


# --- the team grid -----------------------------------------------------------------------------


def grid_export(page: TeamPage) -> Export:
    """The reps × goals grid: per goal column its actual, target, attainment and status."""
    columns = [Column(_("Rep"), width=24), Column(_("Needs attention"), width=16)]
    for i, col in enumerate(page.columns):
        cards = (r.cells[i] for r in page.rows)
        unit = next((c.progress.metric.unit for c in cards if c is not None), "number")
        name = f"{col.label} ({col.period})"
        columns += [
            Column(_("%(goal)s: actual") % {"goal": name}, unit),
            Column(_("%(goal)s: target") % {"goal": name}, unit),
            Column(_("%(goal)s: attainment (%%)") % {"goal": name}, "percent"),
            Column(_("%(goal)s: status") % {"goal": name}),
        ]
    export = Export(f"team-{unit_slug(page.unit)}-{page.today:%Y-%m}", page.unit.name, columns)
    for row in page.rows:
        cells: list[Cell] = [row.person.full_name, status_label(row.worst) if row.needs else ""]
        for card in row.cells:
            if card is None:
                cells += [None, None, None, ""]
                continue
            p = card.progress
            cells += [p.actual, p.target, p.attainment, card.status_label]
        export.rows.append(cells)
    return export


# --- a scorecard -------------------------------------------------------------------------------


def scorecard_export(card: Scorecard) -> Export:
    """Every line of the scorecard's month and weeks, with the score they add up to."""
    columns = [
        Column(_("Period"), width=12),
        Column(_("Priority"), "number", 9),
        Column(_("Goal"), width=28),
        Column(_("Actual"), "number"),
        Column(_("Target"), "number"),
        Column(_("Attainment (%)"), "percent"),
        Column(_("Weight (%)"), "percent"),
        Column(_("Points"), "percent"),
        Column(_("Result"), width=10),
    ]
    person = card.person
    name = f"scorecard-{file_slug(person.full_name, f'person-{person.pk}')}-{card.period.label}"
    export = Export(name, person.full_name, columns)
    for section in card.sections:
        for row in section.rows:
            p = row.progress
            unit = p.metric.unit if p else "number"
            export.rows.append(
                [
                    section.label,
                    row.line.priority,
                    metric_label(p.metric) if p else str(row.line.label),
                    Amount(p.actual if p else None, unit),
                    Amount(p.target if p else None, unit),
                    row.line.attainment,
                    row.scored.weight_percent if row.line.counts else None,
                    row.scored.points_percent if row.line.counts else None,
                    label_of(SCORE_STATE_LABELS, row.state),
                ]
            )
    export.rows.append(
        [card.period.label, None, _("Weighted score"), None, None, None, None, card.score, ""]
    )
    return export


# --- the leaderboards --------------------------------------------------------------------------


def leaderboard_export(
    unit: Unit,
    boards: Sequence[Board],
    metrics: dict[str, Metric],
    *,
    when: str,
) -> Export:
    """The competitions' standings, one row per rep and board, in the page's order."""
    columns = [
        Column(_("Competition"), width=22),
        Column(_("Period"), width=12),
        Column(_("Group"), width=16),
        Column(_("Rank"), "number", 7),
        Column(_("Tied"), width=7),
        Column(_("Rep"), width=24),
        Column(_("Value"), "number"),
        Column(_("Target"), "number"),
        # xgettext:no-python-format
        Column(_("% of own goal"), "percent"),
        Column(_("Note"), width=16),
    ]
    export = Export(f"leaderboard-{unit_slug(unit)}-{when}", unit.name, columns)
    for board in boards:
        kind = metrics[board.goal.metric].unit
        for cohort, rows in board.cohorts:
            for row in rows:
                s = row.standing
                export.rows.append(
                    [
                        board.label,
                        board.period,
                        cohort,
                        s.rank,
                        _("yes") if s.tied else "",
                        s.person.full_name,
                        Amount(s.value, kind),
                        Amount(s.target, kind),
                        s.percent,
                        row.note,
                    ]
                )
    return export


# --- plan against actual -----------------------------------------------------------------------


def plan_actual_export(page: OrgPage, root: Unit | None) -> Export:
    """The org tree, a plan and an actual column per month of the fiscal year, and totals."""
    kind = page.metric.unit if page.metric else "money"
    columns = [Column(_("Unit"), width=28), Column(_("Level"), "number", 7)]
    for month in page.months:
        columns += [
            Column(_("%(month)s plan") % {"month": month.label}, kind),
            Column(_("%(month)s actual") % {"month": month.label}, kind),
        ]
    columns += [
        Column(_("Year plan"), kind),
        Column(_("Year actual"), kind),
        Column(_("Attainment (%)"), "percent"),
    ]
    what = unit_slug(root) if root else "org"
    export = Export(f"plan-vs-actual-{what}-{page.year.label}", page.year.label, columns)
    for row in page.rows:
        cells: list[Cell] = [row.unit.name, row.depth]
        for c in row.cells:
            cells += [c.plan, c.actual]
        total = row.total
        ratio = (
            (total.actual / total.plan * 100).quantize(Decimal("0.1"))
            if total.plan and total.actual is not None
            else None
        )
        cells += [total.plan, total.actual, ratio]
        export.rows.append(cells)
    return export


def month_label(period: planning.Period | None, today: dt.date) -> str:
    """What a period-less page shows, named for a file: this month (``2026-12``)."""
    return period.label if period else planning.month_of(today).label
