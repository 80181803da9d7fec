"""The upsert engine: a batch of validated rows against one ledger table.

For each batch: load the stored rows of the batch's keys in one query, compare, INSERT the
new rows (``BulkWriter``: executemany on SQLite, COPY on PostgreSQL), UPDATE the changed ones
(one executemany), skip identical ones, and tell ``RollupDeltas`` about every change (the
old row with sign -1, the new with +1). Only the fields the file has a column for are
compared and updated: a column missing from the file never erases what is stored.

On PostgreSQL the comparing is done by the database (``batch_table.py``): the batch is
COPY'd (binary) into a temporary table, and only the rows that differ come back to Python.
Outside a step the database works while the engine reads the next batch: new rows of a
first import are sent by a COPY left open (``OpenCopy``), and the batches of a source that
has rows are compared by a thread on the import's connection (``_compare_meanwhile``);
``settle()`` waits for either.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, models
from django.utils import timezone

from pacesetter.ledger.bulk import BulkWriter, OpenCopy, column_of
from pacesetter.ledger.importers.batch_table import BatchTable
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.ledger.rollups import RollupDeltas

Values = tuple[Any, ...]
# Told, inside a write's transaction, the keys it inserts and the rows it changes: (id, key,
# values before).
Journal = Callable[[list[str], list[tuple[int, str, Values]]], None]


class Staged:
    """A validated row waiting for its batch: its key and its values in the table's order."""

    __slots__ = ("account", "key", "month", "row", "values")

    def __init__(
        self,
        row: int,
        key: str,
        values: Values,
        account: str | None = None,
        month: dt.date | None = None,
    ) -> None:
        self.row = row
        self.key = key
        self.values = values
        self.account = account  # the account named by the row, resolved per batch
        self.month = month  # an activity's month in the org's zone (for the rollups)


class _Meanwhile:
    """A batch's statements run by a thread (``LedgerTable._compare_meanwhile``)."""

    def __init__(self, work: Callable[[], list]) -> None:
        self._result: list = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], list]) -> None:
        try:
            self._result = work()
        except BaseException as error:  # raised again in the engine's thread by ``wait``
            self._error = error

    def wait(self) -> list:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A datetime as SQLite's driver reads it back: in UTC, without an offset."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _same(value: Any) -> Any:
    return value


