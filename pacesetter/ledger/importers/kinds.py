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
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pacesetter.ledger.importers.dates import Dates
from pacesetter.ledger.importers.hints import CLI, Hints
from pacesetter.ledger.importers.parsing import (
    GENERIC,
    IGNORE,
    CellError,
    Kinds,
    Numbers,
    People,
    done,
    flag,
    norm,
    probability,
    segment,
    text,
)
from pacesetter.ledger.importers.presets import Preset
from pacesetter.ledger.importers.report import (
    ImportFileError,
    RowError,
    RowRejected,
    Understanding,
    shown,
)
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
    # An owner comes from its column or the import's default owner; the outcome from
    # status, is_closed/is_won, probability or the stage (at least one of them).
    "deals": (
        _f("external_id", True, "id"), _f("owner"), _f("stage"),
        _f("created", False, "created_on", "created_date", "create_date"),
        _f("closed", False, "closed_on", "close_date", "closed_date"), _f("amount", False, "value"),
        _f("status"), _f("is_closed"), _f("is_won", False, "won?"),
        _f("probability"), _f("modified", False, "modified_on", "updated"),
        _f("account"), _f("segment"), _f("name"), _f("product"),
    ),
    # A type comes from its column(s), the kind of export (a calls export), or the import's
    # default type; ``done`` (a status or yes/no) leaves out what was not done.
    "activities": (
        _f("external_id", True, "id"), _f("person"), _f("type", False, "kind"),
        _f("occurred", True, "occurred_at"), _f("done", False, "status"), _f("subject"),
        _f("account"), _f("segment"),
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

    def every(self, name: str, cells: list[str]) -> list[tuple[str, str]]:
        """Every candidate column's (name, value) of a field in a row, non-empty ones."""
        size = len(cells)
        return [(self.header[i], cells[i].strip()) for i in self.indices.get(name, ())
                if i < size and cells[i].strip()]  # fmt: skip

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
    kind: str,
    header: list[str],
    preset: Preset | None,
    mapping: dict[str, str],
    hints: Hints = CLI,
) -> ColumnMap:
    """Match the kind's fields to the header: ``--map`` first, else the preset's columns,
    else the field's own names (column names compared by ``norm``: ``CloseDate`` is
    ``Close Date``). Raises ``ImportFileError`` naming every missing column."""
    specs = {spec.name: spec for spec in FIELDS[kind]}
    unknown = sorted(set(mapping) - set(specs))
    if unknown:
        raise ImportFileError(RowError(1, "", ", ".join(unknown),
                              f"no such {kind} field (fields: {', '.join(specs)})"))  # fmt: skip
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        if norm(name):
            where.setdefault(norm(name), i)
    preset_columns = preset.kinds.get(kind, {}) if preset else {}
    indices: dict[str, tuple[int, ...]] = {}
    labels: dict[str, str] = {}
    errors = []
    for name, spec in specs.items():
        if name in mapping:
            candidates: tuple[str, ...] = (mapping[name],)
        else:
            # A preset's own columns for the field, else the field's names.
            candidates = preset_columns.get(name) or spec.default_columns
        found = tuple(dict.fromkeys(where[norm(c)] for c in candidates if norm(c) in where))
        if found:
            indices[name] = found
            labels[name] = header[found[0]]
        elif name in mapping:
            errors.append(RowError(1, mapping[name], "", f"the column given with "
                                   f"{hints.name('map')} {name}={mapping[name]} is not in the "
                                   f"file ({_columns_of(header)})"))  # fmt: skip
        elif spec.required:
            looked = " or ".join(repr(c) for c in candidates[:6])
            errors.append(RowError(1, candidates[0], "", missing_column(name, looked, header,
                                                                        hints)))  # fmt: skip
    if errors:
        raise ImportFileError(*errors)
    return ColumnMap(indices, labels, header)


def missing_column(name: str, looked: str, header: list[str], hints: Hints) -> str:
    return (f"missing column for the field {name!r} (looked for {looked}; the file has "
            f"{_columns_of(header)}; {hints.option('map', f'{name}=COLUMN')})")  # fmt: skip


