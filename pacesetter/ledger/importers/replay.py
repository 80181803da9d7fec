"""``Replay``: the callbacks of an import whose file is read more than once.

A file is read again when its slashed dates turned out ambiguous (``engine._import_ledger``
judges the whole file, then reads it again in the order found) and, on SQLite, to write what
the first reading checked (``steps.py``). The report starts over each time; the errors and
rows already passed to the caller's callbacks are not passed again.
"""

from __future__ import annotations

import dataclasses

from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.ledger.importers.report import ImportReport, RowError


class Replay:
    """The callbacks of an import that may run twice (``_import_ledger``). Up to the row
    where the first run stopped, the second reads the same rows the same way: what the first
    run already passed to ``on_error`` and ``progress`` is not passed again."""

    KEPT = frozenset({"kind", "source", "file", "dry_run", "skip_bad", "keep_errors", "on_error"})

    def __init__(self, report: ImportReport, options: ImportOptions) -> None:
        self.report, self.on_error, self.progress = report, report.on_error, options.progress
        self.errors = self.rows = 0  # passed on by the current run
        self.skip_errors = self.skip_rows = 0  # passed on by the first run: not again
        if self.on_error is not None:
            report.on_error = self._error
        self.options = options
        if self.progress is not None:
            self.options = dataclasses.replace(options, progress=self._progress)

    def _error(self, error: RowError) -> None:
        if self.skip_errors:
            self.skip_errors -= 1
            return
        self.errors += 1
        self.on_error(error)  # type: ignore[misc]

    def _progress(self, rows: int) -> None:
        skipped = min(rows, self.skip_rows)
        self.skip_rows -= skipped
        if rows > skipped:
            self.rows += rows - skipped
            self.progress(rows - skipped)  # type: ignore[misc]

    def again(self, *, rows_again: bool = False) -> None:
        """Before the second run: the report as new (its counts, errors and notes).
        ``rows_again``: the progress counts the rows again (a second stage), from zero."""
        fresh = ImportReport(kind=self.report.kind, source=self.report.source)
        for spec in dataclasses.fields(ImportReport):
            if spec.name not in self.KEPT:
                setattr(self.report, spec.name, getattr(fresh, spec.name))
        self.skip_errors, self.skip_rows = self.errors, 0 if rows_again else self.rows
        self.errors = self.rows = 0

    def done(self) -> None:
        self.report.on_error = self.on_error
