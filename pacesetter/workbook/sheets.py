"""Reading a plan workbook's file: the rows of the sheets the import reads (the overview and
the team sheets, known by row 3), their cells' values, and a quota cell as money.

A file that cannot be read as such a workbook at all raises ``Refused``; nothing is
evaluated (a formula is read as the value Excel saved with it).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.ledger.importers.readers import OLE_MAGIC, XLSX_MAGIC
from pacesetter.ledger.importers.workbooks import unpack_problem
from pacesetter.workbook import layout as L

MAX_ROWS = 20_000  # per sheet: a plan workbook has a row per rep; more is not one
MAX_COLUMNS = 40
LARGEST_QUOTA = Decimal(10) ** 12

FileLike = str | os.PathLike[str] | IO[bytes]
Rows = list[tuple[Any, ...]]


class Refused(Exception):
    """The file as a whole cannot be read as a workbook."""


def read_sheets(file: FileLike, max_bytes: int) -> dict[str, Rows]:
    """The rows of the overview and the team sheets: the ones that say which plan (and
    team) they belong to in row 3. Other sheets are derived or someone's own: not read."""
    import openpyxl  # only when a workbook is read: it is slow to import

    with ExitStack() as stack:
        if isinstance(file, str | os.PathLike):
            path = Path(file)
            if not path.is_file():
                raise Refused(_("no such file: %(path)s") % {"path": path})
            size = path.stat().st_size
            stream: IO[bytes] = stack.enter_context(path.open("rb"))
        else:
            stream, size = _seekable(file, max_bytes)
        if size > max_bytes:
            raise Refused(
                _("the file is %(size)s bytes, more than the limit of %(limit)s (%(setting)s)")
                % {"size": f"{size:,}", "limit": f"{max_bytes:,}",
                   "setting": "PACESETTER_IMPORT_MAX_BYTES"}
            )  # fmt: skip
        _check_zip(stream)
        try:
            # data_only: a formula someone typed is read as the value Excel saved with it,
            # and is never evaluated here.
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise Refused(
                _("not a readable XLSX workbook (%(error)s)") % {"error": type(error).__name__}
            ) from None
        stack.callback(book.close)
        sheets: dict[str, Rows] = {}
        for sheet in book.worksheets:
            rows = _plan_sheet_rows(sheet.title, sheet.iter_rows(max_col=MAX_COLUMNS,
                                                                 values_only=True))  # fmt: skip
            if rows is not None:
                sheets[sheet.title] = rows
        return sheets


def _check_zip(stream: IO[bytes]) -> None:
    """Refuse what is no XLSX workbook, or one that would unpack to too much (before
    openpyxl unpacks any of it: see ``ledger.importers.workbooks``)."""
    start = stream.tell()
    head = stream.read(len(XLSX_MAGIC))
    stream.seek(start)
    if not head:
        raise Refused(_("the file is empty"))
    if head.startswith(OLE_MAGIC):
        raise Refused(_("an old binary .xls workbook: save it as .xlsx"))
    if not head.startswith(XLSX_MAGIC):
        raise Refused(_("not an XLSX workbook: upload the .xlsx file the plan was exported as"))
    problem = unpack_problem(stream)
    if problem is not None:
        raise Refused(problem)


def _seekable(file: IO[bytes], max_bytes: int) -> tuple[IO[bytes], int]:
    try:
        here = file.tell()
        end = file.seek(0, io.SEEK_END)
        file.seek(here)
        return file, end - here
    except (AttributeError, OSError, ValueError):
        data = file.read(max_bytes + 1)  # a zip needs seeking: copy a stream that cannot
        return io.BytesIO(data), len(data)


def _plan_sheet_rows(title: str, rows: Iterator[tuple[Any, ...]]) -> Rows | None:
    kept: Rows = []
    try:
        for values in rows:
            kept.append(tuple(values))
            if len(kept) == L.KEY_ROW and (
                not L.is_label(cell_value(kept, L.KEY_ROW, 1), L.PLAN_ID_LABEL)
                or not any(
                    L.is_label(cell_value(kept, L.KEY_ROW, 3), label)
                    for label in (L.TEAM_ID_LABEL, L.WORKBOOK_KEY_LABEL)
                )
            ):
                return None  # a sheet someone added, or one the import does not read
            if len(kept) > MAX_ROWS:
                raise Refused(
                    _("sheet %(sheet)s has more than %(rows)s rows")
                    % {"sheet": repr(title), "rows": f"{MAX_ROWS:,}"}
                )
    except Refused:
        raise
    except Exception as error:
        raise Refused(
            _("damaged worksheet %(sheet)s (%(error)s)")
            % {"sheet": repr(title), "error": type(error).__name__}
        ) from None
    return kept if len(kept) >= L.KEY_ROW else None


def cell_value(rows: Rows, row: int, column: int) -> Any:
    """The value at a spreadsheet position (1-based), None outside what was read."""
    if row > len(rows) or column > len(rows[row - 1]):
        return None
    value = rows[row - 1][column - 1]
    return value.strip() if isinstance(value, str) else value


def whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def parse_quota(value: Any) -> Decimal:
    """A quota cell as money to the cent; ValueError says what is wrong with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(_("empty: a quota is needed for every month (0 for none)"))
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(_("not a number"))
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        parsed = L.plain_number(value.strip().lstrip(L.CURRENCY_SIGNS).strip())
        if parsed is None:
            raise ValueError(_("not a number"))
        number = parsed
    else:
        raise ValueError(_("not a number"))
    if not number.is_finite():
        raise ValueError(_("not a number"))
    if number < 0:
        raise ValueError(_("negative: a quota is 0 or more"))
    if number >= LARGEST_QUOTA:
        raise ValueError(_("too large for a monthly quota"))
    return planning.to_cents(number)  # what a cell formatted to the cent shows
