"""The data version of a SQLite file (``data_version.py``): the WAL-index header that SQLite
rewrites at every commit, by any connection of any process, and at no read."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
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


def _checkpoint_elsewhere(path: Path) -> int:
    """A TRUNCATE checkpoint by another process: 1 (busy) while some reader still needs the
    WAL, 0 once it could empty it."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
         " print(c.execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchone()[0])", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.strip())


def test_reading_the_version_leaves_this_process_s_locks_alone(tmp_path):
    """SQLite's locks on ``-shm`` are POSIX locks, which belong to the process: closing *any*
    descriptor of that file drops all of them (https://www.sqlite.org/howtocorrupt.html,
    2.2). Reading the header must not close one, or a reader's snapshot here is no longer
    protected: another process checkpoints and restarts the WAL under it ("database disk
    image is malformed" in the middle of a page), and a writer's lock could be lost."""
    path = tmp_path / "db.sqlite3"
    writer, reader = _connect(path), _connect(path)
    writer.execute("CREATE TABLE t (v TEXT)")
    writer.execute("INSERT INTO t VALUES ('a')")
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)  # a snapshot, held
    writer.execute("INSERT INTO t VALUES ('b')")  # frames after the reader's snapshot
    assert _checkpoint_elsewhere(path) == 1  # the reader's lock holds the WAL
    for _ in range(3):
        assert wal_index_header(path) is not None
    assert _checkpoint_elsewhere(path) == 1  # and still does, after the version was read
    reader.execute("COMMIT")
    assert _checkpoint_elsewhere(path) == 0
    writer.close()
    reader.close()
