"""``run_import``: a file in, an ``ImportReport`` out, all or nothing.

One transaction per import. Rows are read one at a time, validated, and staged in batches;
each batch is deduplicated, compared with what is stored and upserted, and its rollup
changes are flushed. The first bad row (without ``skip_bad``) stops the writing but not the
reading, so the report lists every bad row; the transaction is then rolled back. A dry run
compares but never writes.

On SQLite (outside a caller's transaction, from a file that can be read twice) the file is
read twice instead: once to check every row, holding no lock, then again to write it in
short steps that are undone together if anything fails (``steps.py``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from pacesetter import turns
from pacesetter.ledger.entry_metrics import entry_metrics
from pacesetter.ledger.importers.choices import (
    check_source,
    default_owner_of,
    implied_type,
    preset_of,
    rates_of,
)
from pacesetter.ledger.importers.dates import (
    DateOrder,
    DateOrderConflict,
    Dates,
    DatesUndecided,
    ambiguous_reason,
)
from pacesetter.ledger.importers.kinds import PARSERS
from pacesetter.ledger.importers.kinds.base import Cells, Context, RowParser
from pacesetter.ledger.importers.kinds.fields import FIELDS, ColumnMap, resolve_columns
from pacesetter.ledger.importers.options import ImportOptions, default_max_bytes
from pacesetter.ledger.importers.parsing import (
    Kinds,
    Numbers,
    People,
    norm,
)
from pacesetter.ledger.importers.presets import Preset
from pacesetter.ledger.importers.readers import FileLike, Records, open_records
from pacesetter.ledger.importers.replay import Replay
from pacesetter.ledger.importers.report import (
    ImportFileError,
    ImportReport,
    RowError,
    RowRejected,
)
from pacesetter.ledger.importers.staging import SeenKeys
from pacesetter.ledger.importers.steps import StepJournal, read_snapshot, steps_possible
from pacesetter.ledger.importers.tables import EntryTable, LedgerTable, Staged
from pacesetter.ledger.models import Account, Activity, Deal, ImportSlot, ManualEntry
from pacesetter.ledger.rollups import RollupDeltas
from pacesetter.ledger.signals import import_finished_on_commit, ledger_changed_on_commit
from pacesetter.org.models import OrgSettings
from pacesetter.planning import WorkCalendar


def run_import(kind: str, file: FileLike, *, options: ImportOptions | None = None) -> ImportReport:
    """Import ``file`` (a path or a binary file object) as ``kind`` rows.

    Never raises for bad input: the report says what was wrong (``report.failed``) and then
    nothing was written. Raises ``ValueError`` for an unknown kind or preset.
    """
    options = options or ImportOptions()
    if kind not in FIELDS:
        raise ValueError(f"unknown import kind {kind!r} (use {', '.join(FIELDS)})")
    preset = preset_of(kind, options.preset)
    started = time.monotonic()
    report = _new_report(kind, file, options)
    try:
        _read(kind, file, preset, options, report)
    except ImportFileError as error:
        report.aborted = True
        report.add_errors(error.errors)
    except DatabaseError as error:  # the ledger kinds catch theirs; this is for org imports
        report.aborted, report.committed = True, False
        reason = _("the database refused the import: %(error)s") % {"error": error}
        report.add_errors([RowError(1, "", "", reason)])
    _settle(kind, report)
    report.seconds = time.monotonic() - started
    if not options.dry_run:
        import_finished_on_commit(run_import, report, now=report.failed)
    return report


def _new_report(kind: str, file: FileLike, options: ImportOptions) -> ImportReport:
    """The import's empty report: what is imported from where, and how."""
    name = os.fspath(file) if isinstance(file, str | os.PathLike) else getattr(file, "name", "")
    return ImportReport(
        kind=kind,
        # An org file's source is the CRM its crm_id column speaks of (none by default).
        source=(options.source or options.preset or "")
        if kind == "org"
        else options.source or options.preset or "csv",
        file=os.path.basename(str(name or "")),
        dry_run=options.dry_run,
        skip_bad=options.skip_bad,
        keep_errors=options.keep_errors,
        on_error=options.on_error,
    )


