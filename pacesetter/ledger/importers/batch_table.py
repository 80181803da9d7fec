"""A batch of an import compared with the stored rows in SQL (PostgreSQL).

Loading the stored rows of every batch into Python to compare them cost a re-import nearly
as much as the first import: each stored row became a tuple of converted values (a
timezone-aware datetime, a Decimal) only to be found equal. On PostgreSQL the batch is
instead ``COPY``'d into a temporary table of the ledger table's own column types, and one
statement finds the rows that are new or differ (one index probe a row), one updates the
changed ones and one inserts the new ones: an unchanged row costs nothing in Python.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from pacesetter.ledger.bulk import binary_copy_types, column_of


class BatchTable:
    """A temporary table shaped like ``model``'s ``external_id`` and ``fields`` columns,
    holding one batch at a time, in the session of the import (which drops it at the end;
    a rolled-back transaction takes it with it, as does a lost connection)."""

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], present: Sequence[bool]
    ) -> None:
        q = connection.ops.quote_name
        self.name = q(f"pacesetter_import_batch_{uuid.uuid4().hex[:12]}")
        self.table = q(model._meta.db_table)
        self.pk = q(model._meta.pk.column)
        self.columns = [q(column_of(model, name)) for name in fields]
        self.types = binary_copy_types(
            model._meta.db_table, ["external_id", *(column_of(model, name) for name in fields)]
        )
        compared = [c for c, p in zip(self.columns, present, strict=True) if p]
        self.created = False
        stored, staged = (", ".join(f"{t}.{c}" for c in compared) for t in ("a", "s"))
        # Only the fields the file has a column for are compared (and updated).
        self._differs = f"ROW({stored}) IS DISTINCT FROM ROW({staged})"
        self._sets = ", ".join(f"{c} = s.{c}" for c in compared)
        # Each row of the batch looks up its stored row by the (source, external id) index.
        # As a plain join PostgreSQL hashed the whole source instead (0.2 s a batch at half a
        # million rows, growing with the table); a LATERAL look-up with LIMIT cannot be.
        self._stored = (
            f"LEFT JOIN LATERAL (SELECT * FROM {self.table} a "
            "WHERE a.source = %s AND a.external_id = s.external_id LIMIT 1) a ON true"
        )

    def fill(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Replace the table's rows with ``rows``: (external id, *values)."""
        with connection.cursor() as cursor:
            if self.created:
                cursor.execute(f"TRUNCATE {self.name}")
            else:
                columns = ", ".join(self.columns)
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.name} AS "
                    f"SELECT external_id, {columns} FROM {self.table} WITH NO DATA"
                )
                self.created = True
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(
                    f"COPY {self.name} (external_id, {', '.join(self.columns)}) FROM STDIN "
                    "(FORMAT BINARY)"
                ) as copy,
            ):
                copy.set_types(self.types)
                for row in rows:
                    copy.write_row(row)

    def compare(self, source: str) -> list[tuple[Any, ...]]:
        """The batch's rows that are new or differ from the stored ones, in one pass of
        look-ups: (stored id, external id, *stored values), the id None for a new row."""
        columns = ", ".join(f"a.{c}" for c in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.{self.pk}, s.external_id, {columns} FROM {self.name} s {self._stored} "
                f"WHERE a.{self.pk} IS NULL OR {self._differs}",
                [source],
            )
            return cursor.fetchall()

    def update(self, ids: list[int]) -> int:
        """Write the batch's values over the stored rows ``ids`` (found by ``compare``)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} a SET {self._sets} FROM {self.name} s "
                f"WHERE a.{self.pk} = ANY(%s) AND a.external_id = s.external_id",
                [ids],
            )
            return cursor.rowcount

    def insert(self, source: str, keys: list[str]) -> None:
        """Insert the batch's rows of ``keys`` (new ones, found by ``compare``)."""
        columns = ", ".join(self.columns)
        staged = ", ".join(f"s.{c}" for c in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (source, external_id, {columns}) "
                f"SELECT %s, s.external_id, {staged} FROM {self.name} s "
                "WHERE s.external_id = ANY(%s)",
                [source, keys],
            )

    def run(self, raw: Any, source: str, rows: list[tuple[Any, ...]], *, write: bool) -> list:
        """``fill``, ``compare`` and, with ``write``, ``update`` and ``insert``, on ``raw``
        (the import's psycopg connection, used from another thread while this one reads the
        next batch: see ``LedgerTable``). Returns what ``compare`` returns; psycopg's errors
        are raised as they are (the caller wraps them as Django's)."""
        q_columns = ", ".join(self.columns)
        with raw.cursor() as cursor:
            if self.created:
                cursor.execute(f"TRUNCATE {self.name}")
            else:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.name} AS "
                    f"SELECT external_id, {q_columns} FROM {self.table} WITH NO DATA"
                )
                self.created = True
            with cursor.copy(
                f"COPY {self.name} (external_id, {q_columns}) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(self.types)
                for row in rows:
                    copy.write_row(row)
            stored = ", ".join(f"a.{c}" for c in self.columns)
            cursor.execute(
                f"SELECT a.{self.pk}, s.external_id, {stored} FROM {self.name} s {self._stored} "
                f"WHERE a.{self.pk} IS NULL OR {self._differs}",
                [source],
            )
            found = cursor.fetchall()
            if write:
                changed = [row[0] for row in found if row[0] is not None]
                created = [row[1] for row in found if row[0] is None]
                if changed:
                    cursor.execute(
                        f"UPDATE {self.table} a SET {self._sets} FROM {self.name} s "
                        f"WHERE a.{self.pk} = ANY(%s) AND a.external_id = s.external_id",
                        [changed],
                    )
                if created:
                    staged = ", ".join(f"s.{c}" for c in self.columns)
                    cursor.execute(
                        f"INSERT INTO {self.table} (source, external_id, {q_columns}) "
                        f"SELECT %s, s.external_id, {staged} FROM {self.name} s "
                        "WHERE s.external_id = ANY(%s)",
                        [source, created],
                    )
            return found

    def close(self) -> None:
        """Drop the table (call inside the transaction, on the way out)."""
        if self.created:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            self.created = False
