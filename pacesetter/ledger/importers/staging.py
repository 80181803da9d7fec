"""The keys an import has staged so far, to refuse a second row with the same key.

A file of a few thousand rows keeps its keys in a dict. A large one would grow that dict
by ~100 bytes a row, so past ``memory_limit`` keys the set moves into a scratch database of
its own: a private SQLite database on disk (``sqlite3.connect("")``: SQLite keeps a few pages
of it in memory and deletes the file when it is closed), whichever database the ledger is
in. Memory stays flat, and nothing of it is left behind.

Each batch's keys go in with one ``INSERT OR IGNORE``: when every key was new (a file without
duplicates, the usual case) that is all. Kept in the ledger's database instead (a temporary
table, the keys sent as JSON), a million keys cost PostgreSQL 7–10 s of round trips and
B-tree inserts; the scratch database takes about 2 s, in this process.
"""

from __future__ import annotations

import sqlite3

from pacesetter.ledger.importers.tables import Staged

MEMORY_LIMIT = 100_000  # keys (~10 MB) before they move to the scratch database


class SeenKeys:
    """``duplicates(batch)`` finds the rows whose key an earlier row had, then remembers
    the batch's other keys."""

    def __init__(self, memory_limit: int | None = None) -> None:
        self.memory_limit = MEMORY_LIMIT if memory_limit is None else memory_limit
        self.memory: dict[str, int] = {}
        self.scratch: sqlite3.Connection | None = None

    def duplicates(self, batch: list[Staged]) -> list[tuple[Staged, int]]:
        """(row, row number of the first row with that key) for every repeated key."""
        first: dict[str, int] = {}
        repeated: list[tuple[Staged, int]] = []
        for staged in batch:
            if staged.key in first:
                repeated.append((staged, first[staged.key]))
            else:
                first[staged.key] = staged.row
        earlier = self._add(first)
        for staged in batch:
            seen_at = earlier.get(staged.key)
            if seen_at is not None:
                repeated.append((staged, seen_at))
        return repeated

    def _add(self, keys: dict[str, int]) -> dict[str, int]:
        """Remember the new ``keys`` (key → row); returns those seen before, with the row
        that had them first."""
        if self.scratch is None:
            memory = self.memory
            earlier = {k: memory[k] for k in keys if k in memory}
            memory.update((k, r) for k, r in keys.items() if k not in earlier)
            if len(memory) > self.memory_limit:
                self._spill()
            return earlier
        cursor = self.scratch.executemany(
            "INSERT OR IGNORE INTO seen (k, r) VALUES (?, ?)", keys.items()
        )
        if cursor.rowcount == len(keys):
            return {}
        earlier = {}
        for key, row in keys.items():  # some were there: the rows that had them first
            (first,) = self.scratch.execute("SELECT r FROM seen WHERE k = ?", (key,)).fetchone()
            if first != row:
                earlier[key] = first
        return earlier

    def _spill(self) -> None:
        scratch = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        scratch.execute("PRAGMA journal_mode = OFF")  # nothing to recover: it is thrown away
        scratch.execute("PRAGMA synchronous = OFF")
        scratch.execute("CREATE TABLE seen (k TEXT PRIMARY KEY, r INTEGER) WITHOUT ROWID")
        scratch.execute("BEGIN")
        scratch.executemany("INSERT INTO seen (k, r) VALUES (?, ?)", self.memory.items())
        self.scratch, self.memory = scratch, {}

    def close(self) -> None:
        """Forget the keys (the scratch database's file goes with it)."""
        if self.scratch is not None:
            self.scratch.close()
            self.scratch = None
        self.memory = {}
