"""Reading CSV and XLSX files as a stream of rows, whatever their encoding and delimiter.

Nothing here holds a whole file: CSV is decoded and split line by line with a bound on the
line length, XLSX is read with openpyxl's read-only (streaming) mode. Undecodable bytes do
not stop a CSV file: they are kept as escapes and reported against the row and column they
are in, so a cp1252 file read as UTF-8 names the first bad cell instead of failing blindly.

A report's title block and footer are skipped by ``framing``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypedDict

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.framing import Raw, Row, find_header, framed_rows
from pacesetter.ledger.importers.report import ImportFileError, RowError, shown
from pacesetter.ledger.importers.workbooks import (
    MAX_COLUMNS,
    column_letter,
    sheet_rows,
    unpack_problem,
)

SAMPLE_BYTES = 64 * 1024
MAX_LINE = 1024 * 1024  # characters; a longer physical line is refused
MAX_FIELD = csv.field_size_limit()  # the csv module's (process-wide) limit: 131,072
DELIMITERS = (",", ";", "\t", "|")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls format of Excel 97–2003
# Bytes the decoder could not read, kept by the "surrogateescape" error handler.
_ESCAPED = re.compile("[\udc80-\udcff]")

FileLike = str | os.PathLike[str] | IO[bytes]


def _file_error(reason: str, row: int = 1, column: str = "", value: str = "") -> ImportFileError:
    return ImportFileError(RowError(row, column, value, reason))


@dataclass
class Records:
    """A header and the data rows after it: ``(row number, cells, undecodable cells)``."""

    header: list[str]
    rows: Iterator[Row]
    format: str
    encoding: str = ""
    delimiter: str = ""
    # What was skipped around the table (a report's title, its footer): complete once the
    # rows have been read to their end.
    notes: list[str] = field(default_factory=list)
    _closer: ExitStack = field(default_factory=ExitStack, repr=False)
    _reopen: Callable[[], Records] | None = field(default=None, repr=False)

    def close(self) -> None:
        self._closer.close()

    @property
    def reopenable(self) -> bool:
        """Whether ``reopen`` can read the file again."""
        return self._reopen is not None

    def reopen(self) -> Records:
        """The same file opened again from its start, with the same options: a path is
        opened again, a file object rewound to where it was. ``ImportFileError`` when the
        file object cannot be rewound."""
        if self._reopen is None:
            raise _file_error(_("the file cannot be read a second time (it is a stream)"))
        return self._reopen()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Options(TypedDict):
    """``open_records``' options, kept to open the same file again."""

    max_bytes: int
    encoding: str | None
    delimiter: str | None
    sheet: str | None


