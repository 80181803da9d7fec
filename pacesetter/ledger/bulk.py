"""Fast, streaming inserts of many ledger rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

The ORM's ``bulk_create`` builds a model instance per row; at ten million rows that is
minutes of CPU and gigabytes of memory. ``BulkWriter`` takes plain tuples in database form
(foreign keys as ids, money as integer cents, datetimes aware), keeps at most one batch in
memory and writes it with the backend's fastest path. It writes inside the caller's
transaction: wrap it in ``transaction.atomic()`` for all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from django.db import connection, models


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's own (concrete) fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a column")
    return field.column


class BulkWriter:
    """Buffers rows for one model's table and writes them ``batch_size`` at a time."""

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], *, batch_size: int = 50_000
    ) -> None:
        meta = model._meta
        self.table = meta.db_table
        self.columns = [column_of(model, name) for name in fields]
        self.batch_size = batch_size
        self.written = 0
        self._rows: list[tuple[Any, ...]] = []
        self._vendor = connection.vendor
        # SQLite keeps datetimes as text in UTC without an offset, as Django writes them.
        self._datetime_positions = [
            i
            for i, name in enumerate(fields)
            if isinstance(meta.get_field(name), models.DateTimeField)
        ]

    def add(self, row: tuple[Any, ...]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.batch_size:
            self.flush()

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if self._vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
                # Raise Django's IntegrityError etc., as the ORM would.
                with (
                    connection.wrap_database_errors,
                    raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            else:
                if self._datetime_positions:
                    rows = [self._sqlite_row(row) for row in rows]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
        self.written += len(rows)

    def _sqlite_row(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i in self._datetime_positions:
            value = values[i]
            if isinstance(value, dt.datetime):
                if value.tzinfo is dt.UTC:  # the usual case: "…+00:00" without its offset
                    values[i] = value.isoformat(" ")[:-6]
                    continue
                if value.tzinfo is not None:
                    value = value.astimezone(dt.UTC).replace(tzinfo=None)
                values[i] = value.isoformat(" ")
        return tuple(values)

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()


_COPY_TYPES: dict[tuple[str, tuple[str, ...]], list[int]] = {}


def binary_copy_types(table: str, columns: Sequence[str]) -> list[int]:
    """The PostgreSQL type of each of ``table``'s ``columns`` (their oids), for a binary
    ``COPY``: rows are then sent as the values' bytes, without text to format and parse
    (a quarter of the time of the text format for a batch of activities). Asked once per
    process and table."""
    key = (table, tuple(columns))
    found = _COPY_TYPES.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [connection.ops.quote_name(table)],
            )
            types = dict(cursor.fetchall())
        found = _COPY_TYPES[key] = [int(types[column]) for column in columns]
    return found


class OpenCopy:
    """Rows sent to PostgreSQL by a ``COPY`` that is left open: the database writes them
    (heap and indexes) while the caller reads and checks the next rows, as a loader that
    streams one ``COPY`` would, instead of waiting for them first. Until ``finish()`` the
    connection can run no other statement."""

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> None:
        q = connection.ops.quote_name
        names = [column_of(model, name) for name in fields]
        columns = ", ".join(q(name) for name in names)
        types = binary_copy_types(model._meta.db_table, names)
        self._stack = ExitStack()
        with ExitStack() as opening:
            cursor = opening.enter_context(connection.cursor())
            opening.enter_context(connection.wrap_database_errors)
            copy = opening.enter_context(
                cursor.cursor.copy(
                    f"COPY {q(model._meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
                )
            )
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
            self._stack = opening.pop_all()

    def finish(self) -> None:
        """Wait for the rows to be written; the database's errors are raised here."""
        self._stack.close()