def _raw_adapter(field: Any, adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """How a staged value of ``field`` compares with SQLite's driver's (Django's converters
    read dates and naive UTC datetimes; Django's own reading makes those aware)."""
    if isinstance(field, models.DateTimeField):
        return _naive_utc
    if isinstance(field, models.DateField):
        return _same
    return adapt


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def max_params() -> int:
    """How many parameters one statement may carry on this database (with a margin)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(limit - 10, 100)
    return 30_000


class LedgerTable:
    """Compare-and-write of one ledger model, keyed by (source, external id)."""

    model: type[Account | Activity | Deal | ManualEntry]
    fields: tuple[str, ...]  # attnames of the compared values, in ``Staged.values`` order
    keyed_by_source = True  # rows are matched by (source, external id)

    def __init__(self, *, source: str, present: tuple[bool, ...], deltas: RollupDeltas) -> None:
        self.source = source
        self.present = present
        self.all_present = all(present)
        self.deltas = deltas
        meta = self.model._meta
        self._adapters = [self._adapter(meta.get_field(name)) for name in self.fields]
        self._chunk = min(5_000, max_params() - 5)
        self._update_sql = self._build_update_sql()
        # A first import of a source matches nothing stored: skip a query per batch. Rows
        # this import writes are never matched again (SeenKeys refuses repeated keys).
        self._anything_stored = self.has_rows()
        self._batch_table: BatchTable | None = None
        self._open_copy: OpenCopy | None = None
        self._meanwhile: _Meanwhile | None = None
        self._meanwhile_batch: list[Staged] = []
        # The compared fields as SQLite's driver returns them (``_skip_unchanged``).
        self._raw_adapters = [
            (i, _raw_adapter(meta.get_field(name), adapt))
            for i, (name, adapt, p) in enumerate(
                zip(self.fields, self._adapters, present, strict=True)
            )
            if p
        ]
        self._raw_columns = ", ".join(
            connection.ops.quote_name(column_of(self.model, name))
            for name, p in zip(self.fields, present, strict=True)
            if p
        )
        if connection.vendor == "postgresql" and self.keyed_by_source:
            self._batch_table = BatchTable(self.model, self.fields, present)

    # --- reading --------------------------------------------------------------------

    def has_rows(self) -> bool:
        """Whether any stored row could match (checked once, before the first batch)."""
        return self.model.objects.filter(source=self.source).exists()

    def load(self, keys: list[str]) -> dict[str, tuple[int, Values]]:
        """The stored rows of ``keys``: key → (id, values)."""
        found: dict[str, tuple[int, Values]] = {}
        for chunk in chunks(keys, self._chunk):
            rows = self.model.objects.filter(source=self.source, external_id__any_of=chunk)
            for pk, key, *values in rows.values_list("id", "external_id", *self.fields):
                found[key] = (pk, self.from_db(values))
        return found

    def from_db(self, values: list[Any]) -> Values:
        return tuple(values)

    # --- comparing and writing ------------------------------------------------------

    def apply(
        self, batch: list[Staged], *, write: bool, journal: Journal | None = None
    ) -> tuple[int, int, int]:
        """Upsert ``batch`` (keys unique); returns (created, updated, unchanged).
        ``journal`` is told the keys inserted and the (id, key, old values) of the rows
        changed, so that the write can be undone (``steps.py``). Without a journal, on
        PostgreSQL, the new rows may still be being written on return: ``settle()``."""
        self.settle()
        if self._batch_table is not None and self._anything_stored:
            if journal is None:
                self._compare_meanwhile(self._batch_table, batch, write=write)
                return 0, 0, 0  # counted by ``settle``
            return self._apply_in_sql(self._batch_table, batch, write=write, journal=journal)
        unchanged = 0
        if not self._anything_stored:
            stored: dict[str, tuple[int, Values]] = {}
        elif self.keyed_by_source and connection.vendor == "sqlite":
            batch, unchanged, differing = self._skip_unchanged(batch)
            stored = self.load(differing) if differing else {}
        else:
            stored = self.load([s.key for s in batch])
        inserts: list[Staged] = []
        updates: list[Values] = []
        before: list[tuple[int, str, Values]] = []
        for staged in batch:
            old = stored.get(staged.key)
            if old is None:
                inserts.append(staged)
                self.rollup_new(staged)
                continue
            pk, old_values = old
            new_values = staged.values if self.all_present else self._merge(staged, old_values)
            if new_values == old_values:
                unchanged += 1
                continue
            updates.append((*new_values, pk))
            before.append((pk, staged.key, old_values))
            self.rollup(old_values, -1)
            self.rollup(new_values, 1)
        if write:
            if journal is not None:
                journal([s.key for s in inserts], before)
            self.write_updates(updates)
            # Outside a step, PostgreSQL writes the new rows while the next batch is read.
            self._insert(inserts, keep_open=journal is None and connection.vendor == "postgresql")
        return len(inserts), len(updates), unchanged

    def _skip_unchanged(self, batch: list[Staged]) -> tuple[list[Staged], int, list[str]]:
        """Set aside the rows stored exactly as staged, compared as SQLite's driver returns
        them (no model field's conversion, no row of Python values built unless it differs):
        (the other rows, how many were set aside, the keys of the stored rows that may
        differ). Those are loaded and compared as before, so a value read back in another
        form is never taken for a change."""
        q = connection.ops.quote_name
        stored: dict[str, tuple[Any, ...]] = {}
        with connection.cursor() as cursor:
            for chunk in chunks([s.key for s in batch], self._chunk):
                cursor.execute(
                    f"SELECT external_id, {self._raw_columns} FROM {q(self.model._meta.db_table)} "
                    "WHERE source = %s AND external_id IN (SELECT value FROM json_each(%s))",
                    [self.source, json.dumps(chunk)],
                )
                for key, *values in cursor.fetchall():
                    stored[key] = tuple(values)
        rest: list[Staged] = []
        differing: list[str] = []
        raw = self._raw_adapters
        for staged in batch:
            found = stored.get(staged.key)
            if found is None:
                rest.append(staged)
                continue
            values = staged.values
            if found == tuple([adapt(values[i]) for i, adapt in raw]):
                continue
            rest.append(staged)
            differing.append(staged.key)
        return rest, len(batch) - len(rest), differing

    def _apply_in_sql(
        self, table: BatchTable, batch: list[Staged], *, write: bool, journal: Journal | None
    ) -> tuple[int, int, int]:
        """``apply`` with the comparing done by the database: only the rows that differ
        come back, as they are stored, for the rollups and the journal."""
        table.fill((s.key, *s.values) for s in batch)
        by_key = {s.key: s for s in batch}
        created: list[str] = []
        before: list[tuple[int, str, Values]] = []
        for pk, key, *values in table.compare(self.source):
            staged = by_key[key]
            if pk is None:
                created.append(key)
                self.rollup_new(staged)
                continue
            old_values = self.from_raw(values)
            before.append((pk, key, old_values))
            self.rollup(old_values, -1)
            self.rollup(staged.values if self.all_present else self._merge(staged, old_values), 1)
        if write:
            if journal is not None:
                journal(created, before)
            if before:
                table.update([pk for pk, _key, _old in before])
            if created:
                table.insert(self.source, created)
        return len(created), len(before), len(batch) - len(created) - len(before)

    def _compare_meanwhile(self, table: BatchTable, batch: list[Staged], *, write: bool) -> None:
        """``_apply_in_sql`` without a journal, its statements sent by a thread on the
        import's connection while the engine reads and checks the next batch (on two cores
        the database compares one batch while Python parses the next: a re-import of rows
        stored as they are is then about as long as reading the file). ``settle`` waits for
        it, and tells the rollups and the counts what it found."""
        raw = connection.connection
        rows = [(s.key, *s.values) for s in batch]
        self._meanwhile = _Meanwhile(lambda: table.run(raw, self.source, rows, write=write))
        self._meanwhile_batch = batch

    def _compared(self, found: list, batch: list[Staged]) -> tuple[int, int, int]:
        """The rollups and counts of a batch compared by ``_compare_meanwhile``."""
        by_key = {s.key: s for s in batch}
        created = updated = 0
        for pk, key, *values in found:
            staged = by_key[key]
            if pk is None:
                created += 1
                self.rollup_new(staged)
                continue
            old_values = self.from_raw(values)
            updated += 1
            self.rollup(old_values, -1)
            self.rollup(staged.values if self.all_present else self._merge(staged, old_values), 1)
        return created, updated, len(batch) - created - updated

    def from_raw(self, values: list[Any]) -> Values:
        """Values as the database driver returns them, in ``Staged.values`` form."""
        return tuple(values)

    def settle(self) -> tuple[int, int, int]:
        """Wait for the rows of the last batch still being written (``OpenCopy``) or
        compared (``_compare_meanwhile``): call it before anything else uses the connection.
        Returns the (created, updated, unchanged) of a batch compared meanwhile (zeros
        otherwise: ``apply`` returned them). Raises the database's errors."""
        if self._open_copy is not None:
            pending, self._open_copy = self._open_copy, None
            pending.finish()
        if self._meanwhile is not None:
            meanwhile, self._meanwhile = self._meanwhile, None
            batch, self._meanwhile_batch = self._meanwhile_batch, []
            with connection.wrap_database_errors:
                found = meanwhile.wait()
            return self._compared(found, batch)
        return 0, 0, 0

    def close(self) -> None:
        """Drop what the import created for itself (inside its transaction, on the way out)."""
        if self._batch_table is not None:
            self._batch_table.close()

    def _merge(self, staged: Staged, old: Values) -> Values:
        return tuple(
            n if p else o for n, o, p in zip(staged.values, old, self.present, strict=True)
        )

    def insert_fields(self) -> list[str]:
        return ["source", "external_id", *self.fields]

    def insert_row(self, staged: Staged) -> Values:
        return (self.source, staged.key, *staged.values)

    def _insert(self, inserts: list[Staged], *, keep_open: bool = False) -> None:
        if not inserts:
            return
        if keep_open:
            self._open_copy = OpenCopy(
                self.model, self.insert_fields(), (self.insert_row(s) for s in inserts)
            )
            return
        with BulkWriter(self.model, self.insert_fields(), batch_size=len(inserts)) as writer:
            writer.extend(self.insert_row(s) for s in inserts)

    def _build_update_sql(self) -> str:
        q = connection.ops.quote_name
        meta = self.model._meta
        sets = ", ".join(
            f"{q(column_of(self.model, name))} = %s"
            for name, present in zip(self.fields, self.present, strict=True)
            if present
        )
        return f"UPDATE {q(meta.db_table)} SET {sets} WHERE {q(meta.pk.column)} = %s"

    def write_updates(self, updates: list[Values]) -> None:
        """UPDATE rows: each is the values of the present fields, then the id."""
        if not updates:
            return
        params = [self.update_params(row) for row in updates]
        with connection.cursor() as cursor:
            cursor.executemany(self._update_sql, params)

    def update_params(self, row: Values) -> list[Any]:
        """The SET values of the present fields, then the id (the last item of ``row``)."""
        adapters, present = self._adapters, self.present
        return [adapt(v) for adapt, v, p in zip(adapters, row, present, strict=False) if p] + [
            row[-1]
        ]

    def _adapter(self, field: Any) -> Callable[[Any], Any]:
        ops = connection.ops
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.Field) and hasattr(field, "places"):
            return lambda v: None if v is None else int(v.scaleb(field.places))
        return lambda v: v

    def still_written(self, ids: list[int], stamp: dt.datetime) -> set[int]:
        """Of the rows ``ids``, those still as an import stamped ``stamp`` left them: all,
        since only imports write these tables and one is written at a time."""
        del stamp
        return set(ids)

    # --- rollups --------------------------------------------------------------------

    def rollup(self, values: Values, sign: int) -> None:
        """Tell the rollups that a row with ``values`` appeared (+1) or went (-1)."""

    def rollup_new(self, staged: Staged) -> None:
        self.rollup(staged.values, 1)


