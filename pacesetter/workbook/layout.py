"""Where things sit in a plan workbook, and how cells are written so they stay what they are.

Export and import share this one description of the layout: the import finds a sheet's
plan, team and months by the same labels and positions the export wrote them at, so a
moved or retyped locked cell is noticed instead of silently read as something else.

Every sheet starts with the same band::

    row 1  title
    row 2  Plan | Version | Status | Fiscal year | Currency | Exported
    row 3  Plan id | <pk> | Team id | <pk> | Team | <name>      (team sheets)
           Plan id | <pk> | Workbook key | <signed key>         (the overview)
    row 4  what to do with the sheet
    row 5  the table's header; data from row 6

The workbook's words are in the language active when it is made (the reader's on the web,
English for the command). The labels the import finds its way by (row 3's labels, the locked
headers, the computed rows' keys) are read back in every language (``is_label``), so that a
workbook exported in Chinese and one exported in English both import; the sheets themselves
are found by row 3, whatever their names.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pacesetter.ledger.importers.report import FORMULA_STARTS

FORMAT_VERSION = 1
SIGNING_SALT = "pacesetter.workbook"

TITLE_ROW, INFO_ROW, KEY_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3, 4, 5
FIRST_ROW = HEADER_ROW + 1
PRINT_TITLE_ROWS = f"{TITLE_ROW}:{HEADER_ROW}"

# Row 3, columns A–F: the locked cells that say which plan and team a sheet belongs to.
PLAN_ID_LABEL = _("Plan id")  # A3, the plan's pk in B3
TEAM_ID_LABEL = _("Team id")  # C3 on a team sheet, the team's pk in D3
TEAM_LABEL = _("Team")  # E3, the team's name in F3
WORKBOOK_KEY_LABEL = _("Workbook key")  # C3 on the overview, the signed key in D3

# A team sheet's columns: the rep's key, name and e-mail, then one column per month.
KEY_HEADER = pgettext_lazy("plan workbook column", "Key")
REP_HEADER, EMAIL_HEADER, YEAR_HEADER = _("Rep"), _("E-mail"), _("Year")
FIRST_MONTH_COLUMN = 4  # D
# Rows of a team sheet that Pacesetter computes: checked on import, never read as quotas.
TOTAL_KEY = "TOTAL"  # the reps' quotas added up
TEAM_KEY = "TEAM"  # the team's own target (a plan line)
REMOVED_KEY = "REMOVED"  # quotas of planned hires deleted since the plan was made
COMPUTED_KEYS = (REMOVED_KEY, TOTAL_KEY, TEAM_KEY)
# How the Key column writes them: "TOTAL", "合计" ….
COMPUTED_LABELS: dict[str, Promise] = {
    REMOVED_KEY: pgettext_lazy("plan workbook row key", "REMOVED"),
    TOTAL_KEY: pgettext_lazy("plan workbook row key", "TOTAL"),
    TEAM_KEY: pgettext_lazy("plan workbook row key", "TEAM"),
}

OVERVIEW_SHEET = pgettext_lazy("plan workbook sheet", "Plan")
ACTIVITY_SHEET = _("Activity plan")
STRETCH_SHEET = _("Stretch tiers")
INCENTIVES_SHEET = _("Incentives")
INCENTIVE_COLUMNS = ("program", "rule", "trigger", "reward", "value", "budget", "period")
INCENTIVE_HEADERS: dict[str, Promise] = {
    "program": _("Program"),
    "rule": _("Rule"),
    "trigger": _("Trigger"),
    "reward": _("Reward"),
    "value": _("Value"),
    "budget": _("Budget"),
    "period": _("Period"),
}
NUMERIC_INCENTIVE_COLUMNS = ("value", "budget")

MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
MONTH_FORMAT = "mmm yyyy"

BAND_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_FILL = PatternFill("solid", fgColor="1F2A44")
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in, as on the weekly sheet
TOTAL_FILL = PatternFill("solid", fgColor="EEF1F6")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True, color="44546A")
KEY_FONT = Font(size=8, color="7F8A9C")
THIN_TOP = Border(top=Side(style="thin", color="8A93A5"))

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters XLSX refuses
CURRENCY_SIGNS = "$€£¥₹"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
SHEET_TITLE_MAX = 31
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def in_every_language(label: Promise | str) -> frozenset[str]:
    """``label`` as each of Pacesetter's languages writes it ("Team id", "团队编号")."""
    texts = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.add(str(label))
    return frozenset(texts)


