"""The data version of a SQLite file (``data_version.py``): the WAL-index header that SQLite
rewrites at every commit, by any connection of any process, and at no read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pacesetter.data_version import wal_index_header


def _connect(path: Path) -> sqlite3.Connection:
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    return raw


def test_the_header_moves_with_each_commit_and_not_with_reads(tmp_path):
    path = tmp_path / "db.sqlite3"
    mine, theirs = _connect(path), _connect(path)
    mine.execute("CREATE TABLE t (v TEXT)")
    first = wal_index_header(path)
    assert first is not None
    assert theirs.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert wal_index_header(path) == first  # a read by another connection: the same
    theirs.execute("INSERT INTO t VALUES ('a')")
    second = wal_index_header(path)
    assert second != first  # another connection's commit
    theirs.execute("BEGIN IMMEDIATE")
    theirs.execute("INSERT INTO t VALUES ('b')")
    assert wal_index_header(path) == second  # not committed yet: not seen by anyone else
    theirs.execute("COMMIT")
    third = wal_index_header(path)
    assert third not in (first, second)
    theirs.execute("UPDATE t SET v = v")  # a value set to itself: no page changes
    assert wal_index_header(path) == third
    mine.close()
    theirs.close()


def test_no_header_without_wal(tmp_path):
    path = tmp_path / "plain.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (v TEXT)")
    assert wal_index_header(path) is None
