"""What an import did: counts, every rejected row (row, column, value, reason), and notes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pacesetter.presentation import number
from pacesetter.tabular import FORMULA_STARTS as FORMULA_STARTS  # the one list, re-exported
from pacesetter.tabular import csv_line, formula_safe

ERROR_COLUMNS = ("row", "column", "value", "reason")
VALUE_SHOWN = 200  # characters of a rejected value kept in a report


@dataclass(frozen=True)
class RowError:
    """One rejected cell: ``row`` counts the header as row 1, like a spreadsheet."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


class RowRejected(Exception):
    """A row failed validation; carries one error per bad cell."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.reason for e in errors))
        self.errors = errors


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, a column missing …)."""

    def __init__(self, *errors: RowError) -> None:
        super().__init__("; ".join(e.reason for e in errors))
        self.errors = list(errors)


def shown(value: object) -> str:
    """A value as a report shows it: text, cut to a readable length."""
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


@dataclass
class Understanding:
    """What an import read, for people to check before (and after) they confirm: rows by
    outcome, the dates they span, the money won, rows per person, people not matched, and
    every warning with its count. Counts cover the rows that were accepted."""

    outcomes: Counter[str] = field(default_factory=Counter)  # won/lost/open, call/email …
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    won_cents: int | None = None  # deals only
    currency: str = ""
    per_person: Counter[str] = field(default_factory=Counter)  # name → rows
    open_stages: Counter[str] = field(default_factory=Counter)  # stages read as open
    # value, rows, the closest known names
    unmatched: list[tuple[str, int, list[str]]] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)  # message → rows

    def day(self, day: dt.date | None) -> None:
        if day is None:
            return
        if self.first_day is None or day < self.first_day:
            self.first_day = day
        if self.last_day is None or day > self.last_day:
            self.last_day = day

    def warn(self, message: str, rows: int = 1) -> None:
        self.warnings[message] += rows

    def money(self, cents: int) -> str:
        """``USD 1,234.50``: the file's currency code (when it has one) and the amount."""
        amount = number(Decimal(cents).scaleb(-2), 2)
        return f"{self.currency} {amount}" if self.currency else amount

    def lines(self) -> list[str]:
        """What was understood, one line each, in the active language (the command's)."""
        lines = []
        if self.outcomes:
            order = {what: i for i, what in enumerate(OUTCOME_ORDER)}
            shown = sorted(self.outcomes.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
            counts = ", ".join(f"{n:,} {what}" for what, n in shown)
            lines.append(_("rows: %(counts)s") % {"counts": counts})
        if self.first_day is not None and self.last_day is not None:
            days = {"first": self.first_day.isoformat(), "last": self.last_day.isoformat()}
            lines.append(_("dates: %(first)s to %(last)s") % days)
        if self.won_cents is not None:
            lines.append(_("won value: %(value)s") % {"value": self.money(self.won_cents)})
        if self.open_stages:
            stages = ", ".join(f"{stage} ({n:,})" for stage, n in self.open_stages.most_common())
            lines.append(_("stages read as open: %(stages)s") % {"stages": stages})
        if self.per_person:
            lines.append(self._per_person_line())
        for value, rows, closest in self.unmatched:
            values = {"value": repr(value), "rows": f"{rows:,}", "closest": ", ".join(closest)}
            if closest:
                lines.append(_("not matched: %(value)s on %(rows)s rows (closest: %(closest)s)")
                             % values)  # fmt: skip
            else:
                lines.append(_("not matched: %(value)s on %(rows)s rows") % values)
        for message, rows in self.warnings.most_common():
            lines.append(_("warning: %(rows)s × %(message)s") % {"rows": f"{rows:,}",
                                                                  "message": message})  # fmt: skip
        return lines

    def _per_person_line(self) -> str:
        top = self.per_person.most_common(PEOPLE_SHOWN)
        more = len(self.per_person) - len(top)
        people = ", ".join(f"{name} {n:,}" for name, n in top)
        if more > 0:
            return _("rows per person: %(people)s and %(more)s more") % {
                "people": people,
                "more": f"{more:,}",
            }
        return _("rows per person: %(people)s") % {"people": people}

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcomes": dict(self.outcomes),
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "won_value": f"{self.won_cents / 100:.2f}" if self.won_cents is not None else None,
            "currency": self.currency,
            "per_person": dict(self.per_person.most_common()),
            "open_stages": dict(self.open_stages),
            "unmatched": [{"value": v, "rows": n, "closest": c} for v, n, c in self.unmatched],
            "warnings": dict(self.warnings),
        }


