"""What each import kind's rows hold, and how a row becomes a validated ``Staged`` row.

The fields of each kind are the vocabulary of ``--map field=column``. A parser reads the
cells of one row (no database access beyond cached look-ups), collects one error per bad
cell, and either rejects the whole row or stages it for its batch; accounts named by rows
are looked up once per batch (``resolve``).
"""

from __future__ import annotations

import abc
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pacesetter.ledger.importers.dates import Dates
from pacesetter.ledger.importers.parsing import (
    IGNORE,
    CellError,
    Kinds,
    Numbers,
    People,
    norm,
    segment,
    text,
)
from pacesetter.ledger.importers.presets import Preset
from pacesetter.ledger.importers.report import ImportFileError, RowError, RowRejected, shown
from pacesetter.ledger.importers.tables import (
    AccountTable,
    ActivityTable,
    DealTable,
    EntryTable,
    LedgerTable,
    Staged,
    chunks,
)
from pacesetter.ledger.models import Account
from pacesetter.planning import WorkCalendar, parse_period, week_of, week_part_of, week_parts

T = TypeVar("T")
_WEEK_LABEL = re.compile(r"\d{4}-[Ww]\d{2}")


@dataclass(frozen=True)
class FieldSpec:
    """A field of an import kind: ``columns`` are the file columns looked for by default."""

    name: str
    required: bool = False
    columns: tuple[str, ...] = ()

    @property
    def default_columns(self) -> tuple[str, ...]:
        return self.columns or (self.name,)


def _f(name: str, required: bool = False, *also: str) -> FieldSpec:
    return FieldSpec(name, required, (name, *also))


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "deals": (
        _f("external_id", True, "id"), _f("owner", True), _f("stage", True),
        _f("created", True, "created_on"), _f("closed", False, "closed_on"), _f("amount"),
        _f("status"), _f("account"), _f("segment"), _f("name"), _f("product"),
    ),
    "activities": (
        _f("external_id", True, "id"), _f("person", True), _f("type", True, "kind"),
        _f("occurred", True, "occurred_at"), _f("account"), _f("segment"),
    ),
    "accounts": (
        _f("external_id", True, "id"), _f("name", True), _f("segment"),
        _f("acquired", False, "acquired_on"), _f("churned", False, "churned_on"), _f("owner"),
    ),
    # The weekly template has both an "E-mail" and a "Person" column: the e-mail wins.
    "entries": (
        FieldSpec("person", True, ("email", "e-mail", "person")), _f("metric", True),
        _f("week", True, "week_start"), _f("value", True), _f("note"),
    ),
    "org": (
        _f("person", True, "name", "full_name"), _f("email", False, "e-mail"),
        _f("team", True), _f("manager"), _f("parent_unit", False, "parent"),
        _f("region"), _f("crm_id", False, "user_id", "owner_id"), _f("role"),
    ),
}  # fmt: skip
KINDS = tuple(FIELDS)


@dataclass
class ColumnMap:
    """Where each field's value is in a row: candidate indices, the first non-empty wins."""

    indices: dict[str, tuple[int, ...]]
    labels: dict[str, str]  # field → the column name shown in errors
    header: list[str]

    def has(self, name: str) -> bool:
        return name in self.indices

    def label(self, name: str, cells: list[str] | None = None) -> str:
        """The column a field's value came from (of several candidates, the non-empty one)."""
        if cells is not None and len(self.indices.get(name, ())) > 1:
            for i in self.indices[name]:
                if i < len(cells) and cells[i].strip():
                    return self.header[i]
        return self.labels.get(name, name)

    def extract(self, cells: list[str]) -> dict[str, str]:
        found = {}
        size = len(cells)
        for name, indices in self.indices.items():
            value = ""
            for i in indices:
                if i < size:
                    value = cells[i].strip()
                    if value:
                        break
            found[name] = value
        return found


