"""Imports written in short steps, all or nothing all the same.

SQLite lets one connection write at a time. An import written in one transaction keeps
every other writer waiting for as long as it runs: a million rows took a minute, and the
web's saves of the week's numbers waited for it (then answered 503). So, on SQLite, a large
import is done in two readings of the file (``engine._import_ledger``):

1. **check**: every row is read and validated, nothing is written and no lock is held. A bad
   row (without ``skip_bad``) ends the import here, as before: nothing was written. The
   batches are also compared with the stored rows (in one read snapshot, ``read_snapshot``)
   until one would change something: when none would (a file imported again), the import
   is done here, and the file is not read a second time.
2. **write in steps**: the file is read again and each batch is compared and written in its
   own short transaction, together with a journal row (``ImportStep``) saying which keys it
   inserted and what the rows it changed held before. Between two steps the web writes.
   When the last step is written the journal is deleted, in one transaction: that is the
   moment the import is committed. If anything fails before (a database error, a row that
   turned bad between the readings, the process being stopped), the steps are undone, last
   first, from the journal; if the process died, the next import (or the worker, when it
   starts) finds the ``ImportSlot`` it left behind and undoes its steps then.

Readers may see an import half written while it runs (a dashboard refreshed mid-import shows
the months written so far), never after it has ended or failed. Undoing restores only what is
still as the import left it: a weekly number saved on the web meanwhile is kept.

PostgreSQL needs none of this (its writers do not wait for each other on different rows),
and any import run inside an outer transaction is written in that transaction as before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter import config
from pacesetter.ledger.importers.report import ImportFileError, RowError
from pacesetter.ledger.importers.tables import TABLES, LedgerTable, Values, chunks
from pacesetter.ledger.models import ImportSlot, ImportStep
from pacesetter.ledger.rollups import RollupDeltas

# A slot whose process has not written a step for this long is taken for dead, wherever it
# ran (a step takes well under a second; reading the next batch, less).
STALE_AFTER = dt.timedelta(minutes=10)
DEFAULT_WAIT = 600  # seconds an import waits for the one being written (PACESETTER_IMPORT_WAIT)


def steps_possible(*, reopenable: bool) -> bool:
    """Whether an import should be written in steps here: on SQLite, outside any transaction
    of the caller, from a file that can be read twice."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block and reopenable


