"""The payout report as an Excel workbook: one sheet per table, amounts as numbers.

Names, notes and rule names come from user data (an import, the admin). A cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be read by Excel as a
formula — a classic injection — so such text is written with a leading apostrophe, the
quote Excel itself uses for "this is text".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from pacesetter.tabular import formula_safe

MONEY_FORMAT = "#,##0.00"

# Text that a spreadsheet would run as a formula, made plain text; the rest unchanged.
neutralise = formula_safe


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float | dt.date):
        return value
    return neutralise(str(value))


def write_workbook(
    path: Path | str, sheets: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]]
) -> None:
    """Write ``{sheet title: (columns, rows)}`` to ``path``; a bold header row per sheet."""
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook opens on its one, empty worksheet
    book.remove(first)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
        for column_cells in sheet.iter_cols(min_row=2):
            for cell in column_cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = MONEY_FORMAT
        for i, column in enumerate(columns, start=1):
            width = max([len(str(column)), *(len(str(r.get(column) or "")) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    book.save(path)