def resolve_columns(
    kind: str, header: list[str], preset: Preset | None, mapping: dict[str, str]
) -> ColumnMap:
    """Match the kind's fields to the header: ``--map`` first, else the preset, else the
    field's own name. Raises ``ImportFileError`` naming every missing column."""
    specs = {spec.name: spec for spec in FIELDS[kind]}
    unknown = sorted(set(mapping) - set(specs))
    if unknown:
        raise ImportFileError(RowError(1, "", ", ".join(unknown),
                              f"no such {kind} field (fields: {', '.join(specs)})"))  # fmt: skip
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        where.setdefault(norm(name), i)
    preset_columns = preset.kinds.get(kind, {}) if preset else {}
    indices: dict[str, tuple[int, ...]] = {}
    labels: dict[str, str] = {}
    errors = []
    for name, spec in specs.items():
        if name in mapping:
            candidates: tuple[str, ...] = (mapping[name],)
        elif preset is not None:
            candidates = preset_columns.get(name, ())
        else:
            candidates = spec.default_columns
        found = tuple(where[norm(c)] for c in candidates if norm(c) in where)
        if found:
            indices[name] = found
            labels[name] = header[found[0]]
        elif name in mapping:
            errors.append(RowError(1, mapping[name], "", f"the column given with --map "
                                   f"{name}={mapping[name]} is not in the file"))  # fmt: skip
        elif spec.required:
            looked = " or ".join(repr(c) for c in candidates) or "(none in the preset)"
            errors.append(RowError(1, candidates[0] if candidates else name, "",
                                   f"missing column for the required field {name!r} "
                                   f"(looked for {looked}; use --map {name}=COLUMN)"))  # fmt: skip
    if errors:
        raise ImportFileError(*errors)
    return ColumnMap(indices, labels, header)