class ActivityTable(LedgerTable):
    model = Activity
    fields = ("kind", "person_id", "occurred_at", "account_id", "segment")

    def rollup(self, values: Values, sign: int) -> None:
        kind, person_id, occurred_at, account_id, segment = values
        self.deltas.activity(person_id, occurred_at, kind, segment, sign, account_id)

    def rollup_new(self, staged: Staged) -> None:
        if staged.month is None:
            self.rollup(staged.values, 1)
            return
        # The month in the org's zone was worked out while parsing: no second conversion.
        kind, person_id, _, account_id, segment = staged.values
        self.deltas.count_activity(person_id, staged.month, kind, segment, 1, account_id)


class DealTable(LedgerTable):
    model = Deal
    fields = ("name", "owner_id", "account_id", "amount", "stage", "status", "segment",
              "created_on", "closed_on")  # fmt: skip
    AMOUNT = 3

    def from_db(self, values: list[Any]) -> Values:
        values[self.AMOUNT] = int(values[self.AMOUNT] * 100)  # Decimal → cents, as parsed
        return tuple(values)

    def _adapter(self, field: Any) -> Callable[[Any], Any]:
        if field.name == "amount":
            return lambda cents: cents  # already in cents
        return super()._adapter(field)

    def rollup(self, values: Values, sign: int) -> None:
        _, owner_id, _, cents, _, status, segment, _, closed_on = values
        self.deltas.deal(owner_id, status, closed_on, cents, segment, sign)


