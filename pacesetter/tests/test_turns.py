"""Writers take turns on SQLite (``turns.py``): a long writer in steps lets short writers in.

Real SQLite files and threads, no mocks: a "long writer" commits a step every ~0.1 s and
begins the next at once, as an import written in steps does; "short writers" (web saves)
each want one short transaction, with a busy timeout of a few seconds.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from pacesetter import turns


def _connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    raw = sqlite3.connect(path, isolation_level=None, timeout=timeout_s, check_same_thread=False)
    raw.execute("PRAGMA journal_mode=WAL")
    return raw


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    with _connect(path, 5) as raw:
        raw.execute("CREATE TABLE saves (who TEXT)")
    return path


def _long_writer(path: Path, stop: threading.Event, steps: list[float]) -> None:
    """Steps of ~0.1 s holding the lock, giving way between them."""
    raw = _connect(path, 60)
    folder = turns.waiting_dir(path)
    while not stop.is_set():
        turns.give_way(folder)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO saves VALUES ('import')")
        time.sleep(0.1)
        raw.execute("COMMIT")
        steps.append(time.monotonic())
    raw.close()


def _short_writer(path: Path, name: str, outcomes: dict[str, object]) -> None:
    raw = _connect(path, 3)
    started = time.monotonic()
    try:
        turns.begin_immediate(
            raw, lambda: raw.execute("BEGIN IMMEDIATE"), 3000, turns.waiting_dir(path)
        )
        raw.execute("INSERT INTO saves VALUES (?)", (name,))
        raw.execute("COMMIT")
        outcomes[name] = time.monotonic() - started
    except sqlite3.OperationalError as error:
        outcomes[name] = error
    finally:
        raw.close()


def test_short_writers_get_their_turn_between_the_long_writers_steps(tmp_path):
    """Without giving way, a writer sleeping in SQLite's busy handler (up to 100 ms between
    tries) almost always wakes inside the next step and, after its timeout, fails with
    "database is locked". Giving way, each short writer gets in between two steps."""
    path = _database(tmp_path)
    stop, steps, outcomes = threading.Event(), [], {}
    long = threading.Thread(target=_long_writer, args=(path, stop, steps))
    long.start()
    time.sleep(0.3)  # the long writer is in its stride
    short = [
        threading.Thread(target=_short_writer, args=(path, f"rep{i}", outcomes)) for i in range(5)
    ]
    for thread in short:
        thread.start()
    for thread in short:
        thread.join()
    before_stop = len(steps)
    time.sleep(0.3)
    stop.set()
    long.join()

    failed = {name: o for name, o in outcomes.items() if isinstance(o, Exception)}
    assert not failed
    assert len(outcomes) == 5
    assert len(steps) > before_stop  # the long writer went on after them
    with sqlite3.connect(path) as raw:
        saved = {who for (who,) in raw.execute("SELECT who FROM saves WHERE who != 'import'")}
    assert saved == {f"rep{i}" for i in range(5)}
    assert not os.listdir(turns.waiting_dir(path))  # every marker went with its writer


def test_a_free_lock_is_taken_at_once_and_leaves_no_marker(tmp_path):
    path = _database(tmp_path)
    raw = _connect(path, 3)
    turns.begin_immediate(
        raw, lambda: raw.execute("BEGIN IMMEDIATE"), 3000, turns.waiting_dir(path)
    )
    assert raw.in_transaction
    raw.execute("ROLLBACK")
    assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == 3000  # restored
    assert turns.waiters(turns.waiting_dir(path)) == 0


def test_a_writer_that_times_out_still_fails_as_locked_and_leaves_no_marker(tmp_path):
    """Giving way is polite, not a queue: a writer holding the lock longer than the waiter's
    timeout still makes it fail ("database is locked": the web answers 503)."""
    path = _database(tmp_path)
    holder = _connect(path, 3)
    holder.execute("BEGIN IMMEDIATE")
    waiter = _connect(path, 0.3)
    folder = turns.waiting_dir(path)
    seen: list[int] = []
    watcher = threading.Thread(target=lambda: (time.sleep(0.1), seen.append(turns.waiters(folder))))
    watcher.start()  # (no Timer: a wait with a timeout never returns under faketime)
    try:
        turns.begin_immediate(waiter, lambda: waiter.execute("BEGIN IMMEDIATE"), 300, folder)
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
    else:
        raise AssertionError("the waiter took a lock that was held")
    finally:
        watcher.join()
        holder.execute("ROLLBACK")
    assert seen == [1]  # it was marked as waiting while it waited
    assert turns.waiters(folder) == 0


def test_give_way_waits_while_someone_waits_and_no_longer_than_its_limit(tmp_path):
    folder = turns.waiting_dir(tmp_path / "db.sqlite3")
    assert turns.give_way(folder) < 0.05  # no folder, no one waiting: at once
    with turns.waiting(folder):
        assert turns.waiters(folder) == 1
        waited = turns.give_way(folder, limit=0.3)
        assert 0.3 <= waited < 1.0  # the marker stayed: it gave up after its limit
    assert turns.waiters(folder) == 0
    assert turns.give_way(folder) < 0.05


def test_a_marker_left_by_a_dead_writer_is_removed_not_waited_for(tmp_path):
    """A writer killed while it waited leaves its marker: its process is gone, so the
    marker does not count (whatever the clocks say)."""
    folder = tmp_path / "db.sqlite3-waiting"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = folder / f"{dead}-67"
    stale.touch()
    live = folder / f"{os.getpid()}-1"
    live.touch()
    assert turns.waiters(folder) == 1
    assert not stale.exists() and live.exists()


def test_the_statements_that_take_the_lock():
    assert turns.takes_the_lock("BEGIN IMMEDIATE", in_transaction=False)
    assert turns.takes_the_lock('UPDATE "x" SET a = 1', in_transaction=False)
    assert turns.takes_the_lock(' insert into "x" values (1)', in_transaction=False)
    assert not turns.takes_the_lock('UPDATE "x" SET a = 1', in_transaction=True)  # holds it
    assert not turns.takes_the_lock('SELECT * FROM "x"', in_transaction=False)
    assert not turns.takes_the_lock("BEGIN", in_transaction=False)  # reads until it writes
    assert not turns.takes_the_lock(None, in_transaction=False)