def _columns_of(header: list[str], shown: int = 12) -> str:
    names = [repr(h) for h in header if h.strip()]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


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
    hints: Hints = CLI
    default_owner: int | None = None  # the person of rows without one (deals, activities)
    activity_type: str | None = None  # the kind of activities without a type
    probability_percent: bool = False  # the CRM writes probabilities in percent
    understood: Understanding = field(default_factory=Understanding)


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

    def finish(self) -> None:
        """Complete what the import understood once every row was read."""
        people = self.context.people
        understood = self.context.understood
        for value, rows in sorted(people.unmatched.items(), key=lambda kv: -kv[1])[:50]:
            understood.unmatched.append((value, rows, people.closest(value)))

    def _person(self, cells: Cells, name: str) -> int | None:
        """The row's person (its column, else the import's default owner); a row with
        none is left out with a warning (None), an unknown one is an error."""
        c = self.context
        if not cells.values.get(name):
            if c.default_owner is not None:
                return c.default_owner
            if not self.columns.has(name):
                return None  # refused as a whole by ``needs`` before any row
            fix = c.hints.option("default_owner", "PERSON")
            c.understood.warn(f"rows without an owner were not imported ({fix} to give them one)")
            return None
        candidates = self.columns.every(name, cells.cells or [])
        if len(candidates) > 1:  # e.g. OwnerId, then Owner.Email: the first that matches
            for _column, value in candidates:
                try:
                    found = c.people.find(value)
                except CellError:
                    continue
                if found is not None:
                    return found
        return cells.get(name, c.people.require)

    def _count_person(self, pk: int) -> None:
        names = self.context.people.names
        self.context.understood.per_person[names.get(pk, str(pk))] += 1

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
    """Activities: a row counts when it was done; its kind comes from the first of its type
    columns that names one (Salesforce's Type, then TaskSubtype …), else from the subject
    ("Email: …"), the kind of export (a calls export), or the import's default type."""

    table = ActivityTable

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        needs(columns, "person", context, "default_owner")
        self.implied = context.activity_type
        if not columns.has("type") and self.implied is None:
            raise ImportFileError(RowError(1, "", "", missing_column(
                "type", "'Type' or 'Activity type'", columns.header, context.hints
            ) + " or give every row one type"))  # fmt: skip

    def has(self, table_field: str) -> bool:
        if table_field == "account_id":
            return self.columns.has("account")
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def _kind(self, cells: Cells) -> str | None:
        kinds = self.context.kinds
        assert kinds is not None
        generic = None
        for column, value in self.columns.every("type", cells.cells or []):
            found = kinds.known(value)
            if found is None:
                if generic is None:
                    generic = ("unknown", column, value)
                continue
            if found == GENERIC:
                generic = generic or ("generic", column, value)
                continue
            return found
        subject = cells.values.get("subject")
        if subject:
            found = kinds.from_subject(subject)
            if found:
                return found
        if self.implied:
            return self.implied
        if generic is None:
            return None
        what, column, value = generic
        if what == "unknown":
            cells.errors.append(RowError(cells.row, column, shown(value), kinds.unknown(value)))
            return None
        self.context.understood.warn(
            f"done activities of type {value!r} are not a call, e-mail or meeting: not counted "
            f"({self.context.hints.option('type_map', repr(value + '=call'))} to count them)"
        )
        return IGNORE

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        understood = c.understood
        if self.columns.has("done"):
            finished = cells.get("done", done)
            if finished is False:
                understood.outcomes["not done (skipped)"] += 1
                return None
        kind = self._kind(cells)
        if kind is None and not cells.errors:
            cells.fail("type", "is empty" if self.columns.has("type") else "no type")
        if kind == IGNORE:
            cells.check()
            return None
        key = cells.get("external_id", _external_id, required=True)
        person = self._person(cells, "person")
        if person is None and not cells.errors:
            return None
        moment = cells.get("occurred", c.dates.moment, required=True)
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.check()
        occurred_at, month = moment  # type: ignore[misc]
        understood.outcomes[kind] += 1  # type: ignore[index]
        understood.day(occurred_at.astimezone(c.dates.zone).date())
        self._count_person(person)  # type: ignore[arg-type]
        return Staged(cells.row, key, (kind, person, occurred_at, None, seg), account, month)  # type: ignore[arg-type]

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 3, 4)


def needs(columns: ColumnMap, name: str, context: Context, fallback: str) -> None:
    """Refuse a file without a column for ``name`` unless the option ``fallback`` is set."""
    if not columns.has(name) and getattr(context, fallback) is None:
        spec = next(s for s in FIELDS_BY_NAME[name])
        looked = " or ".join(repr(c) for c in spec.default_columns)
        raise ImportFileError(RowError(1, name, "", missing_column(
            name, looked, columns.header, context.hints
        ) + f", or {context.hints.option(fallback, 'PERSON')} for every row"))  # fmt: skip


