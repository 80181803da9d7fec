"""Reading an edited plan workbook back: a new draft version of the plan, or row-level errors.

The reps' monthly quotas are the only cells read as input. Everything else the export
wrote (the plan id and its signed key, team ids and names, rep keys, names and e-mails, the
month headers, the computed rows) is checked against the plan, so an edit there is reported
instead of being guessed at. A workbook with any problem changes nothing.

What an import makes:

* the changed quotas become the new draft's person (or planned-hire) lines; each team's
  line is recomputed from its reps (their sum, divided by the plan's over-assignment when
  it has one) and every unit above it moves by the same amount, so the new version adds up
  exactly; the plan's inputs record the workbook it came from;
* a workbook without changes makes nothing and says so, and so does a workbook whose
  changes were already imported from the same version (no empty or duplicate versions);
* the version imported from is never touched: the draft is ``NAME@<newest version + 1>``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Collection, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing

from pacesetter import planning
from pacesetter.goals.models import Plan
from pacesetter.ledger.importers.options import default_max_bytes
from pacesetter.ledger.importers.readers import OLE_MAGIC, XLSX_MAGIC
from pacesetter.ledger.importers.report import shown
from pacesetter.workbook import layout as L
from pacesetter.workbook.contents import ZERO, PlanContents, TeamRows, plan_contents
from pacesetter.workbook.draft import (
    QuotaChange,
    already_imported,
    changes_digest,
    plan_draft_save,
)

MAX_ROWS = 20_000  # per sheet: a plan workbook has a row per rep; more is not one
MAX_COLUMNS = 40
LARGEST_QUOTA = Decimal(10) ** 12

FileLike = str | os.PathLike[str] | IO[bytes]
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class WorkbookError:
    """One rejected cell: the sheet, its row (as the spreadsheet numbers it) and column."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class WorkbookImport:
    """The outcome of ``plan_workbook_import``; ``plan`` is the new draft when one was made."""

    file: str = ""
    dry_run: bool = False
    source: Plan | None = None
    plan: Plan | None = None
    duplicate_of: Plan | None = None
    teams: list[str] = field(default_factory=list)
    changes: list[QuotaChange] = field(default_factory=list)
    errors: list[WorkbookError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line for people: what happened, and what did not."""
        name = self.file or "the workbook"
        if self.errors:
            return f"{name}: {len(self.errors)} problem(s); nothing imported"
        label = self.source.label if self.source else "the plan"
        if not self.changes:
            return f"{name}: no quota differs from {label}; nothing imported, no new version"
        if self.duplicate_of is not None:
            return (
                f"{name}: these {len(self.changes)} change(s) to {label} were already imported "
                f"as {self.duplicate_of.label}; nothing imported"
            )
        teams = ", ".join(sorted({c.team for c in self.changes}))
        if self.plan is None:
            return f"{name}: {len(self.changes)} quota(s) of {teams} would change (dry run)"
        return (
            f"{name}: {len(self.changes)} quota(s) of {teams} changed; saved as the new draft "
            f"{self.plan.label} ({label} is unchanged)"
        )

    def error(self, sheet: str, row: int, column: str, value: object, reason: str) -> None:
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        self.errors.append(WorkbookError(sheet, row, column, shown(value), reason))


class _Refused(Exception):
    """The file as a whole cannot be read as a workbook."""


def plan_workbook_import(
    file: FileLike,
    *,
    by: AbstractBaseUser | None = None,
    unit_ids: Collection[int] | None = None,
    plan: Plan | None = None,
    dry_run: bool = False,
    max_bytes: int | None = None,
    filename: str = "",
) -> WorkbookImport:
    """Read an edited plan workbook and save its quotas as a new draft (see the module).

    ``unit_ids``: the units whose quotas the uploader may change (None: all). ``plan``: the
    plan the workbook must belong to (an upload on that plan's page). Nothing is written
    when there is any error, no change, a duplicate, or ``dry_run``.
    """
    result = WorkbookImport(file=filename or _name_of(file), dry_run=dry_run)
    try:
        sheets = _read_sheets(file, max_bytes or default_max_bytes())
    except _Refused as refused:
        result.error("", 1, "", "", str(refused))
        return result
    found = _overview(sheets, result, plan)
    if found is None:
        return result
    source, exported_teams = found
    result.source = source
    contents = plan_contents(source)
    quotas = _read_teams(sheets, contents, exported_teams, unit_ids, result)
    if result.errors:
        return result
    result.changes = _changes(contents, quotas)
    if not result.changes:
        return result
    digest = changes_digest(source, result.changes)
    result.duplicate_of = already_imported(source, digest)
    if result.duplicate_of is not None or dry_run:
        return result
    result.plan = plan_draft_save(source, result.changes, by=by, file=result.file, digest=digest)
    return result


def _name_of(file: FileLike) -> str:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    return Path(str(getattr(file, "name", "") or "")).name


# --- reading the file -----------------------------------------------------------------


def _read_sheets(file: FileLike, max_bytes: int) -> dict[str, Rows]:
    """The rows of the overview and the team sheets: the ones that say which plan (and
    team) they belong to in row 3. Other sheets are derived or someone's own: not read."""
    import openpyxl  # only when a workbook is read: it is slow to import

    with ExitStack() as stack:
        if isinstance(file, str | os.PathLike):
            path = Path(file)
            if not path.is_file():
                raise _Refused(f"no such file: {path}")
            size = path.stat().st_size
            stream: IO[bytes] = stack.enter_context(path.open("rb"))
        else:
            stream, size = _seekable(file, max_bytes)
        if size > max_bytes:
            raise _Refused(
                f"the file is {size:,} bytes, more than the limit of {max_bytes:,} "
                "(PACESETTER_IMPORT_MAX_BYTES)"
            )
        start = stream.tell()
        head = stream.read(len(XLSX_MAGIC))
        stream.seek(start)
        if not head:
            raise _Refused("the file is empty")
        if head.startswith(OLE_MAGIC):
            raise _Refused("an old binary .xls workbook: save it as .xlsx")
        if not head.startswith(XLSX_MAGIC):
            raise _Refused("not an XLSX workbook: upload the .xlsx file the plan was exported as")
        try:
            # data_only: a formula someone typed is read as the value Excel saved with it,
            # and is never evaluated here.
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise _Refused(f"not a readable XLSX workbook ({type(error).__name__})") from None
        stack.callback(book.close)
        sheets: dict[str, Rows] = {}
        for sheet in book.worksheets:
            rows = _plan_sheet_rows(sheet.title, sheet.iter_rows(max_col=MAX_COLUMNS,
                                                                 values_only=True))  # fmt: skip
            if rows is not None:
                sheets[sheet.title] = rows
        return sheets


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
                _cell(kept, L.KEY_ROW, 1) != L.PLAN_ID_LABEL
                or _cell(kept, L.KEY_ROW, 3) not in (L.TEAM_ID_LABEL, L.WORKBOOK_KEY_LABEL)
            ):
                return None  # a sheet someone added, or one the import does not read
            if len(kept) > MAX_ROWS:
                raise _Refused(f"sheet {title!r} has more than {MAX_ROWS:,} rows")
    except _Refused:
        raise
    except Exception as error:
        raise _Refused(f"damaged worksheet {title!r} ({type(error).__name__})") from None
    return kept if len(kept) >= L.KEY_ROW else None


def _cell(rows: Rows, row: int, column: int) -> Any:
    """The value at a spreadsheet position (1-based), None outside what was read."""
    if row > len(rows) or column > len(rows[row - 1]):
        return None
    value = rows[row - 1][column - 1]
    return value.strip() if isinstance(value, str) else value


def _whole_number(value: Any) -> int | None:
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
        raise ValueError("empty: a quota is needed for every month (0 for none)")
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError("not a number")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        parsed = L.plain_number(value.strip().lstrip(L.CURRENCY_SIGNS).strip())
        if parsed is None:
            raise ValueError("not a number")
        number = parsed
    else:
        raise ValueError("not a number")
    if not number.is_finite():
        raise ValueError("not a number")
    if number < 0:
        raise ValueError("negative: a quota is 0 or more")
    if number >= LARGEST_QUOTA:
        raise ValueError("too large for a monthly quota")
    return planning.to_cents(number)  # what a cell formatted to the cent shows


# --- the overview: which plan --------------------------------------------------------


def _overview(
    sheets: dict[str, Rows], result: WorkbookImport, expected: Plan | None
) -> tuple[Plan, set[int]] | None:
    """The plan the workbook was exported from, trusted only through its signed key."""
    found = [t for t, rows in sheets.items() if _cell(rows, L.KEY_ROW, 3) == L.WORKBOOK_KEY_LABEL]
    if len(found) != 1:
        reason = (
            "not a plan workbook exported by Pacesetter: no sheet has the plan id and the "
            "workbook key in row 3"
            if not found
            else f"more than one overview sheet ({', '.join(found)}): keep only one"
        )
        result.error("", 1, "", "", reason)
        return None
    title = found[0]
    rows = sheets[title]
    key = _cell(rows, L.KEY_ROW, 4)
    try:
        payload = signing.loads(str(key or ""), salt=L.SIGNING_SALT)
        plan_id, teams = int(payload["plan"]), {int(t) for t in payload["teams"]}
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        result.error(
            title, L.KEY_ROW, L.column_name(4, L.WORKBOOK_KEY_LABEL), key,
            "the workbook key does not verify: it was changed, or the workbook was not "
            "exported by this Pacesetter",
        )  # fmt: skip
        return None
    written = _cell(rows, L.KEY_ROW, 2)
    if _whole_number(written) != plan_id:
        result.error(
            title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
            f"locked cell changed: the workbook was exported from plan id {plan_id}",
        )  # fmt: skip
        return None
    source = Plan.objects.filter(pk=plan_id).first()
    if source is None:
        result.error(title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
                     f"plan id {plan_id} no longer exists")  # fmt: skip
        return None
    if expected is not None and source.pk != expected.pk:
        result.error(
            title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
            f"this workbook is of plan {source.label}, not {expected.label}: upload it on "
            f"the page of {source.label}",
        )  # fmt: skip
        return None
    return source, teams


# --- the team sheets: the quotas -----------------------------------------------------

Quotas = dict[tuple[int, str], dict[dt.date, Decimal]]  # (team id, rep key) → month → quota


def _read_teams(
    sheets: dict[str, Rows],
    contents: PlanContents,
    exported: set[int],
    unit_ids: Collection[int] | None,
    result: WorkbookImport,
) -> Quotas:
    quotas: Quotas = {}
    seen: dict[int, str] = {}
    for title, rows in sheets.items():
        if _cell(rows, L.KEY_ROW, 3) != L.TEAM_ID_LABEL:
            continue
        team = _sheet_team(title, rows, contents, exported, unit_ids, result)
        if team is None:
            continue
        if team.unit.pk in seen:
            result.error(title, L.KEY_ROW, L.column_name(4, L.TEAM_ID_LABEL), team.unit.pk,
                         f"duplicate sheet: {team.unit.name} is already on sheet "
                         f"{seen[team.unit.pk]!r}")  # fmt: skip
            continue
        seen[team.unit.pk] = title
        result.teams.append(team.unit.name)
        columns = _month_columns(title, rows, contents, result)
        if columns is not None:
            _read_quotas(title, rows, team, columns, quotas, result, contents.plan.label)
    if not seen and not result.errors:
        result.error("", 1, "", "", "the workbook has no team sheet (Team id in row 3)")
    return quotas


def _sheet_team(
    title: str,
    rows: Rows,
    contents: PlanContents,
    exported: set[int],
    unit_ids: Collection[int] | None,
    result: WorkbookImport,
) -> TeamRows | None:
    plan = contents.plan
    written_plan = _cell(rows, L.KEY_ROW, 2)
    if _whole_number(written_plan) != plan.pk:
        result.error(title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written_plan,
                     f"locked cell changed: this workbook is of plan id {plan.pk}")  # fmt: skip
        return None
    written_team = _cell(rows, L.KEY_ROW, 4)
    team_id = _whole_number(written_team)
    team = contents.team(team_id) if team_id is not None else None
    if team is None or team_id not in exported:
        result.error(title, L.KEY_ROW, L.column_name(4, L.TEAM_ID_LABEL), written_team,
                     f"unknown team: plan {plan.label} has no team with this id in this "
                     "workbook")  # fmt: skip
        return None
    written_name = _cell(rows, L.KEY_ROW, 6)
    if not L.same_text(written_name, team.unit.name):
        result.error(title, L.KEY_ROW, L.column_name(6, L.TEAM_LABEL), written_name,
                     f"locked cell changed: team id {team_id} is {team.unit.name!r}")  # fmt: skip
        return None
    if unit_ids is not None and team.unit.pk not in unit_ids:
        result.error(title, L.KEY_ROW, L.column_name(6, L.TEAM_LABEL), written_name,
                     f"you may not change the quotas of {team.unit.name}")  # fmt: skip
        return None
    return team


def _month_of(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%Y-%m", "%Y-%m-%d", "%b %Y", "%B %Y"):
            try:
                parsed = dt.datetime.strptime(text, pattern)  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
            return dt.date(parsed.year, parsed.month, 1)
    return None


def _month_columns(
    title: str, rows: Rows, contents: PlanContents, result: WorkbookImport
) -> dict[dt.date, int] | None:
    """Month → column, from the header row; None (with errors) when it is not the plan's
    twelve months, each once."""
    fixed = (L.KEY_HEADER, L.REP_HEADER, L.EMAIL_HEADER)
    problems = len(result.errors)
    for column, expected in enumerate(fixed, start=1):
        written = _cell(rows, L.HEADER_ROW, column)
        if written != expected:
            result.error(title, L.HEADER_ROW, L.column_name(column, expected), written,
                         f"locked cell changed: the header here is {expected!r}")  # fmt: skip
    months = set(contents.months)
    first, last = contents.months[0], contents.months[-1]
    columns: dict[dt.date, int] = {}
    column = L.FIRST_MONTH_COLUMN
    while True:
        value = _cell(rows, L.HEADER_ROW, column)
        if value in (None, "", L.YEAR_HEADER):
            break
        where = L.column_name(column, value)
        month = _month_of(value)
        if month is None:
            result.error(title, L.HEADER_ROW, where, value, "not a month (e.g. 2027-03)")
        elif month not in months:
            result.error(title, L.HEADER_ROW, where, value,
                         f"month {month:%Y-%m} is outside fiscal year {contents.plan.fiscal_year} "
                         f"({first:%Y-%m} to {last:%Y-%m})")  # fmt: skip
        elif month in columns:
            result.error(title, L.HEADER_ROW, where, value,
                         f"duplicate month: {month:%Y-%m} is also in column "
                         f"{L.column_name(columns[month], value)}")  # fmt: skip
        else:
            columns[month] = column
        column += 1
    if len(result.errors) > problems:
        return None
    for month in contents.months:
        if month not in columns:
            result.error(title, L.HEADER_ROW, "", "",
                         f"no column for {month:%Y-%m}: every month of the fiscal year "
                         "needs one")  # fmt: skip
    return columns if len(result.errors) == problems else None


def _read_quotas(
    title: str,
    rows: Rows,
    team: TeamRows,
    columns: dict[dt.date, int],
    quotas: Quotas,
    result: WorkbookImport,
    plan_label: str,
) -> None:
    computed = {
        L.REMOVED_KEY: team.removed,
        L.TOTAL_KEY: team.total(columns),
        L.TEAM_KEY: team.target,
    }
    on_row: dict[str, int] = {}
    key_column = L.column_name(1, L.KEY_HEADER)
    for number in range(L.FIRST_ROW, len(rows) + 1):
        values = rows[number - 1]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        key = str(_cell(rows, number, 1) or "")
        if key in computed and (key != L.REMOVED_KEY or team.removed):
            _check_computed(title, rows, number, key, computed[key], columns, result)
            continue
        rep = team.rep(key)
        if rep is None:
            reason = (
                f"unknown rep: {team.unit.name} has no rep with this key in plan {plan_label}"
                if key
                else "unknown rep: rows are matched by their Key; new reps join a plan "
                "through a new cascade"
            )
            result.error(title, number, key_column, key, reason)
            continue
        if key in on_row:
            result.error(title, number, key_column, key,
                         f"duplicate row: {rep.name} is already on row {on_row[key]}")  # fmt: skip
            continue
        on_row[key] = number
        for column, (header, expected) in enumerate(
            ((L.REP_HEADER, rep.name), (L.EMAIL_HEADER, rep.email)), start=2
        ):
            written = _cell(rows, number, column)
            if not L.same_text(written, expected):
                result.error(title, number, L.column_name(column, header), written,
                             f"locked cell changed: {rep.key} is {expected!r}")  # fmt: skip
        months: dict[dt.date, Decimal] = {}
        for month, column in columns.items():
            value = _cell(rows, number, column)
            try:
                months[month] = parse_quota(value)
            except ValueError as error:
                result.error(title, number, L.column_name(column, month), value, str(error))
        quotas[(team.unit.pk, key)] = months
    for rep in team.reps:
        if rep.key not in on_row:
            result.error(title, L.HEADER_ROW, key_column, rep.key,
                         f"{rep.name}'s row is missing: put it back (a quota of 0 takes the "
                         "month away)")  # fmt: skip


def _check_computed(
    title: str,
    rows: Rows,
    number: int,
    key: str,
    expected: dict[dt.date, Decimal],
    columns: dict[dt.date, int],
    result: WorkbookImport,
) -> None:
    """A computed row must still say what the export wrote: it is not an input."""
    for month, column in columns.items():
        value = _cell(rows, number, column)
        try:
            same = parse_quota(value) == expected.get(month, ZERO)
        except ValueError:
            same = False
        if not same:
            result.error(
                title, number, L.column_name(column, month), value,
                f"locked cell changed: the {key.lower()} row is computed from the reps' quotas "
                f"(it was {expected.get(month, ZERO)}); change the reps' quotas instead",
            )  # fmt: skip


def _changes(contents: PlanContents, quotas: Quotas) -> list[QuotaChange]:
    changes = []
    for team in contents.teams:
        for rep in team.reps:
            read = quotas.get((team.unit.pk, rep.key))
            if read is None:
                continue
            for month in contents.months:
                old = rep.months.get(month, ZERO)
                new = read[month]
                if new != old:
                    where = (team.unit.name, team.unit.pk, rep.key, rep.name)
                    changes.append(QuotaChange(*where, month, old, new))
    return changes
