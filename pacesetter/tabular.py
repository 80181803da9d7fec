"""Command output as a terminal table, JSON or CSV: one renderer for every CLI command.

CSV is opened in spreadsheets, which run a cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula (CSV/formula injection). Text cells starting so get a
leading apostrophe (:func:`formula_safe`), the quote spreadsheets read as "this is text";
numbers stay numbers, negative ones included (``-13150000.00``), and so does text that is a
plain number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMATS = ("table", "json", "csv")
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def formula_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made text with a leading
    apostrophe; numbers, and text that is a plain number ("-12.50"), unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _jsonable(value: Any) -> Any:
    """JSON-friendly: Decimal as a string (exact, ungrouped, ASCII minus), dates in ISO
    format. Machine output: numbers people read come from ``pacesetter.presentation``."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)  # an explanation or a lazy translation: its words


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_cell(value: Any) -> str:
    """A number as it is (negative ones too); any other value as text that never runs."""
    if isinstance(value, int | float | Decimal):
        return _cell(value)
    return str(formula_safe(_cell(value)))


def csv_line(cells: Sequence[object]) -> str:
    """One CSV record without its line end. Written as if lines ended in CR LF, so that a
    cell holding a carriage return is quoted too (with "\\n" alone it is not, and a
    spreadsheet would start a new row there)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()[:-2]


def render(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    document: Mapping[str, Any] | None = None,
    title: str = "",
) -> str:
    """``rows`` as ``fmt``; JSON prints ``document`` when given, else ``{"rows": rows}``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps(_jsonable(document if document is not None else {"rows": list(rows)}),
                          indent=2, ensure_ascii=False)  # fmt: skip
    if fmt == "csv":
        lines = [csv_line([formula_safe(str(c)) for c in columns])]
        lines += [csv_line([_csv_cell(row.get(c)) for c in columns]) for row in rows]
        return "\n".join(lines)
    return table(rows, columns, title=title)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, title: str = "") -> str:
    """An aligned text table; numbers are right-aligned."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(row.get(c), int | float | Decimal) or row.get(c) is None for row in rows)
        and bool(rows)
        for c in columns
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out.append(line(list(columns)))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(r) for r in cells)
    return "\n".join(out)