def _read(
    kind: str, file: FileLike, preset: Preset | None, options: ImportOptions, report: ImportReport
) -> None:
    """Open the file and import its rows into ``report``; ``ImportFileError`` for a file
    that cannot be read as ``kind`` at all."""
    if kind != "org" or report.source:
        check_source(report.source)
    records = open_records(
        file,
        max_bytes=options.max_bytes or default_max_bytes(),
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
    )
    with records:
        if not options.source and not options.preset and records.format == "xlsx":
            report.source = "sheet" if kind == "entries" else report.source
        if kind == "org":
            from pacesetter.ledger.importers.org import import_org

            import_org(records, options, report)
            for note in records.notes:  # a report's title or footer, skipped
                report.note(note)
        else:
            _import_ledger(kind, records, preset, options, report)


def _settle(kind: str, report: ImportReport) -> None:
    """A failed import wrote nothing; a committed one tells the ledger's readers."""
    if report.failed:
        report.created = report.updated = report.unchanged = 0
    elif report.committed and (report.created or report.updated) and kind != "org":
        ledger_changed_on_commit(run_import)
        written = report.created + report.updated
        if written >= ANALYZE_AFTER_ROWS:
            transaction.on_commit(lambda: _refresh_statistics(kind, written))


# A large import changes what the planner should know about the table at once. Without fresh
# statistics PostgreSQL planned the next re-import's key lookups as a scan of every row of the
# source (77 s for a million rows; 26 s after ANALYZE, which takes 0.2 s on 10 M rows).
ANALYZE_AFTER_ROWS = 50_000
LEDGER_TABLES = {
    "activities": Activity,
    "deals": Deal,
    "accounts": Account,
    "entries": ManualEntry,
}


def _refresh_statistics(kind: str, written: int) -> None:
    table = LEDGER_TABLES[kind]._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not _sqlite_statistics_stale(cursor, table, written):
            return
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _sqlite_statistics_stale(cursor: Any, table: str, written: int) -> bool:
    """Whether SQLite's statistics of ``table`` are missing, or counted fewer rows than the
    import just wrote (the table has at least doubled since). SQLite's ANALYZE reads every
    index entry and holds the write lock meanwhile (0.95 s for 2.5 M activities, seconds for
    10 M: web saves waiting meanwhile answered 503), and its planner needs sizes only roughly
    (a sampled ANALYZE, ``analysis_limit``, wrote row counts a thousand times too small): so
    it runs after the imports that change the table's size, not after every large one."""
    try:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND stat != ''", [table])
        counted = [int(str(stat).split()[0]) for (stat,) in cursor.fetchall()]
    except DatabaseError:
        return True  # no statistics at all yet (sqlite_stat1 appears with the first ANALYZE)
    return not counted or max(counted) < written