class DealParser(RowParser):
    """Deals: won, lost or open from the export's own columns first (a status; closed and
    won flags; a probability of 100 % or 0 %), then the stage's name (see ``_outcome``).

    Real exports carry rows an ideal file would not; they are kept, with a warning: a won
    deal without an amount (won, 0), a closed deal created after its close (the creation
    date is dropped, so it stays out of lead times), an open deal without a created date, a
    blank stage (open), a lost deal without a close date (lost on its last-modified date,
    else its created date)."""

    table = DealTable
    OPTIONAL = {"name": "name", "account_id": "account", "amount": "amount",
                "created_on": "created"}  # fmt: skip
    OUTCOME_FIELDS = ("status", "is_closed", "is_won", "probability", "stage")

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        needs(columns, "owner", context, "default_owner")
        if not any(columns.has(f) for f in self.OUTCOME_FIELDS):
            raise ImportFileError(RowError(1, "stage", "", missing_column(
                "stage", "'Stage', 'Status', 'Is Closed' or 'Is Won'", columns.header,
                context.hints)))  # fmt: skip
        self.with_close_date = 0  # rows that have a close date, won or not

    def has(self, table_field: str) -> bool:
        if table_field in self.OPTIONAL:
            return self.columns.has(self.OPTIONAL[table_field])
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def _by_stage(self, stage: str) -> str:
        c = self.context
        key = norm(stage)
        if key in c.won:
            return "won"
        if key in c.lost:
            return "lost"
        if key in c.open:
            return "open"
        words = set(re.findall(r"\w+", stage.casefold()))
        if "won" in words and "lost" not in words:
            return "won"
        if "lost" in words and "won" not in words:
            return "lost"
        if c.stages_strict:
            known = ", ".join(sorted(c.won | c.lost | c.open))
            raise CellError(f"unknown stage with {c.hints.name('stages_strict')} (known: {known})")
        return "open"

    def _status_cell(self, value: str) -> str:
        key = norm(value)
        if key in ("won", *self.context.won):
            return "won"
        if key in ("lost", *self.context.lost):
            return "lost"
        if key in ("open", "deleted"):
            return key
        raise CellError("unknown status (use open, won or lost)")

    def _outcome(self, cells: Cells, stage: str) -> str | None:
        """won, lost, open, or deleted (Pipedrive) — None when a cell is bad."""
        status = cells.get("status", self._status_cell)
        if status is not None:
            return status
        is_closed = cells.get("is_closed", flag)
        is_won = cells.get("is_won", flag)
        percent = self.context.probability_percent
        chance = cells.get("probability", lambda v: probability(v, percent=percent))
        if cells.errors:
            return None
        if is_closed is False:
            return "open"
        if is_won is True:
            return "won"
        if is_closed is True:
            if is_won is False:
                return "lost"
            if chance is not None and chance in (0, 1):
                return "won" if chance == 1 else "lost"
            return "won" if stage and self._by_stage(stage) == "won" else "lost"
        by_stage = self._by_stage(stage) if stage else "open"
        if by_stage == "open" and chance is not None and chance in (0, 1):
            return "won" if chance == 1 else "lost"
        return by_stage

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        understood = c.understood
        key = cells.get("external_id", _external_id, required=True)
        stage = cells.get("stage", lambda v: text(v, 64)) or ""
        try:
            status = self._outcome(cells, stage)
        except CellError as error:
            cells.fail("stage", str(error))
            status = None
        if status == "deleted":
            cells.check()
            understood.warn("deals marked deleted were not imported")
            return None
        owner = self._person(cells, "owner")
        if owner is None and not cells.errors:
            return None
        created = cells.get("created", c.dates.date)
        closed = cells.get("closed", c.dates.date)
        cents = cells.get("amount", c.numbers.cents)
        name = cells.get("name", lambda v: text(v, 200)) or ""
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.get("product", lambda v: text(v, 200))
        modified = cells.get("modified", c.dates.date)
        cells.check()
        if status == "open":
            closed = None  # an open deal's close date is only expected
            if created is None:
                understood.warn("open deals have no created date: imported without one")
        elif closed is None and status == "lost":
            closed = modified or created
            if closed is None:
                cells.fail("closed" if self.columns.has("closed") else "stage",
                           "a lost deal needs a close, last-modified or created date")  # fmt: skip
            else:
                understood.warn(f"lost deals have no close date: lost on their "
                                f"{'last-modified' if modified else 'created'} date")  # fmt: skip
        elif closed is None:
            cells.fail("closed" if self.columns.has("closed") else "stage",
                       "a won deal needs a close date")  # fmt: skip
        cells.check()
        if closed is not None and created is not None and closed < created:
            understood.warn("closed deals were created after they closed (records loaded "
                            "into the CRM later?): kept, without a created date, so they stay "
                            "out of lead times")  # fmt: skip
            created = None
        if status == "won" and not cells.values.get("amount"):
            understood.warn("won deals have no amount: imported as won with 0")
        if not stage and self.columns.has("stage"):
            understood.warn(f"deals have a blank stage: read as {status}")
        elif status == "open":
            understood.open_stages[stage] += 1
        if cells.values.get("closed"):
            self.with_close_date += 1  # an accepted row with a close date, won or not
        understood.outcomes[status] += 1  # type: ignore[index]
        understood.day(closed or created)
        self._count_person(owner)  # type: ignore[arg-type]
        if status == "won":
            understood.won_cents = (understood.won_cents or 0) + (cents or 0)
        values = (name, owner, None, cents or 0, stage, status, seg, created, closed)
        return Staged(cells.row, key, values, account)  # type: ignore[arg-type]

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 2, 6)

    def finish(self) -> None:
        super().finish()
        understood = self.context.understood
        understood.won_cents = understood.won_cents or 0
        if self.with_close_date and not understood.outcomes.get("won"):
            opened = ", ".join(understood.open_stages) or "none"
            fix = self.context.hints.option("won_stages", "STAGE")
            understood.warn(
                f"the file has close dates but no won deal: check which stages mean won "
                f"(stages read as open: {opened}; {fix})",
                self.with_close_date,
            )


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


FIELDS_BY_NAME: dict[str, list[FieldSpec]] = {}
for _specs in FIELDS.values():
    for _spec in _specs:
        FIELDS_BY_NAME.setdefault(_spec.name, []).append(_spec)

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
