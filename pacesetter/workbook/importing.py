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
* the version imported from is never touched: the draft is ``NAME@<newest version + 1>``;
* a quota of a month that has ended is frozen (``goals/periods.py``): changing one is an
  error unless an admin has re-opened the month.

The labels the import finds its way by are read in every language (``layout.is_label``): a
workbook exported in Chinese imports like one exported in English. What the import says
(its summary, every reason a cell is refused) is in the active language: the uploader's on
the web, English for the command.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.utils.translation import gettext as _

from pacesetter.goals.models import Plan
from pacesetter.goals.periods import Freezer
from pacesetter.ledger.importers.options import default_max_bytes
from pacesetter.ledger.importers.report import shown
from pacesetter.planning.calendar import add_months
from pacesetter.workbook import layout as L
from pacesetter.workbook.contents import ZERO, PlanContents, RepRow, TeamRows, plan_contents
from pacesetter.workbook.draft import (
    QuotaChange,
    already_imported,
    changes_digest,
    plan_draft_save,
)
from pacesetter.workbook.sheets import (
    FileLike,
    Refused,
    Rows,
    cell_value,
    parse_quota,
    read_sheets,
    whole_number,
)


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
    freezer: Freezer | None = field(default=None, repr=False)  # which months are closed

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line for people: what happened, and what did not."""
        values: dict[str, object] = {
            "name": self.file or _("the workbook"),
            "count": len(self.changes),
            "label": self.source.label if self.source else _("the plan"),
        }
        if self.errors:
            return _("%(name)s: %(count)s problem(s); nothing imported") % {
                **values,
                "count": len(self.errors),
            }
        if not self.changes:
            return (
                _("%(name)s: no quota differs from %(label)s; nothing imported, no new version")
                % values
            )
        if self.duplicate_of is not None:
            return _(
                "%(name)s: these %(count)s change(s) to %(label)s were already imported as "
                "%(duplicate)s; nothing imported"
            ) % {**values, "duplicate": self.duplicate_of.label}
        values["teams"] = ", ".join(sorted({c.team for c in self.changes}))
        if self.plan is None:
            return _("%(name)s: %(count)s quota(s) of %(teams)s would change (dry run)") % values
        return _(
            "%(name)s: %(count)s quota(s) of %(teams)s changed; saved as the new draft "
            "%(draft)s (%(label)s is unchanged)"
        ) % {**values, "draft": self.plan.label}

    def error(self, sheet: str, row: int, column: str, value: object, reason: str) -> None:
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        self.errors.append(WorkbookError(sheet, row, column, shown(value), reason))


def plan_workbook_import(
    file: FileLike,
    *,
    by: User | None = None,
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
    result = WorkbookImport(file=filename or _name_of(file), dry_run=dry_run, freezer=Freezer())
    try:
        sheets = read_sheets(file, max_bytes or default_max_bytes())
    except Refused as refused:
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


# --- the overview: which plan --------------------------------------------------------


def _overview(
    sheets: dict[str, Rows], result: WorkbookImport, expected: Plan | None
) -> tuple[Plan, set[int]] | None:
    """The plan the workbook was exported from, trusted only through its signed key."""
    found = [
        t
        for t, rows in sheets.items()
        if L.is_label(cell_value(rows, L.KEY_ROW, 3), L.WORKBOOK_KEY_LABEL)
    ]
    if len(found) != 1:
        reason = (
            _(
                "not a plan workbook exported by Pacesetter: no sheet has the plan id and the "
                "workbook key in row 3"
            )
            if not found
            else _("more than one overview sheet (%(sheets)s): keep only one")
            % {"sheets": ", ".join(found)}
        )
        result.error("", 1, "", "", reason)
        return None
    title = found[0]
    rows = sheets[title]
    key = cell_value(rows, L.KEY_ROW, 4)
    try:
        payload = signing.loads(str(key or ""), salt=L.SIGNING_SALT)
        plan_id, teams = int(payload["plan"]), {int(t) for t in payload["teams"]}
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        result.error(
            title, L.KEY_ROW, L.column_name(4, L.WORKBOOK_KEY_LABEL), key,
            _("the workbook key does not verify: it was changed, or the workbook was not "
              "exported by this Pacesetter"),
        )  # fmt: skip
        return None
    written = cell_value(rows, L.KEY_ROW, 2)
    if whole_number(written) != plan_id:
        result.error(
            title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
            _("locked cell changed: the workbook was exported from plan id %(id)s")
            % {"id": plan_id},
        )  # fmt: skip
        return None
    source = Plan.objects.filter(pk=plan_id).first()
    if source is None:
        result.error(title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
                     _("plan id %(id)s no longer exists") % {"id": plan_id})  # fmt: skip
        return None
    if expected is not None and source.pk != expected.pk:
        result.error(
            title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written,
            _("this workbook is of plan %(plan)s, not %(expected)s: upload it on the page of "
              "%(plan)s") % {"plan": source.label, "expected": expected.label},
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
        if not L.is_label(cell_value(rows, L.KEY_ROW, 3), L.TEAM_ID_LABEL):
            continue
        team = _sheet_team(title, rows, contents, exported, unit_ids, result)
        if team is None:
            continue
        if team.unit.pk in seen:
            result.error(title, L.KEY_ROW, L.column_name(4, L.TEAM_ID_LABEL), team.unit.pk,
                         _("duplicate sheet: %(team)s is already on sheet %(sheet)s")
                         % {"team": team.unit.name, "sheet": repr(seen[team.unit.pk])})  # fmt: skip
            continue
        seen[team.unit.pk] = title
        result.teams.append(team.unit.name)
        columns = _month_columns(title, rows, contents, result)
        if columns is not None:
            _read_quotas(title, rows, team, columns, quotas, result, contents.plan.label)
    if not seen and not result.errors:
        reason = _("the workbook has no team sheet (%(label)s in row 3)")
        result.error("", 1, "", "", reason % {"label": L.TEAM_ID_LABEL})
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
    written_plan = cell_value(rows, L.KEY_ROW, 2)
    if whole_number(written_plan) != plan.pk:
        result.error(title, L.KEY_ROW, L.column_name(2, L.PLAN_ID_LABEL), written_plan,
                     _("locked cell changed: this workbook is of plan id %(id)s")
                     % {"id": plan.pk})  # fmt: skip
        return None
    written_team = cell_value(rows, L.KEY_ROW, 4)
    team_id = whole_number(written_team)
    team = contents.team(team_id) if team_id is not None else None
    if team is None or team_id not in exported:
        result.error(title, L.KEY_ROW, L.column_name(4, L.TEAM_ID_LABEL), written_team,
                     _("unknown team: plan %(plan)s has no team with this id in this workbook")
                     % {"plan": plan.label})  # fmt: skip
        return None
    written_name = cell_value(rows, L.KEY_ROW, 6)
    if not L.same_text(written_name, team.unit.name):
        result.error(title, L.KEY_ROW, L.column_name(6, L.TEAM_LABEL), written_name,
                     _("locked cell changed: team id %(id)s is %(team)s")
                     % {"id": team_id, "team": repr(team.unit.name)})  # fmt: skip
        return None
    if unit_ids is not None and team.unit.pk not in unit_ids:
        result.error(title, L.KEY_ROW, L.column_name(6, L.TEAM_LABEL), written_name,
                     _("you may not change the quotas of %(team)s")
                     % {"team": team.unit.name})  # fmt: skip
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
    problems = len(result.errors)
    _check_fixed_headers(title, rows, result)
    months = set(contents.months)
    first, last = contents.months[0], contents.months[-1]
    columns: dict[dt.date, int] = {}
    column = L.FIRST_MONTH_COLUMN
    while True:
        value = cell_value(rows, L.HEADER_ROW, column)
        if value in (None, "") or L.is_label(value, L.YEAR_HEADER):
            break
        where = L.column_name(column, value)
        month = _month_of(value)
        if month is None:
            result.error(title, L.HEADER_ROW, where, value, _("not a month (e.g. 2027-03)"))
        elif month not in months:
            result.error(title, L.HEADER_ROW, where, value,
                         _("month %(month)s is outside fiscal year %(year)s (%(first)s to "
                           "%(last)s)")
                         % {"month": f"{month:%Y-%m}", "year": contents.plan.fiscal_year,
                            "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"})  # fmt: skip
        elif month in columns:
            result.error(title, L.HEADER_ROW, where, value,
                         _("duplicate month: %(month)s is also in column %(column)s")
                         % {"month": f"{month:%Y-%m}",
                            "column": L.column_name(columns[month], value)})  # fmt: skip
        else:
            columns[month] = column
        column += 1
    if len(result.errors) > problems:
        return None
    for month in contents.months:
        if month not in columns:
            result.error(title, L.HEADER_ROW, "", "",
                         _("no column for %(month)s: every month of the fiscal year needs one")
                         % {"month": f"{month:%Y-%m}"})  # fmt: skip
    return columns if len(result.errors) == problems else None


def _check_fixed_headers(title: str, rows: Rows, result: WorkbookImport) -> None:
    """The headers of the columns before the months are locked."""
    fixed = (L.KEY_HEADER, L.REP_HEADER, L.EMAIL_HEADER)
    for column, expected in enumerate(fixed, start=1):
        written = cell_value(rows, L.HEADER_ROW, column)
        if not L.is_label(written, expected):
            result.error(title, L.HEADER_ROW, L.column_name(column, expected), written,
                         _("locked cell changed: the header here is %(header)s")
                         % {"header": repr(str(expected))})  # fmt: skip


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
        if _is_blank(rows[number - 1]):
            continue
        key = str(cell_value(rows, number, 1) or "")
        row_of = L.computed_key(key)
        if row_of is not None and (row_of != L.REMOVED_KEY or team.removed):
            _check_computed(title, rows, number, row_of, computed[row_of], columns, result)
            continue
        rep = team.rep(key)
        if rep is None:
            reason = (
                _("unknown rep: %(team)s has no rep with this key in plan %(plan)s")
                % {"team": team.unit.name, "plan": plan_label}
                if key
                else _(
                    "unknown rep: rows are matched by their %(key)s; new reps join a plan "
                    "through a new cascade"
                )
                % {"key": L.KEY_HEADER}
            )
            result.error(title, number, key_column, key, reason)
            continue
        if key in on_row:
            result.error(title, number, key_column, key,
                         _("duplicate row: %(rep)s is already on row %(row)s")
                         % {"rep": rep.name, "row": on_row[key]})  # fmt: skip
            continue
        on_row[key] = number
        _check_rep_cells(title, rows, number, rep, result)
        read = _row_quotas(title, rows, number, columns, result)
        _check_closed_months(title, number, rep, read, columns, result)
        quotas[(team.unit.pk, key)] = read
    for rep in team.reps:
        if rep.key not in on_row:
            result.error(title, L.HEADER_ROW, key_column, rep.key,
                         _("%(rep)s's row is missing: put it back (a quota of 0 takes the month "
                           "away)") % {"rep": rep.name})  # fmt: skip


def _check_closed_months(
    title: str,
    number: int,
    rep: RepRow,
    read: dict[dt.date, Decimal],
    columns: dict[dt.date, int],
    result: WorkbookImport,
) -> None:
    """A month that has ended is frozen (``goals/periods.py``): its quotas may not change
    unless an admin has re-opened it."""
    freezer = result.freezer or Freezer()
    for month, new in read.items():
        if new == rep.months.get(month, ZERO):
            continue
        if freezer.frozen(month, add_months(month, 1)):
            reason = _(
                "%(month)s has ended, so its quotas are frozen: an admin can re-open the "
                "month, with a reason, to change them"
            ) % {"month": f"{month:%Y-%m}"}
            result.error(title, number, L.column_name(columns[month], month), new, reason)


def _is_blank(values: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _check_rep_cells(
    title: str, rows: Rows, number: int, rep: RepRow, result: WorkbookImport
) -> None:
    """A rep's name and e-mail address are locked: the key says who the row is."""
    for column, (header, expected) in enumerate(
        ((L.REP_HEADER, rep.name), (L.EMAIL_HEADER, rep.email)), start=2
    ):
        written = cell_value(rows, number, column)
        if not L.same_text(written, expected):
            result.error(title, number, L.column_name(column, header), written,
                         _("locked cell changed: %(key)s is %(expected)s")
                         % {"key": rep.key, "expected": repr(expected)})  # fmt: skip


def _row_quotas(
    title: str, rows: Rows, number: int, columns: dict[dt.date, int], result: WorkbookImport
) -> dict[dt.date, Decimal]:
    """A rep's quota of each month, as written on row ``number`` (errors for the others)."""
    months: dict[dt.date, Decimal] = {}
    for month, column in columns.items():
        value = cell_value(rows, number, column)
        try:
            months[month] = parse_quota(value)
        except ValueError as error:
            result.error(title, number, L.column_name(column, month), value, str(error))
    return months


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
        value = cell_value(rows, number, column)
        try:
            same = parse_quota(value) == expected.get(month, ZERO)
        except ValueError:
            same = False
        if not same:
            result.error(
                title, number, L.column_name(column, month), value,
                _("locked cell changed: the %(row)s row is computed from the reps' quotas (it "
                  "was %(was)s); change the reps' quotas instead")
                % {"row": str(L.COMPUTED_LABELS[key]).lower(), "was": expected.get(month, ZERO)},
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
