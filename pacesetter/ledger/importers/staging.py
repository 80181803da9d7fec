"""The keys an import has staged so far, to refuse a second row with the same key.

A file of a few thousand rows keeps its keys in a dict. A large one would grow that dict
by ~100 bytes a row, so past ``memory_limit`` keys the set moves into a temporary table
(on disk for SQLite, in the session for PostgreSQL) created inside the import's transaction:
memory stays flat, and a rolled-back import leaves nothing behind.

A batch's keys go in and are looked up with one statement each, the keys as one JSON
parameter. On SQLite ``executemany`` outside a transaction made every key its own
transaction, each opening a read of the main database's write-ahead log: after a large
write that cost an import of 200,000 activities 38 s of its 98. On PostgreSQL a JSON text
is quicker for the driver to send than an array of 5,000 strings.
"""

from __future__ import annotations

import json
import uuid

from django.db import connection

from pacesetter.ledger.importers.tables import Staged

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
                cursor.execute(
                    f"SELECT k, r FROM {q} WHERE k IN (SELECT json_array_elements_text(%s::json))",
                    [json.dumps(keys)],
                )
                found.update(cursor.fetchall())
            else:
                cursor.execute(
                    f"SELECT k, r FROM {q} WHERE k IN (SELECT value FROM json_each(%s))",
                    [json.dumps(keys)],
                )
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
                    f"INSERT INTO {q} (k, r) SELECT e ->> 0, (e ->> 1)::int "
                    "FROM json_array_elements(%s::json) e",
                    [json.dumps(list(keys.items()))],
                )
            else:
                cursor.execute(
                    f"INSERT INTO {q} (k, r) SELECT json_extract(value, '$[0]'), "
                    "json_extract(value, '$[1]') FROM json_each(%s)",
                    [json.dumps(list(keys.items()))],
                )

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
