"""What every kind's parser shares: one row's ``Cells``, the import's ``Context``, the
``RowParser`` base class, and the accounts a batch's rows name (``AccountIndex``).
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.dates import Dates
from pacesetter.ledger.importers.hints import CLI, Hints, or_list
from pacesetter.ledger.importers.kinds.fields import FIELDS_BY_NAME, ColumnMap, missing_column
from pacesetter.ledger.importers.parsing import CellError, Kinds, Numbers, People, text
from pacesetter.ledger.importers.report import (
    ImportFileError,
    RowError,
    RowRejected,
    Understanding,
    shown,
)
from pacesetter.ledger.importers.tables import LedgerTable, Staged, chunks
from pacesetter.ledger.models import Account
from pacesetter.planning import WorkCalendar

T = TypeVar("T")


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
                self.fail(name, _("is empty"))
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

    def quick(self) -> Callable[[int, list[str]], Staged | None] | None:
        """A cheaper reader of the usual row, for this file's columns, or None (none here).

        Given a row's number and cells, it returns the row staged exactly as ``parse``
        would, counted in what the import understood, or None when the row is anything but
        plain (it then goes through ``parse``). It never rejects a row itself."""
        return None

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
            c.understood.warn(
                _("rows without an owner were not imported (%(fix)s to give them one)")
                % {"fix": fix}
            )
            return None
        several = len(self.columns.indices.get(name, ())) > 1
        candidates = self.columns.every(name, cells.cells or []) if several else []
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


def external_id(value: str) -> str:
    return text(value, 128)


def needs(columns: ColumnMap, name: str, context: Context, fallback: str) -> None:
    """Refuse a file without a column for ``name`` unless the option ``fallback`` is set."""
    if not columns.has(name) and getattr(context, fallback) is None:
        spec = next(s for s in FIELDS_BY_NAME[name])
        looked = or_list(repr(c) for c in spec.default_columns)
        otherwise = _("%(fix)s for every row") % {"fix": context.hints.option(fallback, "PERSON")}
        reason = missing_column(name, looked, columns.header, context.hints, otherwise)
        raise ImportFileError(RowError(1, name, "", reason))