class Cells:
    """One row's cells: parse each field, collecting one error per bad cell."""

    def __init__(
        self, row: int, values: dict[str, str], columns: ColumnMap, cells: list[str] | None = None
    ) -> None:
        self.row, self.values, self.columns, self.cells = row, values, columns, cells
        self.errors: list[RowError] = []

    def get(self, name: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        raw = self.values.get(name, "")
        if not raw:
            if required:
                self.fail(name, "is empty")
            return None
        try:
            return parse(raw)
        except CellError as error:
            self.fail(name, str(error))
            return None

    def fail(self, name: str, reason: str) -> None:
        label = self.columns.label(name, self.cells)
        self.errors.append(RowError(self.row, label, shown(self.values.get(name, "")), reason))

    def check(self) -> None:
        if self.errors:
            raise RowRejected(self.errors)


@dataclass
class Context:
    """What every row of an import is checked against (loaded once)."""

    people: People
    dates: Dates
    numbers: Numbers
    source: str
    kinds: Kinds | None = None
    won: frozenset[str] = frozenset()
    lost: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    stages_strict: bool = False
    metrics: dict[str, str] | None = None  # spelling → metric name
    calendar: WorkCalendar | None = None


class RowParser(abc.ABC):
    """Turns rows of one kind into ``Staged`` rows for its table (one subclass per kind)."""

    table: type[LedgerTable]

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        self.context, self.columns = context, columns
        self.accounts = AccountIndex(context.source)
        self.unmatched_accounts = 0

    def present(self) -> tuple[bool, ...]:
        """Which of the table's fields the file speaks for (the others are left alone)."""
        return tuple(self.has(f) for f in self.table.fields)

    def has(self, table_field: str) -> bool:
        return True

    @abc.abstractmethod
    def parse(self, cells: Cells) -> Staged | None:
        """The row as a ``Staged`` row, None to ignore it; ``RowRejected`` names the error."""

    def resolve(self, batch: list[Staged]) -> None:
        """Fill in the accounts the batch's rows name (one query per batch)."""
        del batch  # kinds whose rows name no accounts have nothing to fill in

    def _resolve_accounts(self, batch: list[Staged], account_at: int, segment_at: int) -> None:
        refs = {s.account for s in batch if s.account}
        if not refs:
            return
        found = self.accounts.find(refs)
        for staged in batch:
            if not staged.account:
                continue
            match = found.get(staged.account)
            if match is None:
                self.unmatched_accounts += 1  # stored without account, its segment kept
                continue
            values = list(staged.values)
            values[account_at] = match[0]
            values[segment_at] = values[segment_at] or match[1]
            staged.values = tuple(values)


class AccountIndex:
    """Accounts of one source by external id or exact name; names held by several accounts
    match none of them (a guess would be worse than no account)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._cache: dict[str, tuple[int, str] | None] = {}

    def find(self, refs: set[str]) -> dict[str, tuple[int, str]]:
        missing = [r for r in refs if r not in self._cache]
        if len(self._cache) + len(missing) > 100_000:
            self._cache.clear()  # keep memory flat on huge files
            missing = list(refs)
        by_id: dict[str, tuple[int, str]] = {}
        by_name: dict[str, list[tuple[int, str]]] = {}
        for chunk in chunks(missing, 2_000):
            rows = Account.objects.filter(source=self.source).filter(
                external_id__in=chunk
            ) | Account.objects.filter(source=self.source, name__in=chunk)
            for pk, external_id, name, seg in rows.values_list("id", "external_id", "name",
                                                               "segment"):  # fmt: skip
                by_id[external_id] = (pk, seg)
                by_name.setdefault(name, []).append((pk, seg))
        for ref in missing:
            named = by_name.get(ref, [])
            self._cache[ref] = by_id.get(ref) or (named[0] if len(named) == 1 else None)
        return {r: hit for r in refs if (hit := self._cache.get(r)) is not None}


def _external_id(value: str) -> str:
    return text(value, 128)


class ActivityParser(RowParser):
    table = ActivityTable

    def has(self, table_field: str) -> bool:
        if table_field == "account_id":
            return self.columns.has("account")
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        kind = cells.get("type", c.kinds.kind, required=True)  # type: ignore[union-attr]
        if kind == IGNORE:  # e.g. HubSpot notes and tasks: not activities Pacesetter counts
            return None
        key = cells.get("external_id", _external_id, required=True)
        person = cells.get("person", c.people.require, required=True)
        moment = cells.get("occurred", c.dates.moment, required=True)
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.check()
        occurred_at, month = moment  # type: ignore[misc]
        return Staged(cells.row, key, (kind, person, occurred_at, None, seg), account, month)  # type: ignore[arg-type]

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 3, 4)


class DealParser(RowParser):
    table = DealTable
    OPTIONAL = {"name": "name", "account_id": "account", "amount": "amount"}

    def has(self, table_field: str) -> bool:
        if table_field in self.OPTIONAL:
            return self.columns.has(self.OPTIONAL[table_field])
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def _status(self, stage: str | None, status: str | None) -> str:
        c = self.context
        if status is not None:
            return status
        key = norm(stage or "")
        if key in c.won:
            return "won"
        if key in c.lost:
            return "lost"
        if c.stages_strict and key not in c.open:
            known = ", ".join(sorted(c.won | c.lost | c.open))
            raise CellError(f"unknown stage with --stages-strict (known: {known})")
        return "open"

    def _status_cell(self, value: str) -> str:
        key = norm(value)
        if key in ("won", *self.context.won):
            return "won"
        if key in ("lost", *self.context.lost):
            return "lost"
        if key == "open":
            return "open"
        raise CellError("unknown status (use open, won or lost)")

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        key = cells.get("external_id", _external_id, required=True)
        owner = cells.get("owner", c.people.require, required=True)
        stage = cells.get("stage", lambda v: text(v, 64), required=True)
        given = cells.get("status", self._status_cell)
        status = "open"
        if stage is not None:
            try:
                status = self._status(stage, given)
            except CellError as error:
                cells.fail("stage", str(error))
        created = cells.get("created", c.dates.date, required=True)
        closed = cells.get("closed", c.dates.date) if status != "open" else None
        cents = cells.get("amount", c.numbers.cents)
        name = cells.get("name", lambda v: text(v, 200)) or ""
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.get("product", lambda v: text(v, 200))
        if status != "open" and closed is None and not cells.values.get("closed"):
            cells.fail("closed" if self.columns.has("closed") else "stage",
                       f"a {status} deal needs a close date")  # fmt: skip
        if closed is not None and created is not None and closed < created:
            cells.fail("closed", f"closes before it was created ({created.isoformat()})")
        if status == "won" and self.columns.has("amount") and not cells.values.get("amount"):
            cells.fail("amount", "a won deal needs an amount")
        cells.check()
        values = (name, owner, None, cents or 0, stage, status, seg, created, closed)
        return Staged(cells.row, key, values, account)  # type: ignore[arg-type]

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 2, 6)


class AccountParser(RowParser):
    table = AccountTable
    OPTIONAL = {"segment": "segment", "owner_id": "owner", "acquired_on": "acquired",
                "churned_on": "churned"}  # fmt: skip

    def has(self, table_field: str) -> bool:
        column = self.OPTIONAL.get(table_field)
        return column is None or self.columns.has(column)

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        key = cells.get("external_id", _external_id, required=True)
        name = cells.get("name", lambda v: text(v, 200), required=True)
        seg = cells.get("segment", segment) or ""
        owner = cells.get("owner", c.people.require)
        acquired = cells.get("acquired", c.dates.date)
        churned = cells.get("churned", c.dates.date)
        if churned is not None and acquired is None and not cells.values.get("acquired"):
            cells.fail("churned", "a churned customer needs an acquired date")
        elif churned is not None and acquired is not None and churned < acquired:
            cells.fail("churned", f"churned before it was acquired ({acquired.isoformat()})")
        cells.check()
        return Staged(cells.row, key, (name, seg, owner, acquired, churned))  # type: ignore[arg-type]


class EntryParser(RowParser):
    """Weekly numbers; a row with an empty value is skipped (not filled in yet).

    The week column holds a week (``2026-W48``) or a date. A week that straddles two months
    is reported in two parts, one per month (``planning.week_parts``): a date names the part
    of its week in its own month, and a week label of such a week is refused, since it
    cannot say which month the number belongs to.
    """

    table = EntryTable

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        self.straddling = 0  # rows in a week that straddles two months (a note says so)

    def has(self, table_field: str) -> bool:
        return table_field != "note" or self.columns.has("note")

    def _metric(self, value: str) -> str:
        metrics = self.context.metrics or {}
        found = metrics.get(norm(value))
        if found is None:
            known = ", ".join(sorted(set(metrics.values()))) or "none defined"
            raise CellError(f"not a manual-entry metric (known: {known})")
        return found

    def _first_day(self, value: str) -> dt.date:
        """The first day of the part of a week the row reports (see the class docstring)."""
        calendar = self.context.calendar or WorkCalendar()
        if _WEEK_LABEL.fullmatch(value):
            try:
                period = parse_period(value, calendar)
            except ValueError as error:
                raise CellError(str(error)) from None
            parts = week_parts(period)
            if len(parts) > 1:
                (first, _), (second, end) = parts
                last = end - dt.timedelta(days=1)
                raise CellError(
                    f"week {period.label} runs from {first} to {last}, across two months: "
                    f"report each month's part on its own row, with the part's first day "
                    f"({first} or {second}) in this column"
                )
            return period.start
        day = self.context.dates.date(value)
        first_day, _end = week_part_of(day, calendar)
        if len(week_parts(week_of(day, calendar))) > 1:
            self.straddling += 1
        return first_day

    def parse(self, cells: Cells) -> Staged | None:
        if not cells.values.get("value") and not cells.values.get("note"):
            return None  # a template row nobody filled in
        c = self.context
        person = cells.get("person", c.people.require, required=True)
        metric = cells.get("metric", self._metric, required=True)
        first_day = cells.get("week", self._first_day, required=True)
        value = cells.get("value", c.numbers.decimal)
        note = cells.get("note", lambda v: text(v, 500)) or ""
        cells.check()
        if value is None:
            return None
        key = EntryTable.key(person, metric, first_day)  # type: ignore[arg-type]
        return Staged(cells.row, key, (value, note))


PARSERS: dict[str, type[RowParser]] = {
    "activities": ActivityParser,
    "deals": DealParser,
    "accounts": AccountParser,
    "entries": EntryParser,
}


def describe_fields(kind: str) -> list[dict[str, Any]]:
    """The kind's fields for help texts and docs: name, required, default columns."""
    return [
        {"field": s.name, "required": s.required, "columns": list(s.default_columns)}
        for s in FIELDS[kind]
    ]