PEOPLE_SHOWN = 10
OUTCOME_ORDER = ("won", "lost", "open")


@dataclass
class ImportReport:
    """The outcome of ``run_import``. ``committed`` is true only when rows were written.

    When bad rows stop an import (no ``skip_bad``) nothing is written and the counts are 0;
    in a dry run the counts say what the import would do.
    """

    kind: str
    source: str
    file: str = ""
    dry_run: bool = False
    skip_bad: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    rejected: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    aborted: bool = False  # the file as a whole was refused (unreadable, a column missing …)
    seconds: float = 0.0
    # What the import understood (``Understanding``), filled for the ledger kinds.
    understood: Understanding | None = None
    keep_errors: int = 10_000
    on_error: Callable[[RowError], None] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """No row was rejected."""
        return self.error_count == 0

    @property
    def failed(self) -> bool:
        """Bad input stopped the import: nothing was (or, in a dry run, would be) written."""
        return self.aborted or (self.error_count > 0 and not self.skip_bad)

    def reject(self, errors: Iterable[RowError]) -> None:
        """Record one rejected row (one error per bad cell)."""
        self.rejected += 1
        self.add_errors(errors)

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < self.keep_errors:
                self.errors.append(error)
            if self.on_error is not None:
                self.on_error(error)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def understanding_lines(self) -> list[str]:
        """What the import understood, one line each (empty when nothing was read)."""
        return self.understood.lines() if self.understood else []

    def summary(self) -> str:
        """One line for people, e.g. ``deals from x.csv (source hubspot): 3 created …``, in
        the active language (the command's: English unless it is run in another)."""
        values = {"kind": self.kind, "file": self.file or _("the file"), "source": self.source}
        what = (_("%(kind)s from %(file)s (source %(source)s)") if self.source
                else _("%(kind)s from %(file)s")) % values  # fmt: skip
        values = {
            name: f"{getattr(self, name):,}"
            for name in ("rows", "created", "updated", "unchanged", "ignored", "rejected")
        }
        rows = ngettext("%(rows)s row read", "%(rows)s rows read", self.rows) % values
        counts = _(
            "%(rows_read)s: %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged, %(ignored)s ignored, %(rejected)s rejected"
        ) % {**values, "rows_read": rows}
        if self.dry_run:
            outcome = _("a dry run: nothing was saved")
        elif self.committed:
            outcome = _("imported in %(seconds)s s") % {"seconds": f"{self.seconds:.1f}"}
        else:
            outcome = _("nothing was imported")
        return _("%(what)s: %(counts)s (%(outcome)s)") % {
            "what": what,
            "counts": counts,
            "outcome": outcome,
        }

    def refusal(self) -> str:
        """Why a failed import wrote nothing, as a sentence: "Nothing was imported: 2
        problems in 1 row." (the command's error)."""
        problems = ngettext("%(count)s problem", "%(count)s problems", self.error_count) % {
            "count": f"{self.error_count:,}"
        }
        rows = max(self.rejected, 1)
        in_rows = ngettext("in %(count)s row", "in %(count)s rows", rows) % {"count": f"{rows:,}"}
        return _("Nothing was imported: %(problems)s %(rows)s.") % {
            "problems": problems,
            "rows": in_rows,
        }

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the counts, the kept errors and the notes."""
        return {
            "kind": self.kind,
            "source": self.source,
            "file": self.file,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "failed": self.failed,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored": self.ignored,
            "rejected": self.rejected,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "notes": list(self.notes),
            "understood": self.understood.as_dict() if self.understood else None,
            "seconds": round(self.seconds, 3),
        }


def neutralised(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading formula character gets a quote."""
    return str(formula_safe(text))


class ErrorsCsv:
    """Writes rejected rows to a CSV as they come, safe to open in a spreadsheet."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.stream.write(csv_line(ERROR_COLUMNS) + "\n")

    def __call__(self, error: RowError) -> None:
        # csv_line quotes a value holding a carriage return (a spreadsheet's row break).
        cells = [error.row, neutralised(error.column), neutralised(error.value), error.reason]
        self.stream.write(csv_line(cells) + "\n")