def open_records(
    file: FileLike,
    *,
    max_bytes: int,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Records:
    """Open ``file`` (a path or a binary file object) as CSV or XLSX, sniffing which.

    Raises ``ImportFileError`` for a file that is too large, empty, or not readable.
    """
    stack = ExitStack()
    try:
        if isinstance(file, str | os.PathLike):
            path = Path(file)
            if not path.is_file():
                raise _file_error(_("no such file: %(path)s") % {"path": path})
            size: int | None = path.stat().st_size
            stream: IO[bytes] = stack.enter_context(path.open("rb"))
            start: int | None = 0
        else:
            stream, size = file, _size_of(file)
            start = _tell(stream)
        if size is not None and size > max_bytes:
            raise _file_error(
                _(
                    "the file is %(size)s bytes, more than the limit of %(limit)s "
                    "(PACESETTER_IMPORT_MAX_BYTES; --max-bytes on the command line)"
                )
                % {"size": f"{size:,}", "limit": f"{max_bytes:,}"}
            )
        head = stream.read(SAMPLE_BYTES)
        if not head:
            raise _file_error(_("the file is empty: expected a header row"))
        if head.startswith(OLE_MAGIC):
            raise _file_error(_("an old binary .xls workbook: save it as .xlsx or CSV"))
        if head.startswith(XLSX_MAGIC):
            records = _open_xlsx(head, stream, start, sheet, max_bytes)
        else:
            records = _open_csv(head, stream, max_bytes, encoding, delimiter)
        stack.push(records._closer)  # the workbook is closed before its file
        records._closer = stack
        options: _Options = {"max_bytes": max_bytes, "encoding": encoding,
                             "delimiter": delimiter, "sheet": sheet}  # fmt: skip
        if isinstance(file, str | os.PathLike):
            records._reopen = lambda: open_records(file, **options)
        elif start is not None:
            records._reopen = lambda: _rewound(file, start, options)
        return records
    except BaseException:
        stack.close()
        raise


def _rewound(stream: IO[bytes], start: int, options: _Options) -> Records:
    stream.seek(start)
    return open_records(stream, **options)


def _tell(stream: IO[bytes]) -> int | None:
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _size_of(stream: IO[bytes]) -> int | None:
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return None  # not seekable: _Guarded counts the bytes instead


class _Guarded(io.RawIOBase):
    """The bytes already sniffed, then the rest of the stream, refusing more than ``limit``."""

    def __init__(self, head: bytes, rest: IO[bytes], limit: int) -> None:
        self.head, self.rest, self.limit, self.total = head, rest, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
        else:
            data = self.rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.total += n
        if self.total > self.limit:
            raise _file_error(_too_large(self.limit))
        return n


# --- encodings and delimiters --------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(sample: bytes) -> str:
    """The likeliest encoding of a file starting with ``sample``.

    A byte-order mark decides; else NUL bytes in every other position mean UTF-16; else
    UTF-8 if it decodes; else GB18030 when that reads as Chinese text (Excel's CSV on
    Chinese Windows); else Windows-1252 (Excel's CSV in the West), or Latin-1.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    pairs = sample[: len(sample) // 2 * 2]
    if pairs and pairs.count(0) * 4 >= len(pairs):
        evens, odds = pairs[0::2].count(0), pairs[1::2].count(0)
        return "utf-16-be" if evens > odds else "utf-16-le"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _reads_as_chinese(sample):
        return "gb18030"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _reads_as_chinese(sample: bytes) -> bool:
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f")
    return bool(wide) and cjk >= 0.8 * len(wide)


def detect_delimiter(first_line: str) -> str:
    """The candidate (``,`` ``;`` tab ``|``) found most often in the header line."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier candidate
    return best if counts[best] else ","


def _checked_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise _file_error(
            _("unknown encoding %(name)s (e.g. utf-8, utf-16, cp1252, gb18030)")
            % {"name": repr(name)}
        ) from None


# --- CSV -----------------------------------------------------------------------------


class _LineTooLong(Exception):
    pass


class _Lines:
    """Physical lines of the text stream, each at most ``MAX_LINE`` characters."""

    def __init__(self, text: IO[str]) -> None:
        self.readline = text.readline
        self.undecodable = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.readline(MAX_LINE + 1)
        if not line:
            raise StopIteration
        if len(line) > MAX_LINE:
            raise _LineTooLong(line[:40])
        if (not line.isascii() and _ESCAPED.search(line)) or "\x00" in line:
            self.undecodable = True
        return line


def _open_csv(
    head: bytes,
    stream: IO[bytes],
    max_bytes: int,
    encoding: str | None,
    delimiter: str | None,
) -> Records:
    chosen = _checked_encoding(encoding) if encoding else detect_encoding(head)
    if delimiter is not None and len(delimiter) != 1:
        raise _file_error(
            _("the delimiter must be one character, not %(delimiter)s")
            % {"delimiter": repr(delimiter)}
        )
    buffered = io.BufferedReader(_Guarded(head, stream, max_bytes), buffer_size=256 * 1024)
    # surrogateescape: a wrong byte becomes a marker we report by row and column (above).
    text = io.TextIOWrapper(buffered, encoding=chosen, errors="surrogateescape", newline="")
    if delimiter is None:
        first = head.decode(chosen, errors="replace").lstrip("\ufeff")
        delimiter = detect_delimiter(next((ln for ln in first.splitlines() if ln.strip()), ""))
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    raw = _csv_raw(reader, lines, chosen)
    found, skipped, pending = find_header(raw)
    if found is None:
        raise _file_error(_("the file is empty: expected a header row"))
    number, header, flagged = found
    header = [cell.lstrip("\ufeff").strip() for cell in header]
    bad = next((c for c in header if _unreadable(c)), None) if flagged else None
    if bad is not None:
        raise _file_error(_cell_problem(bad, chosen), number, "", shown(_visible(bad)))

    def problems(number: int, cells: list[str]) -> list[RowError]:
        return [
            RowError(number, _column(header, i), shown(_visible(c)), _cell_problem(c, chosen))
            for i, c in enumerate(cells)
            if _unreadable(c)
        ]

    records = Records(header, iter(()), "csv", chosen, delimiter)
    records.rows = framed_rows(records.notes, header, skipped, pending, raw, problems)
    return records


def _csv_raw(reader: Any, lines: _Lines, encoding: str) -> Iterator[Raw]:
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _LineTooLong, UnicodeDecodeError) as error:
            raise _csv_failure(error, number + 1, encoding) from None
        number += 1
        flagged, lines.undecodable = lines.undecodable, False
        yield number, cells, flagged


def _encoding_fix() -> str:
    """Said the same way to both audiences: the form's field and the command's option."""
    return _('"Encoding" on the web, --encoding on the command line')


def _too_large(limit: int) -> str:
    return _("the file is larger than the limit of %(limit)s bytes") % {"limit": f"{limit:,}"}


def _csv_failure(error: Exception, row: int, encoding: str) -> ImportFileError:
    if isinstance(error, _LineTooLong):
        reason = _("a line longer than %(max)s characters: not a CSV file, or a broken one") % {
            "max": f"{MAX_LINE:,}"
        }
        return _file_error(reason, row, "", shown(str(error.args[0]) + "…"))
    if isinstance(error, UnicodeDecodeError):
        return _file_error(
            _("the bytes are not valid %(encoding)s: %(fix)s")
            % {"encoding": encoding, "fix": _encoding_fix()},
            row,
        )
    message = str(error)
    if "field larger than field limit" in message:
        message = _(
            "a field longer than %(max)s characters (often a quote that is never closed)"
        ) % {"max": f"{MAX_FIELD:,}"}
    return _file_error(_("malformed CSV: %(problem)s") % {"problem": message}, row)


