"""Writers take turns on SQLite: a long writer gives way to the short ones waiting.

SQLite lets one writer at a time hold a database. A writer that finds it taken waits (the
busy timeout, ``PACESETTER_SQLITE_TIMEOUT``) by sleeping and trying again, up to 100 ms
apart. An import written in steps (``ledger/importers/steps.py``) commits a step and begins
the next within a millisecond, so a web save could sleep through every gap and, after its
timeout, answer 503 (``web/busy.py``) although the import had let go hundreds of times.

So a writer that finds the lock taken says so while it waits: an empty file named after it
in a folder beside the database (``<database>-waiting/``, as SQLite keeps ``-wal`` and
``-shm`` there). Between its steps the long writer calls :func:`give_way`, which returns once
no one waits any more (they have had their turn) or after ``GIVE_WAY_MAX`` seconds. A web
save then waits at most about one step, however long the import.

Plain Python and ``sqlite3``: the Django side is :func:`install`, a wrapper on the SQLite
connection's ``BEGIN IMMEDIATE`` (every transaction on SQLite begins so; see ``config.py``)
and on writes outside a transaction (Django saves a single row in autocommit mode).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

GIVE_WAY_MAX = 2.0  # seconds a long writer waits, at most, for those waiting
POLL = 0.005  # seconds between looks at the folder


def waiting_dir(database: str | os.PathLike[str]) -> Path:
    """The folder of markers beside ``database`` (one folder per database file)."""
    path = Path(database)
    return path.with_name(path.name + "-waiting")


@contextlib.contextmanager
def waiting(folder: Path) -> Iterator[Path]:
    """A marker in ``folder`` for as long as the block runs: someone waits for the lock."""
    folder.mkdir(exist_ok=True)
    marker = folder / f"{os.getpid()}-{threading.get_ident()}"
    marker.touch()
    try:
        yield marker
    finally:
        marker.unlink(missing_ok=True)


def waiters(folder: Path) -> int:
    """How many writers wait now; markers left by writers whose process has died are
    removed, not counted (a marker is named after its process: ``<pid>-<thread>``)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    count = 0
    for entry in entries:
        if not _alive(entry.name.split("-", 1)[0]):
            Path(entry.path).unlink(missing_ok=True)
            continue
        count += 1
    return count


def _alive(pid: str) -> bool:
    """Whether the process ``pid`` runs on this machine (SQLite's WAL mode works only
    between processes of one machine, so every writer's process is here)."""
    try:
        os.kill(int(pid), 0)
    except ValueError:
        return False  # not a marker of ours
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


def give_way(folder: Path, limit: float = GIVE_WAY_MAX) -> float:
    """Call with no transaction open: wait while others wait for the lock, up to ``limit``
    seconds. Returns the seconds waited (0.0 when no one was waiting)."""
    started = time.monotonic()
    while waiters(folder) and time.monotonic() - started < limit:
        time.sleep(POLL)
    return time.monotonic() - started


def begin_immediate(
    raw: sqlite3.Connection, begin: Callable[[], Any], timeout_ms: int, folder: Path
) -> Any:
    """Run ``begin`` (a ``BEGIN IMMEDIATE`` on ``raw``, or a write outside a transaction): at
    once when the lock is free; otherwise marked as waiting, for up to the connection's own
    busy timeout."""
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        return begin()
    except Exception as error:  # sqlite3's, or Django's wrapping of it
        if "is locked" not in str(error) and "is busy" not in str(error):
            raise
    finally:
        raw.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    with waiting(folder):
        return begin()


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def takes_the_lock(sql: object, in_transaction: bool) -> bool:
    """Whether ``sql`` is where a connection takes the write lock: ``BEGIN IMMEDIATE``, or a
    write outside any transaction (Django saves one row in autocommit mode). Either fails
    with "database is locked" before it has changed anything, so it can be tried twice."""
    if not isinstance(sql, str):
        return False
    head = sql.lstrip()[:16].upper()
    if head.startswith("BEGIN IMMEDIATE"):
        return True
    return not in_transaction and head.startswith(WRITES)


# --- Django ---------------------------------------------------------------------------------


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: mark this SQLite connection's waits for the lock."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    # The wait this connection was opened with (the worker's is longer than the web's).
    connection.turns_timeout_ms = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    if any(getattr(w, "turns", False) for w in connection.execute_wrappers):
        return  # a reconnection of the same wrapper
    folder = waiting_dir(connection.settings_dict["NAME"])

    def in_turn(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: dict[str, Any]) -> Any:  # fmt: skip
        db = context["connection"]
        if not takes_the_lock(sql, db.connection.in_transaction):
            return execute(sql, params, many, context)
        return begin_immediate(db.connection, lambda: execute(sql, params, many, context),
                               db.turns_timeout_ms, folder)  # fmt: skip

    in_turn.turns = True  # type: ignore[attr-defined]
    connection.execute_wrappers.append(in_turn)


def give_way_here(connection: Any) -> float:
    """:func:`give_way` for a Django connection's database (0.0 when not SQLite on a file)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return 0.0
    return give_way(waiting_dir(connection.settings_dict["NAME"]))