@contextmanager
def _sqlite_cache(kib: int = 65_536) -> Iterator[None]:
    """A larger SQLite page cache while importing: the index B-trees of a large table stay in
    memory (~15 % faster at a million rows). Bounded, and given back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


ROLLUP_KEYS_HELD = 50_000  # rollup rows changed before they are written (~10 MB)

# How an import reads and writes (see the module docstring).
ONCE = "once"  # one transaction (a dry run: none, when steps are possible)
CHECK = "check"  # the first reading before steps: validate and compare, write nothing, no lock
STEPS = "steps"  # the second reading: write batch by batch, journaled


class _Undo(Exception):
    """A row turned bad between the two readings: the steps written are undone."""


class _LedgerImport:
    """One import of deals, activities, accounts or entries (see the module docstring)."""

    def __init__(
        self,
        kind: str,
        records: Records,
        preset: Preset | None,
        options: ImportOptions,
        report: ImportReport,
        day_first: bool | None = None,
        mode: str = ONCE,
    ) -> None:
        self.kind, self.records, self.options, self.report = kind, records, options, report
        self.day_first = day_first  # the order of slashed dates, when judged (see dates.py)
        self.mode = mode
        self.journal: StepJournal | None = None
        self.columns: ColumnMap = resolve_columns(
            kind, records.header, preset, dict(options.mapping), options.hints
        )
        self.org = OrgSettings.load()
        self.parser: RowParser = PARSERS[kind](self._context(preset), self.columns)
        self.writing = not options.dry_run and mode != CHECK
        # CHECK: compare the batches with what is stored, in one read snapshot, until one
        # would change something. When none would, the second reading is not needed.
        self.comparing = mode == CHECK
        self.nothing_to_write = False
        self.stopped = False  # a bad row was found (without skip_bad): validate only
        self.pending_progress = 0
        self.batch_rows = (2, 2)  # the rows of the batch being written, for database errors

    def _context(self, preset: Preset | None) -> Context:
        o = self.options
        people = People(self.report.source, o.hints)
        context = Context(
            people=people,
            dates=Dates(
                self.org.zone,
                o.date_formats,
                hints=o.hints,
                preset_formats=preset.date_formats if preset else (),
                day_first=self.day_first,
            ),
            numbers=Numbers(
                round_cents=o.round_cents,
                decimal_comma=o.decimal_comma,
                hints=o.hints,
                currency=self.org.currency,
                rates=rates_of(o),
            ),
            source=self.report.source,
            won=frozenset(norm(s) for s in o.won_stages),
            lost=frozenset(norm(s) for s in o.lost_stages),
            open=frozenset(
                norm(s) for s in (*o.open_stages, *(preset.open_stages if preset else ()))
            ),
            stages_strict=o.stages_strict,
            hints=o.hints,
            default_owner=default_owner_of(people, o),
            activity_type=o.activity_type or implied_type(preset, self.records.header),
            probability_percent=bool(preset and preset.probability_percent),
        )
        context.understood.currency = self.org.currency
        if self.kind == "activities":
            context.kinds = Kinds(dict(o.type_map), o.hints, preset.type_map if preset else {})
        if self.kind == "entries":
            context.metrics = {}
            for metric in entry_metrics():
                context.metrics[norm(metric.name)] = context.metrics[norm(metric.label)] = (
                    metric.name
                )
            context.calendar = WorkCalendar(week_start=self.org.week_start)
        return context

    def run(self) -> None:
        report = self.report
        if self.kind in ("deals", "activities"):
            report.understood = self.parser.context.understood
        try:
            if self.mode == STEPS:
                self._run_in_steps()
            elif self.mode == CHECK:
                with read_snapshot() as consistent:
                    self._run_once(rollback=False)  # nothing is written: no lock
                    self.nothing_to_write = (
                        consistent and self.comparing and not report.failed and not report.aborted
                        and not ImportSlot.objects.exists()  # no import half written
                    )  # fmt: skip
            elif (
                self.options.dry_run
                and self.options.steps is not False
                and steps_possible(reopenable=True)
            ):
                self._run_once(rollback=False)  # nothing is written: no transaction, no lock
            else:
                with transaction.atomic():
                    self._run_once(rollback=True)
        except DatabaseError as error:
            report.committed, report.aborted = False, True
            reason = _("the database refused rows %(first)s–%(last)s: %(error)s") % {
                "first": self.batch_rows[0],
                "last": self.batch_rows[1],
                "error": error,
            }
            report.add_errors([RowError(self.batch_rows[0], "", "", reason)])
        for note in self.records.notes:  # a report's title or footer, skipped
            report.note(note)
        self._notes()

    def _start(self) -> None:
        self.deltas = RollupDeltas(self.org.zone)
        self.table: LedgerTable = self._table()
        self.seen = SeenKeys()

    def _read_file(self) -> None:
        try:
            with _sqlite_cache():
                try:
                    self._read()
                except BaseException:
                    # Rows still being written (to be rolled back): the connection is
                    # free again for the rollback, and for what the caller does next.
                    with contextlib.suppress(DatabaseError):  # the first error is the one
                        self.table.settle()
                    raise
        except ImportFileError as error:
            self.report.aborted = self.stopped = True
            self.report.add_errors(error.errors)

    def _run_once(self, *, rollback: bool) -> None:
        """Read and write in the caller's transaction; ``rollback`` it when nothing is to
        be kept (a dry run, a bad row)."""
        self._start()
        self._read_file()
        self.seen.close()
        self.table.close()
        if not self.writing or self.stopped:
            if rollback:
                transaction.set_rollback(True)
        else:
            self.report.committed = True

    def _run_in_steps(self) -> None:
        """Write batch by batch, each step journaled; undone together on any failure."""
        self._start()
        self.journal = StepJournal.begin(self.kind, self.report.source, self.table)
        try:
            self._read_file()
            if self.stopped:
                raise _Undo
            self.journal.finish()
            self.report.committed = True
        except _Undo:
            self.journal.undo()
        except BaseException:
            self.journal.undo()
            raise
        finally:
            self.seen.close()
            self.table.close()

    def _table(self) -> LedgerTable:
        source, present, deltas = self.report.source, self.parser.present(), self.deltas
        if self.kind == "entries":
            return EntryTable(entered_by_id=self.options.entered_by_id, source=source,
                              present=present, deltas=deltas)  # fmt: skip
        return self.parser.table(source=source, present=present, deltas=deltas)

    def _read(self) -> None:
        report, columns, parse = self.report, self.columns, self.parser.parse
        quick = self.parser.quick()
        batch: list[Staged] = []
        batch_size = self.options.batch_size
        for number, cells, problems in self.records.rows:
            if not any(cells):
                continue  # a blank line or a row of empty cells
            report.rows += 1
            self.pending_progress += 1
            if problems:
                self._reject(problems)
                continue
            staged = quick(number, cells) if quick is not None else None
            if staged is None:
                try:
                    staged = parse(Cells(number, columns.extract(cells), columns, cells))
                except RowRejected as rejected:
                    self._reject(rejected.errors)
                    continue
                if staged is None:
                    report.ignored += 1
                    continue
            batch.append(staged)
            if len(batch) >= batch_size:
                self._apply(batch)
                batch = []
        self._apply(batch)
        self._count(self.table.settle())
        self.parser.finish()
        if self.writing and not self.stopped:
            self.deltas.flush()
        if report.rows == 0:
            raise ImportFileError(RowError(2, "", "", _("the file has a header but no rows")))

    def _reject(self, errors: list[RowError]) -> None:
        self.report.reject(errors)
        if not self.options.skip_bad:
            self.stopped = True

    def _apply(self, batch: list[Staged]) -> None:
        # The previous batch's rows may still be being written (``LedgerTable.settle``):
        # wait for them, and for their errors, before the connection is used again.
        self._count(self.table.settle())
        if batch:
            self.batch_rows = (batch[0].row, batch[-1].row)
            repeated = self.seen.duplicates(batch)
            if repeated:
                batch = self._drop_duplicates(batch, repeated)
        if batch and not self.stopped and (self.mode != CHECK or self.comparing):
            self.parser.resolve(batch)
            if self.journal is not None:
                turns.give_way_here(connection)  # a web save waiting goes first (turns.py)
                with transaction.atomic():  # one step: the rows, their rollups, the journal
                    self._upsert(batch)
                    self.deltas.flush()
            else:
                # Rollup changes add up by (person, month, kind, segment), not by row:
                # holding them over a few batches writes each rollup row once instead of
                # once per batch (PostgreSQL pays a round trip per row). Still bounded,
                # still this transaction.
                if self.writing and self.deltas.held > ROLLUP_KEYS_HELD:
                    self.deltas.flush()
                self._progress()  # before the rows are sent: the callback may query
                self._upsert(batch)
        self._progress()

    def _progress(self) -> None:
        if self.options.progress and self.pending_progress:
            self.options.progress(self.pending_progress)
            self.pending_progress = 0

    def _upsert(self, batch: list[Staged]) -> None:
        if not self.writing:
            self.table.deltas = RollupDeltas(self.org.zone)  # a dry run never flushes
        journal = self.journal.record if self.journal is not None else None
        self._count(self.table.apply(batch, write=self.writing, journal=journal))

    def _count(self, counts: tuple[int, int, int]) -> None:
        created, updated, unchanged = counts
        self.report.created += created
        self.report.updated += updated
        self.report.unchanged += unchanged
        if created or updated:
            self.comparing = False  # the file will be written: the second reading compares

    def _drop_duplicates(
        self, batch: list[Staged], repeated: list[tuple[Staged, int]]
    ) -> list[Staged]:
        key_field = "external_id" if self.kind != "entries" else "person"
        label = self.columns.labels.get(key_field, key_field)
        if self.kind == "entries":
            reason = _(
                "duplicate: row %(row)s has the same person, metric and week (or part of a week)"
            )
        else:
            reason = _("duplicate: row %(row)s has the same external id")
        for staged, first_row in sorted(repeated, key=lambda pair: pair[0].row):
            self._reject([RowError(staged.row, label, staged.key, reason % {"row": first_row})])
        dropped = {id(staged) for staged, _first_row in repeated}
        return [s for s in batch if id(s) not in dropped]

    def _notes(self) -> None:
        for note in self.parser.context.numbers.note():
            self.report.note(note)
        straddling = getattr(self.parser, "straddling", 0)
        if straddling:
            self.report.note(
                _(
                    "%(count)s rows fall in a week that straddles two months: each counts "
                    "in the month of the date in its week column (that month's part of the week)"
                )
                % {"count": f"{straddling:,}"}
            )
        unmatched = self.parser.unmatched_accounts
        if unmatched:
            self.report.note(
                _(
                    "%(count)s rows name an account that is not a %(source)s account "
                    "(by external id or unique name): stored without an account"
                )
                % {"count": f"{unmatched:,}", "source": self.report.source}
            )
        if self.kind == "deals" and not self.columns.has("amount"):
            self.report.note(
                _("the file has no amount column: stored deals keep their amounts, new ones get 0")
            )
        if self.kind == "deals" and self.columns.has("product"):
            self.report.note(
                _("the product column was checked but not stored: deals have no product field yet")
            )


# --- files whose slashed dates do not say their order at once (see dates.py) ----------

# The fields read as dates: their slashed values say the order of a file's day and month.
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "deals": ("created", "closed", "modified"),
    "activities": ("occurred",),
    "accounts": ("acquired", "churned"),
    "entries": ("week",),
}


def _import_ledger(
    kind: str, records: Records, preset: Preset | None, options: ImportOptions, report: ImportReport
) -> None:
    """Import ``records``. When an ambiguous slashed date (01/02/2024) comes before any
    value said the file's order of day and month, the run is rolled back, the whole file is
    judged (``_judge_dates``) and imported again, once, in that order."""
    replay = Replay(report, options)
    steps = not options.dry_run and (
        options.steps
        if options.steps is not None
        else steps_possible(reopenable=records.reopenable)
    )
    first = CHECK if steps else ONCE
    try:
        day_first = None
        try:
            checked = _LedgerImport(kind, records, preset, replay.options, report, mode=first)
            checked.run()
        except DatesUndecided as undecided:
            records.close()
            with records.reopen() as again:
                day_first = _judge_dates(kind, again, preset, options, undecided.value)
            replay.again()
            with records.reopen() as again:
                checked = _LedgerImport(kind, again, preset, replay.options, report, day_first,
                                        first)  # fmt: skip
                checked.run()
        if checked.nothing_to_write:
            report.committed = True  # every row is as stored: the file is imported as it is
        elif steps and not report.failed:
            replay.again(rows_again=True)
            if options.stage is not None:
                options.stage("writing")
            with records.reopen() as again:
                _LedgerImport(kind, again, preset, replay.options, report, day_first, STEPS).run()
    finally:
        replay.done()


def _judge_dates(
    kind: str, records: Records, preset: Preset | None, options: ImportOptions, value: str
) -> bool:
    """The order of the file's slashed dates, from every value of its date fields (True:
    day first). ``ImportFileError`` when no value says it (naming the first ambiguous one,
    else ``value``) or when the file has both orders and neither nearly always."""
    hints = options.hints
    columns = resolve_columns(kind, records.header, preset, dict(options.mapping), hints)
    fields = [name for name in DATE_FIELDS.get(kind, ()) if columns.has(name)]
    order = DateOrder()
    for number, cells, _problems in records.rows:
        values = columns.extract(cells)
        for name in fields:
            if values[name]:
                order.add(values[name], (number, columns.label(name, cells)))
    try:
        day_first = order.verdict(hints)
    except DateOrderConflict as conflict:
        row, column = cast("tuple[int, str]", conflict.where)  # as given to order.add above
        raise ImportFileError(RowError(row, column, conflict.value, str(conflict))) from None
    if day_first is None:
        value, where = order.first.get("ambiguous", (value, (1, "")))
        row, column = cast("tuple[int, str]", where)
        reason = ambiguous_reason(value, hints, whole_file=True)
        raise ImportFileError(RowError(row, column, value, reason))
    return day_first