class AccountTable(LedgerTable):
    model = Account
    fields = ("name", "segment", "owner_id", "acquired_on", "churned_on")


class EntryTable(LedgerTable):
    """Manual entries are one per (person, metric, part of a week): that is their key,
    whatever the source, so an entry typed in the web form is updated by the sheet, never
    duplicated. A part starts on ``first_day`` (see ``ManualEntry``)."""

    model = ManualEntry
    fields = ("value", "note")
    keyed_by_source = False

    def __init__(self, *, entered_by_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entered_by_id = entered_by_id
        self.now = timezone.now()
        q = connection.ops.quote_name
        # updated_at is auto_now: raw SQL has to set it (the key is appended last).
        self._update_sql = self._update_sql.replace(" WHERE ", f", {q('updated_at')} = %s WHERE ")

    def has_rows(self) -> bool:
        return ManualEntry.objects.exists()  # entries match across sources

    @staticmethod
    def key(person_id: int, metric: str, first_day: dt.date) -> str:
        return f"{metric}/{first_day.isoformat()}/{person_id}"

    def load(self, keys: list[str]) -> dict[str, tuple[int, Values]]:
        parts = [k.split("/") for k in keys]
        metrics = sorted({p[0] for p in parts})
        days = sorted({dt.date.fromisoformat(p[1]) for p in parts})
        people = sorted({int(p[2]) for p in parts})
        found: dict[str, tuple[int, Values]] = {}
        for chunk in chunks(people, self._chunk):
            rows = ManualEntry.objects.filter(
                person_id__in=chunk, metric__in=metrics, first_day__in=days
            ).values_list("id", "person_id", "metric", "first_day", "value", "note")
            for pk, person_id, metric, first_day, value, note in rows:
                found[self.key(person_id, metric, first_day)] = (pk, (value, note))
        return found

    def insert_fields(self) -> list[str]:
        return ["source", "external_id", "person_id", "metric", "first_day", "value", "note",
                "entered_by_id", "updated_at"]  # fmt: skip

    def insert_row(self, staged: Staged) -> Values:
        metric, first_day, person_id = staged.key.split("/")
        value, note = staged.values
        return (self.source, staged.key, int(person_id), metric, dt.date.fromisoformat(first_day),
                int(value.scaleb(2)), note, self.entered_by_id, self.now)  # fmt: skip

    def still_written(self, ids: list[int], stamp: dt.datetime) -> set[int]:
        """Entries are also saved on the web: only those still stamped by the import."""
        found: set[int] = set()
        for chunk in chunks(ids, self._chunk):
            found.update(
                ManualEntry.objects.filter(pk__in=chunk, updated_at=stamp).values_list(
                    "pk", flat=True
                )
            )
        return found

    def update_params(self, row: Values) -> list[Any]:
        params = super().update_params(row)
        params.insert(-1, connection.ops.adapt_datetimefield_value(self.now))
        return params


TABLES: dict[str, type[LedgerTable]] = {
    "activities": ActivityTable,
    "deals": DealTable,
    "accounts": AccountTable,
    "entries": EntryTable,
}
