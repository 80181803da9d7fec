"""Weekly numbers entered by hand (the weekly template read back)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.kinds.base import Cells, Context, RowParser
from pacesetter.ledger.importers.kinds.fields import ColumnMap
from pacesetter.ledger.importers.parsing import CellError, norm, text
from pacesetter.ledger.importers.tables import EntryTable, Staged
from pacesetter.planning import WorkCalendar, parse_period, week_of, week_part_of, week_parts

_WEEK_LABEL = re.compile(r"\d{4}-[Ww]\d{2}")


class EntryParser(RowParser):
    """Weekly numbers; a row with an empty value is skipped (not filled in yet).

    The week column holds a week (``2026-W48``) or a date. A week that straddles two months
    is reported in two parts, one per month (``planning.week_parts``): a date names the part
    of its week in its own month, and a week label of such a week is refused, since it
    cannot say which month the number belongs to.
    """

    table = EntryTable

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        self.straddling = 0  # rows in a week that straddles two months (a note says so)

    def has(self, table_field: str) -> bool:
        return table_field != "note" or self.columns.has("note")

    def _metric(self, value: str) -> str:
        metrics = self.context.metrics or {}
        found = metrics.get(norm(value))
        if found is None:
            known = ", ".join(sorted(set(metrics.values()))) or _("none defined")
            raise CellError(_("not a manual-entry metric (known: %(known)s)") % {"known": known})
        return found

    def _first_day(self, value: str) -> dt.date:
        """The first day of the part of a week the row reports (see the class docstring)."""
        calendar = self.context.calendar or WorkCalendar()
        if _WEEK_LABEL.fullmatch(value):
            try:
                period = parse_period(value, calendar)
            except ValueError as error:
                raise CellError(str(error)) from None
            parts = week_parts(period)
            if len(parts) > 1:
                (first, _first_end), (second, end) = parts
                last = end - dt.timedelta(days=1)
                raise CellError(
                    _(
                        "week %(week)s runs from %(first)s to %(last)s, across two months: "
                        "report each month's part on its own row, with the part's first day "
                        "(%(first)s or %(second)s) in this column"
                    )
                    % {"week": period.label, "first": first, "last": last, "second": second}
                )
            return period.start
        day = self.context.dates.date(value)
        first_day, _end = week_part_of(day, calendar)
        if len(week_parts(week_of(day, calendar))) > 1:
            self.straddling += 1
        return first_day

    def parse(self, cells: Cells) -> Staged | None:
        if not cells.values.get("value") and not cells.values.get("note"):
            return None  # a template row nobody filled in
        c = self.context
        person = cells.get("person", c.people.require, required=True)
        metric = cells.get("metric", self._metric, required=True)
        first_day = cells.get("week", self._first_day, required=True)
        value = cells.get("value", c.numbers.decimal)
        note = cells.get("note", lambda v: text(v, 500)) or ""
        cells.check()
        if value is None:
            return None
        key = EntryTable.key(person, metric, first_day)  # type: ignore[arg-type]
        return Staged(cells.row, key, (value, note))