@contextmanager
def read_snapshot() -> Iterator[bool]:
    """One read transaction for the checking reading on SQLite: every batch is compared with
    the same state of the ledger, and since the transaction only reads, it takes no write
    lock (in WAL mode the web writes meanwhile). Yields whether there is such a snapshot
    (not elsewhere, nor inside a caller's transaction)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield False
        return
    connection.ensure_connection()
    raw = connection.connection  # Django's atomic() would BEGIN IMMEDIATE: the write lock
    raw.execute("BEGIN DEFERRED")
    try:
        yield True
    finally:
        if raw.in_transaction:
            raw.execute("ROLLBACK")  # nothing of the ledger was written


# --- the journal of one import ------------------------------------------------------------


class StepJournal:
    """The slot an import holds while it writes, and the record of its steps."""

    def __init__(self, slot: ImportSlot, table: LedgerTable) -> None:
        self.slot, self.table = slot, table
        self.steps = 0

    @classmethod
    def begin(
        cls, kind: str, source: str, table: LedgerTable, *, wait: float | None = None
    ) -> StepJournal:
        """Take the import slot (undoing a dead import's steps first); ``ImportFileError``
        when another import is still being written after ``wait`` seconds."""
        wait = config.env_int("IMPORT_WAIT", DEFAULT_WAIT) if wait is None else wait
        deadline = time.monotonic() + wait
        while True:
            recover_unfinished()
            now = timezone.now()
            try:
                with transaction.atomic():
                    slot = ImportSlot.objects.create(
                        kind=kind, source=source, host=socket.gethostname(), pid=os.getpid(),
                        started_at=now, heartbeat_at=now,
                        stamp=getattr(table, "now", now),
                    )  # fmt: skip
                return cls(slot, table)
            except IntegrityError:
                if time.monotonic() >= deadline:
                    raise ImportFileError(_busy_error()) from None
                time.sleep(min(0.5, max(deadline - time.monotonic(), 0.01)))

    def record(self, inserted: list[str], updated: list[tuple[int, str, Values]]) -> None:
        """Journal one step (call inside the step's transaction, before or after writing)."""
        self.steps += 1
        ImportStep.objects.create(
            slot=self.slot,
            number=self.steps,
            inserted=json.dumps(inserted),
            updated=json.dumps([[pk, key, [_encode(v) for v in old]] for pk, key, old in updated]),
        )
        ImportSlot.objects.filter(pk=self.slot.pk).update(heartbeat_at=timezone.now())

    def finish(self) -> None:
        """Commit the import: forget its journal and free the slot (one transaction)."""
        with transaction.atomic():
            self.slot.delete()

    def undo(self) -> None:
        """Undo every step written, last first, then free the slot."""
        undo_slot(self.slot, self.table)


def _busy_error() -> RowError:
    slot = ImportSlot.objects.first()
    if slot is None:  # it finished just now
        reason = _("another import was being written: try again")
    else:
        reason = _(
            "another import is being written (%(kind)s from %(source)s, started %(started)s): "
            "try again when it has finished"
        ) % {
            "kind": slot.kind,
            "source": slot.source,
            "started": timezone.localtime(slot.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        }
    return RowError(1, "", "", reason)


# --- undoing ----------------------------------------------------------------------------------


def undo_slot(slot: ImportSlot, table: LedgerTable) -> int:
    """Undo ``slot``'s steps with ``table`` (a table of the slot's kind and source), last
    first, each in its own transaction; then free the slot. Returns the steps undone."""
    undone = 0
    for step in slot.steps.order_by("-number"):
        with transaction.atomic():
            _undo_step(table, step, slot.stamp)
            step.delete()
        undone += 1
    with transaction.atomic():
        slot.delete()
    return undone


def _undo_step(table: LedgerTable, step: ImportStep, stamp: dt.datetime) -> None:
    inserted: list[str] = json.loads(step.inserted)
    updated = [
        (pk, key, tuple(_decode(v) for v in old)) for pk, key, old in json.loads(step.updated)
    ]
    current = table.load(inserted + [key for _pk, key, _old in updated])
    kept = table.still_written([pk for pk, _values in current.values()], stamp)
    deletes: list[int] = []
    for key in inserted:
        found = current.get(key)
        if found is not None and found[0] in kept:
            table.rollup(found[1], -1)
            deletes.append(found[0])
    restores: list[Values] = []
    for pk, key, old in updated:
        found = current.get(key)
        if found is not None and found[0] == pk and pk in kept:
            table.rollup(found[1], -1)
            table.rollup(old, 1)
            restores.append((*old, pk))
    for chunk in chunks(deletes, 5_000):
        table.model.objects.filter(pk__in=chunk).delete()
    table.write_updates(restores)
    table.deltas.flush()


def recover_unfinished() -> int:
    """Undo the steps of an import whose process died while writing; the steps undone."""
    slot = ImportSlot.objects.first()
    if slot is None or not _is_dead(slot):
        return 0
    table = TABLES[slot.kind](
        source=slot.source,
        present=(True,) * len(TABLES[slot.kind].fields),
        deltas=RollupDeltas(),
    )
    return undo_slot(slot, table)


def _is_dead(slot: ImportSlot) -> bool:
    if timezone.now() - slot.heartbeat_at > STALE_AFTER:
        return True
    if slot.host != socket.gethostname() or slot.pid == os.getpid():
        return False
    try:
        os.kill(slot.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user: alive
        return False
    return False


# --- values as JSON -----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"D": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "d" in value:
        return Decimal(value["d"])
    if "t" in value:
        return dt.datetime.fromisoformat(value["t"])
    return dt.date.fromisoformat(value["D"])
