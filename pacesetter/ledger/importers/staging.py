"""The keys an import has staged so far, to refuse a second row with the same key.

A file of a few thousand rows keeps its keys in a dict. A large one would grow that dict
by ~100 bytes a row, so past ``memory_limit`` keys the set moves into a temporary table
(on disk for SQLite, in the session for PostgreSQL) created inside the import's transaction:
memory stays flat, and a rolled-back import leaves nothing behind.
"""

from __future__ import annotations

import uuid

from django.db import connection

from pacesetter.ledger.importers.tables import Staged, chunks, max_params

MEMORY_LIMIT = 100_000  # keys (~10 MB) before they move to a temporary table


class SeenKeys:
    """``duplicates(batch)`` finds the rows whose key an earlier row had, then remembers
    the batch's other keys."""

    def __init__(self, memory_limit: int | None = None) -> None:
        self.memory_limit = MEMORY_LIMIT if memory_limit is None else memory_limit
        self.memory: dict[str, int] = {}
        self.table: str | None = None

    def duplicates(self, batch: list[Staged]) -> list[tuple[Staged, int]]:
        """(row, row number of the first row with that key) for every repeated key."""
        first: dict[str, int] = {}
        repeated: list[tuple[Staged, int]] = []
        for staged in batch:
            if staged.key in first:
                repeated.append((staged, first[staged.key]))
            else:
                first[staged.key] = staged.row
        earlier = self._lookup(list(first))
        for staged in batch:
            seen_at = earlier.get(staged.key)
            if seen_at is not None:
                repeated.append((staged, seen_at))
        fresh = {k: r for k, r in first.items() if k not in earlier}
        self._remember(fresh)
        return repeated

    def _lookup(self, keys: list[str]) -> dict[str, int]:
        if self.table is None:
            return {k: self.memory[k] for k in keys if k in self.memory}
        found: dict[str, int] = {}
        q = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT k, r FROM {q} WHERE k = ANY(%s)", [keys])
                found.update(cursor.fetchall())
            else:
                for chunk in chunks(keys, max_params() - 5):
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"SELECT k, r FROM {q} WHERE k IN ({marks})", chunk)
                    found.update(cursor.fetchall())
        return found

    def _remember(self, keys: dict[str, int]) -> None:
        if self.table is None:
            self.memory.update(keys)
            if len(self.memory) <= self.memory_limit:
                return
            self._create_table()
            keys, self.memory = self.memory, {}
        if not keys:
            return
        q = connection.ops.quote_name(self.table)  # type: ignore[arg-type]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {q} (k, r) SELECT * FROM unnest(%s::text[], %s::int[])",
                    [list(keys), list(keys.values())],
                )
            else:
                cursor.executemany(f"INSERT INTO {q} (k, r) VALUES (%s, %s)", list(keys.items()))

    def _create_table(self) -> None:
        self.table = f"pacesetter_import_seen_{uuid.uuid4().hex[:12]}"
        q = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {q} (k text PRIMARY KEY, r integer) ON COMMIT DROP"
                )
            else:
                cursor.execute(f"CREATE TEMP TABLE {q} (k TEXT PRIMARY KEY, r INTEGER)")

    def close(self) -> None:
        """Drop the table (call inside the transaction, on the way out)."""
        if self.table is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(self.table)}")
            self.table = None
        self.memory = {}
