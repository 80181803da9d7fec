"""The weekly numbers template: a workbook per team and week that reps fill in "the old way".

One row per person of the team that week and per manual-entry metric (``Metric.source ==
"entries"``, e.g. ``pd_events``), with the numbers already entered filled in. A week that
straddles two months has two rows per person and metric, one per month's part (the Week
cell holds the part's first day, the Days cell says which days), so each number counts in
the month it happened in. Only the Value and Note cells are editable (the sheet is
protected, without a password: it prevents accidents, not edits), and Value accepts only
numbers of 0 or more. The header is the entries import format, so ``pacesetter import
entries FILE.xlsx`` reads the filled file back (source "sheet"); re-uploading it updates
the same entries.

The workbook's words (sheet names, header, instructions, the days, the metrics' names) are in
the language active when it is made: the reader's on the web, English for the command. The
importer knows the header in every language (``kinds.fields.TEMPLATE_HEADER``) and reads the
first sheet whatever its name, so a template made in Chinese reads back like an English one.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pacesetter.explanations import message_of, term
from pacesetter.ledger.entry_metrics import EntryMetric, entry_metrics
from pacesetter.ledger.importers.kinds.fields import TEMPLATE_HEADER
from pacesetter.ledger.importers.report import FORMULA_STARTS
from pacesetter.ledger.models import ManualEntry
from pacesetter.org.models import Membership, OrgSettings, Person, Unit
from pacesetter.org.selectors import subtree_ids
from pacesetter.planning import Period, WorkCalendar, parse_period, week_of, week_parts
from pacesetter.presentation import METRIC_LABELS, metric_description

SHEET = gettext_lazy("Weekly numbers")
ABOUT_SHEET = gettext_lazy("How to fill")
HEADER = tuple(TEMPLATE_HEADER.values())
WIDTHS = (28, 32, 16, 36, 12, 24, 10, 40)
VALUE_COLUMN, NOTE_COLUMN = "G", "H"
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters XLSX refuses


def parse_week(text: str) -> Period:
    """A week from ``2026-W48`` or any date in it, by the org's week start."""
    calendar = WorkCalendar(week_start=OrgSettings.load().week_start)
    try:
        period = parse_period(text, calendar)
    except ValueError as error:
        raise ValueError(
            _("%(error)s; use a week like 2026-W48 or a date") % {"error": message_of(error)}
        ) from None
    if period.kind == "day":
        return week_of(period.start, calendar)
    if period.kind != "week":
        raise ValueError(
            _("%(text)s is a %(kind)s, not a week: use e.g. 2026-W48")
            % {"text": repr(text), "kind": term("period_kind", period.kind)}
        )
    return period


def template_people(team: Unit, week: Period) -> list[Person]:
    """Everyone who belonged to the team (or a unit below it) on any day of the week."""
    person_ids = (
        Membership.objects.filter(unit_id__in=subtree_ids([team.pk]))
        .overlapping(week.start, week.end)
        .values("person_id")
    )
    return list(Person.objects.filter(id__in=person_ids).order_by("full_name", "email"))


def weekly_template(team: Unit, week: Period) -> Workbook:
    """The workbook for ``team`` and ``week`` (see the module docstring)."""
    metrics = entry_metrics()
    people = template_people(team, week)
    parts = week_parts(week)
    entered = {
        (e.person_id, e.metric, e.first_day): e
        for e in ManualEntry.objects.filter(
            person__in=people,
            metric__in=[m.name for m in metrics],
            first_day__gte=week.start,
            first_day__lt=week.end,
        )
    }
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on its one worksheet
    sheet.title = str(SHEET)
    _header(sheet)
    row = 1
    for person in people:
        for metric in metrics:
            for first_day, end in parts:
                row += 1
                entry = entered.get((person.pk, metric.name, first_day))
                _text(sheet, f"A{row}", person.full_name)
                _text(sheet, f"B{row}", person.email)
                _text(sheet, f"C{row}", metric.name)
                _text(sheet, f"D{row}", _label(metric))
                sheet[f"E{row}"] = first_day
                sheet[f"E{row}"].number_format = "yyyy-mm-dd"
                _text(sheet, f"F{row}", days_text(first_day, end))
                value = sheet[f"{VALUE_COLUMN}{row}"]
                value.value = entry.value if entry else None
                value.protection = Protection(locked=False)
                value.fill = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in
                note = sheet[f"{NOTE_COLUMN}{row}"]
                _text(sheet, f"{NOTE_COLUMN}{row}", entry.note if entry else "")
                note.protection = Protection(locked=False)
    if row > 1:
        _validate_values(sheet, row)
    sheet.protection.sheet = True  # locks person, metric and week; no password on purpose
    sheet.freeze_panes = "A2"
    _about(book, team, week, metrics)
    return book


