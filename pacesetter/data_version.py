"""Has anything been written to the database since? A value that changes with every write.

What was computed from the database stays right while this value is the same (the page
cache, ``web/page_cache.py``). It is read *before* the computation: what is kept under a
value is at least as new as that value, so it is never older than what it claims.

It has two parts:

- **the database's**, which moves with every commit, by whichever process or program:
  - SQLite on a file (WAL mode, ``config.py``): the first 48 bytes of ``<database>-shm``,
    the WAL-index header, which SQLite rewrites at every commit: a change counter
    (``iChange``), the last frame, and random salts renewed with each new WAL (file format:
    https://www.sqlite.org/walformat.html);
  - PostgreSQL: the WAL insert position (``pg_current_wal_insert_lsn()``; on a read replica
    the replayed position). A write elsewhere on the server only costs a needless recount;
  - SQLite in memory: none (it lives in this process; the second part sees its writes);
- **this process's**, only while the connection is inside a transaction (or the database
  lives in this process's memory): the process id and a count of the write statements its
  connections ran, so that its own writes count before they are committed (a transaction
  sees its own rows; the test suite never commits). Outside a transaction every write of
  this process is already committed and the database's part has moved with it, so the value
  is the same in every process: what one server process kept, another may serve
  (``PACESETTER_PAGE_CACHE_DIR``).

``None`` when the database has no such value (a file not in WAL mode): nothing may be kept.
"""

from __future__ import annotations

import itertools
import os
import threading
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pacesetter.turns import WRITES

HEADER = 48  # bytes of the WAL-index header at the start of the -shm file
# The version a GET or HEAD request began with (web.middleware.data_version_first), for the
# reads kept under it (web/sessions.py); None outside such a request.
REQUEST: ContextVar[str | None] = ContextVar("data_version_of_request", default=None)
_writes = itertools.count()
_last = 0


def current(connection: Any) -> str | None:
    """The value for ``connection``'s database now (opening the connection if need be)."""
    connection.ensure_connection()
    own = f"{os.getpid()}.{_last}" if connection.in_atomic_block else ""
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            return f"m{os.getpid()}.{_last}"
        header = wal_index_header(Path(connection.settings_dict["NAME"]))
        return None if header is None else f"s{header}:{own}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                " ELSE pg_current_wal_insert_lsn() END::text"
            )
            row = cursor.fetchone()
        return f"p{row[0]}:{own}" if row and row[0] else None
    return None


def wal_index_header(database: Path) -> str | None:
    """The WAL-index header of ``database`` (hex), or None when it has no ``-shm`` file."""
    header = _shm_files.read(database.with_name(database.name + "-shm"), HEADER)
    return header.hex() if header is not None and len(header) == HEADER else None


class _OpenFiles:
    """``-shm`` files read through descriptors this process keeps open.

    SQLite locks ``-shm`` with POSIX advisory locks, and those belong to the process: closing
    any descriptor of the file drops every lock the process holds on it, its connections'
    included (https://www.sqlite.org/howtocorrupt.html, section 2.2). A reader's snapshot
    is then unprotected: another process checkpoints and restarts the WAL under it, and the
    reader finds "database disk image is malformed" (a writer's lock could be lost too). So
    a file is opened once and read with ``pread``, never closed while it is the file at that
    path. When SQLite has deleted it (the last connection anywhere closed), no connection
    holds a lock on it any more and the old descriptor is closed for a new one.
    """

    def __init__(self) -> None:
        self._fds: dict[Path, int] = {}
        self._lock = threading.Lock()

    def read(self, path: Path, size: int) -> bytes | None:
        with self._lock:
            fd = self._fds.get(path)
            if fd is not None and os.fstat(fd).st_nlink == 0:
                del self._fds[path]  # deleted by SQLite: no lock of anyone's lives on it
                os.close(fd)
                fd = None
            if fd is None:
                try:
                    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                except FileNotFoundError:
                    return None  # not in WAL mode, or no connection open
                self._fds[path] = fd
            return os.pread(fd, size, 0)


_shm_files = _OpenFiles()


def count_writes(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: count the write statements this process runs."""
    if any(getattr(w, "counts_writes", False) for w in connection.execute_wrappers):
        return

    def counted(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        global _last
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and sql.lstrip()[:8].upper().startswith(WRITES):
            _last = next(_writes) + 1  # after the write: a reader never sees it early
        return result

    counted.counts_writes = True  # type: ignore[attr-defined]
    connection.execute_wrappers.append(counted)
