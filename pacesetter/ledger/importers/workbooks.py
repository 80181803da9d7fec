"""Reading XLSX workbooks safely: the zip is inspected before anything is unpacked, and a
sheet's rows are read as they are stored, never padded to what the sheet claims.

A workbook is a zip of XML parts. openpyxl holds some parts in memory whole (the
shared-string table, the styles, the workbook) even in its streaming mode: a 300 KB file
whose shared string unpacks to 300 MB cost ~600 MB before anything could refuse it.
``unpack_problem`` reads only the zip's directory (each part's packed and unpacked size)
and refuses a workbook that would unpack to too much, or a part packed too tightly to be
data. The sizes the directory declares bound what the zip module ever unpacks (it stops
there and checks the CRC), so they can be trusted.

A sheet's ``<dimension>`` can claim 16,384 × 1,048,576 cells (a 1.5 KB file with one cell
at XFD1048576): openpyxl then pads every row to 16,384 cells and yields every missing row.
``sheet_rows`` reads the rows the sheet really has, each as wide as its last cell (trailing
empty cells dropped), a run of missing rows as one blank row, and reports a cell beyond
``MAX_COLUMNS`` on its row instead of building it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_COLUMNS = 2_048  # a CRM's widest export has a few hundred columns
MAX_IN_MEMORY = 128 * 1024 * 1024  # an unpacked part other than a worksheet (held whole)
MAX_UNPACKED = 4 * 1024 * 1024 * 1024  # the whole workbook unpacked (worksheets stream)
MAX_RATIO = 200  # unpacked : packed, for parts over RATIO_FROM bytes
RATIO_FROM = 16 * 1024 * 1024
MAX_PARTS = 10_000


def unpack_problem(stream: IO[bytes]) -> str | None:
    """Why the workbook in ``stream`` must not be unpacked, or None (also for a file that
    is no zip at all: the workbook reader says so). ``stream`` is left where it was."""
    here = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        stream.seek(here)
    if len(parts) > MAX_PARTS:
        return _("the workbook has %(count)s parts, more than %(limit)s: a damaged or hostile "
                 "file (export CSV instead)") % {"count": f"{len(parts):,}",
                                                 "limit": f"{MAX_PARTS:,}"}  # fmt: skip
    total = 0
    for part in parts:
        total += part.file_size
        streamed = part.filename.startswith("xl/worksheets/") and "/_rels/" not in part.filename
        limit = MAX_UNPACKED if streamed else MAX_IN_MEMORY
        if part.file_size > limit or total > MAX_UNPACKED:
            return _too_large(part.filename, max(part.file_size, total), min(limit, MAX_UNPACKED))
        packed = max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * packed:
            return _(
                "the workbook would unpack to %(size)s bytes in %(part)s, %(ratio)s times its "
                "packed size: a damaged or hostile file (export CSV instead)"
            ) % {
                "size": f"{part.file_size:,}",
                "part": part.filename,
                "ratio": f"{part.file_size // packed:,}",
            }
    return None


def _too_large(part: str, size: int, limit: int) -> str:
    return _(
        "the workbook would unpack to %(size)s bytes in %(part)s, more than the limit of "
        "%(limit)s: a damaged or hostile file (export CSV instead)"
    ) % {"size": f"{size:,}", "part": part, "limit": f"{limit:,}"}


def column_letter(number: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``, ``16384`` → ``XFD``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_rows(worksheet: Any) -> Iterator[tuple[int, list[Any], int]]:
    """(row number, values, the first column beyond ``MAX_COLUMNS`` with a value, else 0)
    of an openpyxl read-only worksheet, as the sheet stores them (see the module)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = worksheet.parent
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        last = 0
        for number, cells in parser.parse():
            if number <= last:
                continue  # a row stored out of order: openpyxl skips it too
            if number > last + 1:
                yield number - 1, [], 0  # the rows not stored are blank: one stands for all
            last = number
            yield number, *_values(cells)


def _values(cells: list[dict[str, Any]]) -> tuple[list[Any], int]:
    values: list[Any] = []
    far = 0
    for cell in cells:
        column, value = cell["column"], cell["value"]
        if value is None or value == "":
            continue
        if column > MAX_COLUMNS:
            far = far or column
            continue
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = value
    return values, far
