"""Reading dates and moments in an import (see ``Dates``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pacesetter.ledger.importers.hints import CLI, Hints
from pacesetter.ledger.importers.parsing import CellError, formula_check

OLDEST, NEWEST = dt.date(1900, 1, 1), dt.date(2200, 1, 1)


class Dates:
    """Dates and moments: ISO 8601 first, then each ``formats`` (strptime) in turn.

    A time without a zone is a moment in the org's zone; moments come back in UTC with the
    first day of their month in the org's zone (what the rollups are keyed by).
    """

    def __init__(self, zone: dt.tzinfo, formats: Iterable[str] = (), hints: Hints = CLI) -> None:
        self.zone = zone
        self.hints = hints
        self.formats = tuple(formats)
        self._dates: dict[str, dt.date] = {}

    def _parse(self, value: str) -> dt.datetime:
        formula_check(value)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            for fmt in self.formats:
                try:
                    parsed = dt.datetime.strptime(value, fmt)  # noqa: DTZ007 zone added below
                    break
                except ValueError:
                    continue
            else:
                shown = f" or {', '.join(self.formats)}" if self.formats else ""
                raise CellError(f"not a date (expected ISO like 2026-03-31{shown}; "
                                "give --date-format)") from None  # fmt: skip
        if not OLDEST <= parsed.date() < NEWEST:
            raise CellError("an implausible date (before 1900 or after 2200)")
        return parsed

    def date(self, value: str) -> dt.date:
        """A day; a moment given with a zone is read as the day it was in the org's zone."""
        found = self._dates.get(value)
        if found is None:
            parsed = self._parse(value)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(self.zone)
            found = parsed.date()
            if len(self._dates) > 50_000:  # files hold few distinct days: keep it bounded
                self._dates.clear()
            self._dates[value] = found
        return found

    def moment(self, value: str) -> tuple[dt.datetime, dt.date]:
        """(the moment in UTC, first day of its month in the org's zone)."""
        parsed = self._parse(value)
        if parsed.tzinfo is None:
            local = parsed.replace(tzinfo=self.zone)
        else:
            local = parsed.astimezone(self.zone)
        return local.astimezone(dt.UTC), local.date().replace(day=1)