def weekly_template_bytes(team: Unit, week: Period) -> io.BytesIO:
    """The workbook as an XLSX file in memory, rewound, for a download response."""
    buffer = io.BytesIO()
    weekly_template(team, week).save(buffer)
    buffer.seek(0)
    return buffer


def template_filename(team: Unit, week: Period) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", team.name).strip("-").lower() or "team"
    return f"weekly-numbers-{slug}-{week.label}.xlsx"


def days_text(first_day: dt.date, end: dt.date) -> str:
    """The days a row covers, e.g. "Mon 30 Nov" or "Tue 1 Dec – Sun 6 Dec" (end exclusive),
    in the active language ("11月30日（星期一）")."""
    last = end - dt.timedelta(days=1)
    if last == first_day:
        return _day(first_day)
    return _("%(first)s – %(last)s") % {"first": _day(first_day), "last": _day(last)}


def _day(day: dt.date) -> str:
    # Translators: a day of the weekly numbers template, as a Django date format ("Mon 30 Nov").
    return date_format(day, pgettext("weekly template day", "D j M"))


def _label(metric: EntryMetric) -> str:
    """A metric's name in the active language (a metric an admin added: its own label)."""
    label = METRIC_LABELS.get(metric.name)
    return metric.label if label is None else str(label)


def _text(sheet: Worksheet, ref: str, value: str) -> None:
    """Text that stays text: openpyxl would store ``=…`` as a formula, and spreadsheets
    run text starting with = + - @, so such text is typed as a string with a quote prefix."""
    cell = sheet[ref]
    cell.value = _ILLEGAL.sub("", value) or None
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _header(sheet: Worksheet) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9E1F2")
    for i, (title, width) in enumerate(zip(HEADER, WIDTHS, strict=True)):
        letter = chr(ord("A") + i)
        cell = sheet[f"{letter}1"]
        cell.value, cell.font, cell.fill = str(title), bold, fill
        sheet.column_dimensions[letter].width = width


def _validate_values(sheet: Worksheet, last_row: int) -> None:
    rule = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("A number of 0 or more"),
        error=_("Enter a number of 0 or more (up to two decimals), or leave the cell empty."),
        showInputMessage=True,
        promptTitle=_("This week's number"),
        prompt=_("0 or more; leave empty if you have nothing to report."),
    )
    sheet.add_data_validation(rule)
    rule.add(f"{VALUE_COLUMN}2:{VALUE_COLUMN}{last_row}")


def _about(book: Workbook, team: Unit, week: Period, metrics: list[EntryMetric]) -> None:
    about = book.create_sheet(str(ABOUT_SHEET))
    lines = _about_lines(team, week, metrics)
    for i, line in enumerate(lines, start=1):
        _text(about, f"A{i}", line)
    about["A1"].font = Font(bold=True, size=13)
    about.column_dimensions["A"].width = 100
    for row in about.iter_rows(min_row=1, max_row=len(lines)):
        row[0].alignment = Alignment(wrap_text=False)
    about.protection.sheet = True


def _about_lines(team: Unit, week: Period, metrics: list[EntryMetric]) -> list[str]:
    """The "How to fill" sheet, line by line, in the active language."""
    last_day = week.end - dt.timedelta(days=1)
    parts = week_parts(week)
    columns = {name: str(label) for name, label in TEMPLATE_HEADER.items()}
    split = (
        [
            _(
                "This week straddles two months: each person and metric has one row for "
                "%(first)s and one for %(second)s,"
            )
            % {"first": days_text(*parts[0]), "second": days_text(*parts[1])},
            _("so that each month counts what happened in it."),
        ]
        if len(parts) > 1
        else []
    )
    week_values = {
        "team": team.name,
        "week": week.label,
        "start": week.start.isoformat(),
        "end": last_day.isoformat(),
    }
    return [
        _("Weekly numbers of %(team)s, week %(week)s (%(start)s to %(end)s)") % week_values,
        "",
        _("Fill in the yellow %(value)s cells of the sheet '%(sheet)s' (a number of 0 or more);")
        % {"value": columns["value"], "sheet": SHEET},
        _("leave a cell empty when you have nothing to report. Notes are optional."),
        *split,
        _("Do not change the %(person)s, %(email)s, %(metric)s or %(week)s cells: they say "
          "whose number it is.") % columns,
        _("Upload the file when done (or: %(command)s).")
        % {"command": "pacesetter import entries FILE.xlsx"},
        _("Uploading it again with other numbers updates them; nothing is counted twice."),
        "",
        _("Metrics:"),
        *(f"  {m.name}: {_label(m)}. {metric_description(m.name, m.description)}"
          for m in metrics),
    ]  # fmt: skip
