"""Deals: won, lost or open, with their amounts and dates."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter.ledger.importers.hints import or_list
from pacesetter.ledger.importers.kinds.base import Cells, Context, RowParser, external_id, needs
from pacesetter.ledger.importers.kinds.fields import ColumnMap, missing_column
from pacesetter.ledger.importers.parsing import (
    MAX_TOTAL_CENTS,
    CellError,
    flag,
    norm,
    probability,
    segment,
    text,
)
from pacesetter.ledger.importers.report import ImportFileError, RowError
from pacesetter.ledger.importers.tables import DealTable, Staged

# A deal's outcome in a sentence ("read as won").
OUTCOMES = {"won": gettext_lazy("won"), "lost": gettext_lazy("lost"), "open": gettext_lazy("open")}


def outcome_label(status: str) -> str:
    return str(OUTCOMES.get(status, status))


class DealParser(RowParser):
    """Deals: won, lost or open from the export's own columns first (a status; closed and
    won flags; a probability of 100 % or 0 %), then the stage's name (see ``_outcome``).

    Real exports carry rows an ideal file would not; they are kept, with a warning: a won
    deal without an amount (won, 0), a closed deal created after its close (the creation
    date is dropped, so it stays out of lead times), an open deal without a created date, a
    blank stage (open), a lost deal without a close date (lost on its last-modified date,
    else its created date)."""

    table = DealTable
    OPTIONAL = {"name": "name", "account_id": "account", "amount": "amount",
                "created_on": "created"}  # fmt: skip
    OUTCOME_FIELDS = ("status", "is_closed", "is_won", "probability", "stage")

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        needs(columns, "owner", context, "default_owner")
        if not any(columns.has(f) for f in self.OUTCOME_FIELDS):
            looked = or_list(["'Stage', 'Status', 'Is Closed'", "'Is Won'"])
            reason = missing_column("stage", looked, columns.header, context.hints)
            raise ImportFileError(RowError(1, "stage", "", reason))
        self.with_close_date = 0  # rows that have a close date, won or not
        self.total_cents = 0  # every amount read: the rollups add them up

    def has(self, table_field: str) -> bool:
        if table_field in self.OPTIONAL:
            return self.columns.has(self.OPTIONAL[table_field])
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def _by_stage(self, stage: str) -> str:
        c = self.context
        key = norm(stage)
        if key in c.won:
            return "won"
        if key in c.lost:
            return "lost"
        if key in c.open:
            return "open"
        words = set(re.findall(r"\w+", stage.casefold()))
        if "won" in words and "lost" not in words:
            return "won"
        if "lost" in words and "won" not in words:
            return "lost"
        if c.stages_strict:
            known = ", ".join(sorted(c.won | c.lost | c.open))
            raise CellError(
                _("unknown stage with %(option)s (known: %(known)s)")
                % {"option": c.hints.name("stages_strict"), "known": known}
            )
        return "open"

    def _status_cell(self, value: str) -> str:
        key = norm(value)
        if key in ("won", *self.context.won):
            return "won"
        if key in ("lost", *self.context.lost):
            return "lost"
        if key in ("open", "deleted"):
            return key
        raise CellError(_("unknown status (use open, won or lost)"))

    def _outcome(self, cells: Cells, stage: str) -> str | None:
        """won, lost, open, or deleted (Pipedrive) — None when a cell is bad."""
        status = cells.get("status", self._status_cell)
        if status is not None:
            return status
        is_closed = cells.get("is_closed", flag)
        is_won = cells.get("is_won", flag)
        percent = self.context.probability_percent
        chance = cells.get("probability", lambda v: probability(v, percent=percent))
        if cells.errors:
            return None
        if is_closed is False:
            return "open"
        if is_won is True:
            return "won"
        if is_closed is True:
            if is_won is False:
                return "lost"
            if chance is not None and chance in (0, 1):
                return "won" if chance == 1 else "lost"
            return "won" if stage and self._by_stage(stage) == "won" else "lost"
        by_stage = self._by_stage(stage) if stage else "open"
        if by_stage == "open" and chance is not None and chance in (0, 1):
            return "won" if chance == 1 else "lost"
        return by_stage

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        understood = c.understood
        key = cells.get("external_id", external_id, required=True)
        stage = cells.get("stage", lambda v: text(v, 64)) or ""
        status = self._status(cells, stage)
        if status == "deleted":
            cells.check()
            understood.warn(_("deals marked deleted were not imported"))
            return None
        owner = self._person(cells, "owner")
        if owner is None and not cells.errors:
            return None
        created = cells.get("created", c.dates.date)
        closed = cells.get("closed", c.dates.date)
        currency = cells.get("currency", c.numbers.currency_cell)
        cents = cells.get("amount", lambda v: c.numbers.cents(v, currency))
        self._add_up(cells, cents)
        name = cells.get("name", lambda v: text(v, 200)) or ""
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.get("product", lambda v: text(v, 200))
        modified = cells.get("modified", c.dates.date)
        cells.check()
        assert status is not None  # a row without one has an error: ``check`` rejected it
        created, closed = self._dates(cells, status, created, closed, modified)
        self._tally(cells, stage, status)
        understood.day(closed or created)
        self._count_person(owner)  # type: ignore[arg-type]
        if status == "won":
            understood.won_cents = (understood.won_cents or 0) + (cents or 0)
        values = (name, owner, None, cents or 0, stage, status, seg, created, closed)
        return Staged(cells.row, key, values, account)  # type: ignore[arg-type]

    def _add_up(self, cells: Cells, cents: int | None) -> None:
        """Refuse the row whose amount takes the file's total past ``MAX_TOTAL_CENTS``:
        beyond it, sums in the money columns could overflow."""
        if self.total_cents + (cents or 0) <= MAX_TOTAL_CENTS:
            self.total_cents += cents or 0
        else:
            reason = _(
                "the amounts add up to more than %(limit)s: more than the money column can "
                "safely add up"
            ) % {"limit": f"{MAX_TOTAL_CENTS // 100:,}"}
            cells.fail("amount", reason)

    def _status(self, cells: Cells, stage: str) -> str | None:
        """The row's outcome (``_outcome``), None with an error on the row when bad."""
        try:
            return self._outcome(cells, stage)
        except CellError as error:
            cells.fail("stage", str(error))
            return None

    def _dates(
        self,
        cells: Cells,
        status: str,
        created: dt.date | None,
        closed: dt.date | None,
        modified: dt.date | None,
    ) -> tuple[dt.date | None, dt.date | None]:
        """The created and close dates stored for a deal of this outcome: an open deal has
        no close date, a lost one without one closed when it was last modified (else
        created), a won one must have one; a creation after the close is dropped."""
        understood = self.context.understood
        if status == "open":
            closed = None  # an open deal's close date is only expected
            if created is None:
                understood.warn(_("open deals have no created date: imported without one"))
        elif closed is None and status == "lost":
            closed = modified or created
            if closed is None:
                column = "closed" if self.columns.has("closed") else "stage"
                cells.fail(column, _("a lost deal needs a close, last-modified or created date"))
            elif modified:
                understood.warn(
                    _("lost deals have no close date: lost on their last-modified date")
                )
            else:
                understood.warn(_("lost deals have no close date: lost on their created date"))
        elif closed is None:
            cells.fail("closed" if self.columns.has("closed") else "stage",
                       _("a won deal needs a close date"))  # fmt: skip
        cells.check()
        if closed is not None and created is not None and closed < created:
            understood.warn(_("closed deals were created after they closed (records loaded "
                              "into the CRM later?): kept, without a created date, so they stay "
                              "out of lead times"))  # fmt: skip
            created = None
        return created, closed

    def _tally(self, cells: Cells, stage: str, status: str) -> None:
        """Count an accepted row's outcome, and warn about what it lacked."""
        understood = self.context.understood
        if status == "won" and not cells.values.get("amount"):
            understood.warn(_("won deals have no amount: imported as won with 0"))
        if not stage and self.columns.has("stage"):
            understood.warn(
                _("deals have a blank stage: read as %(status)s")
                % {"status": outcome_label(status)}
            )
        elif status == "open":
            understood.open_stages[stage] += 1
        if cells.values.get("closed"):
            self.with_close_date += 1  # an accepted row with a close date, won or not
        understood.outcomes[status] += 1

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 2, 6)

    def finish(self) -> None:
        super().finish()
        understood = self.context.understood
        understood.won_cents = understood.won_cents or 0
        if self.with_close_date and not understood.outcomes.get("won"):
            opened = ", ".join(understood.open_stages) or _("none")
            fix = self.context.hints.option("won_stages", "STAGE")
            understood.warn(
                _(
                    "the file has close dates but no won deal: check which stages mean won "
                    "(stages read as open: %(stages)s; %(fix)s)"
                )
                % {"stages": opened, "fix": fix},
                self.with_close_date,
            )