def is_label(value: object, label: Promise | str) -> bool:
    """Whether a cell holds ``label`` in one of Pacesetter's languages."""
    return isinstance(value, str) and value.strip() in in_every_language(label)


def computed_key(value: object) -> str | None:
    """The computed row (``TOTAL_KEY`` …) a Key cell names, in any language; None for a rep."""
    for key, label in COMPUTED_LABELS.items():
        if is_label(value, label):
            return key
    return None


def neutralised(text: str) -> str:
    """``text`` as a spreadsheet must show it: never a formula.

    Text from people (names, units, notes) starting with = + - @, a tab or a carriage
    return would run as a formula in Excel or LibreOffice; a leading apostrophe keeps it
    text, and control characters XLSX cannot hold are dropped.
    """
    clean = _ILLEGAL.sub("", text)
    return "'" + clean if clean.startswith(FORMULA_STARTS) else clean


def write_text(sheet: Worksheet, row: int, column: int, text: str | None) -> Cell:
    """Write user text as a string cell (openpyxl would store ``=…`` as a formula)."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # not the hidden part of a merged range: it takes no value
    value = neutralised(text or "")
    cell.value = value or None
    if value:
        cell.data_type = "s"
    return cell


def write_number(
    sheet: Worksheet, row: int, column: int, value: Decimal | int, number_format: str
) -> Cell:
    """A real number stays a number, negative or not: it is the value, not text."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def write_month(sheet: Worksheet, row: int, column: int, month: dt.date) -> Cell:
    cell = sheet.cell(row=row, column=column, value=month)
    cell.number_format = MONTH_FORMAT
    return cell


def plain_number(text: str) -> Decimal | None:
    """``"1,500.00"`` or ``"-50"`` as a Decimal; None for anything that is not just a number."""
    stripped = text.strip()
    if not _PLAIN_NUMBER.fullmatch(stripped):
        return None
    return Decimal(stripped.replace(",", ""))


def money_number(text: str) -> Decimal | None:
    """``"$1,250.00"``, ``"-$50.00"`` or ``"500"`` as a Decimal; None for other text."""
    stripped = text.strip()
    negative = stripped[:1] in ("-", "\u2212")
    if stripped[:1] in ("-", "+", "\u2212"):
        stripped = stripped[1:].lstrip()
    stripped = stripped.lstrip(CURRENCY_SIGNS).strip()
    number = plain_number(stripped) if stripped[:1].isdigit() else None
    if number is None:
        return None
    return -number if negative else number


def same_text(cell_value: object, expected: str) -> bool:
    """Whether a locked text cell still holds what the export wrote there."""
    written = neutralised(expected)
    if cell_value is None:
        return written == ""
    return str(cell_value) == written


def editable(cell: Cell) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = EDIT_FILL


def column_name(column: int, header: object) -> str:
    """How a report names a column: its letter and its header, e.g. ``F (2027-03)``."""
    letter = get_column_letter(column)
    if isinstance(header, Promise):
        header = str(header)
    if isinstance(header, dt.datetime | dt.date):
        header = f"{header:%Y-%m}"
    return f"{letter} ({header})" if header not in (None, "") else letter


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title for ``name`` (Excel: 31 characters, no []:*?/\\)."""
    base = _SHEET_TITLE_BAD.sub(" ", _ILLEGAL.sub("", name)).strip().strip("'") or str(TEAM_LABEL)
    title = base[:SHEET_TITLE_MAX]
    n = 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def header_footer_text(text: str) -> str:
    """Text for a printed header or footer, where ``&`` starts a code."""
    return _ILLEGAL.sub("", text).replace("&", "&&")


def style_header_row(sheet: Worksheet, row: int, last_column: int) -> None:
    for column in range(1, last_column + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_total_row(sheet: Worksheet, row: int, last_column: int) -> None:
    for column in range(1, last_column + 1):
        cell = sheet.cell(row=row, column=column)
        cell.fill, cell.border = TOTAL_FILL, THIN_TOP
        cell.font = Font(bold=True)