def _unreadable(cell: str) -> bool:
    return "\x00" in cell or bool(_ESCAPED.search(cell))


def _cell_problem(cell: str, encoding: str) -> str:
    """Why a cell cannot be read: a NUL byte (PostgreSQL cannot store one, and no text has
    one), else bytes that are not in the file's encoding."""
    if "\x00" in cell:
        return _(
            "contains a NUL byte (0x00): the file is not text, or not in the encoding read "
            "(%(encoding)s; %(fix)s)"
        ) % {"encoding": encoding, "fix": _encoding_fix()}
    return _undecodable_reason(cell, encoding)


def _undecodable_reason(cell: str, encoding: str) -> str:
    raw = cell.encode(encoding, errors="surrogateescape")
    bad = next((b for b in raw if b > 0x7F), 0)
    if encoding.startswith("utf"):
        hint = _("%(first)s or %(second)s") % {"first": "cp1252", "second": "latin-1"}
    else:
        hint = "utf-8"
    return _(
        "byte 0x%(byte)s is not valid %(encoding)s: the file is in another encoding "
        "(name it: %(hint)s are common; %(fix)s)"
    ) % {"byte": f"{bad:02X}", "encoding": encoding, "hint": hint, "fix": _encoding_fix()}


def _visible(cell: str) -> str:
    return _ESCAPED.sub("\ufffd", cell).replace("\x00", "\u2400")


def _column(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else _("column %(number)s") % {"number": index + 1}


# --- XLSX ----------------------------------------------------------------------------


def _open_xlsx(
    head: bytes, stream: IO[bytes], start: int | None, sheet: str | None, max_bytes: int
) -> Records:
    import openpyxl  # only when a workbook is read: it is slow to import

    # A workbook is a zip: openpyxl needs to seek. Copy only a stream that cannot.
    data: IO[bytes]
    if start is not None:
        stream.seek(start)
        data = stream
    else:
        data = io.BytesIO(head + stream.read(max_bytes + 1 - len(head)))
        if len(data.getbuffer()) > max_bytes:
            raise _file_error(_too_large(max_bytes))
    problem = unpack_problem(data)
    if problem is not None:
        raise _file_error(problem)
    try:
        # data_only=False: a formula comes back as its text and is never evaluated.
        book = openpyxl.load_workbook(data, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        reason = _("not a readable XLSX workbook (%(problem)s)") % {
            "problem": f"{type(error).__name__}: {error}"
        }
        raise _file_error(reason) from None
    try:
        worksheet = book[sheet] if sheet else book.worksheets[0]
    except (KeyError, IndexError):
        book.close()
        names = ", ".join(book.sheetnames)
        raise _file_error(
            _("the workbook has no sheet %(sheet)s (sheets: %(names)s)")
            % {"sheet": repr(sheet), "names": names}
        ) from None
    # Not iter_rows: it pads every row to the width the sheet claims (see workbooks.py).
    raw = _xlsx_raw(sheet_rows(worksheet))
    try:
        found, skipped, pending = find_header(raw)
    except BaseException:
        book.close()
        raise
    if found is None:
        book.close()
        raise _file_error(_("the sheet is empty: expected a header row"))
    header = [cell.strip() for cell in found[1]]
    while header and not header[-1]:
        header.pop()

    def problems(number: int, cells: list[str]) -> list[RowError]:
        return [
            RowError(number, _column(header, i), shown(c),
                     _("a cell longer than %(max)s characters") % {"max": f"{MAX_FIELD:,}"})
            for i, c in enumerate(cells) if len(c) > MAX_FIELD
        ]  # fmt: skip

    records = Records(header, iter(()), "xlsx")
    records.rows = framed_rows(records.notes, header, skipped, pending, raw, problems)
    records._closer.callback(book.close)
    return records


def _xlsx_raw(rows: Iterator[tuple[int, list[Any], int]]) -> Iterator[Raw]:
    number = 0
    while True:
        try:
            number, values, far = next(rows)
        except StopIteration:
            return
        except Exception as error:
            if number:
                reason = _("damaged worksheet (%(problem)s)") % {"problem": error}
            else:
                reason = _("not a readable XLSX workbook (%(problem)s)") % {"problem": error}
            raise _file_error(reason, number + 1) from None
        if far:
            reason = _(
                "a cell beyond column %(max)s: a sheet this wide is not a table of rows "
                "(delete the columns right of the table)"
            ) % {"max": f"{MAX_COLUMNS:,}"}
            raise _file_error(reason, number, column_letter(far))
        cells = [_cell_text(v) for v in values]
        yield number, cells, any(len(c) > MAX_FIELD for c in cells)


def _cell_text(value: Any) -> str:
    """A cell as text, the way the CSV path would see it: dates in ISO, whole numbers bare."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
