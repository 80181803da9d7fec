"""Reading dates and moments in an import (see ``Dates``).

A value is read, in this order, as:

1. ISO 8601: ``2026-03-31``, ``2026-03-31 14:05``, ``2026-03-31T14:05:00Z``;
2. each of the user's own formats (``--date-format``, strptime), in turn;
3. a numeric date the way spreadsheets and CRMs write them, optionally followed by a time
   ``H:MM`` or ``H:MM:SS``, with ``AM``/``PM`` or not, after a space or ``", "``
   (Salesforce writes ``3/31/2026, 2:05 PM``):

   * ``31/03/2026`` or ``3/31/2026``: slashed, day or month first (see below);
   * ``31.03.2026`` and ``31-03-2026``: dotted or dashed, always day first;
   * ``2026/03/31`` (also ``2026.03.31``): year first, then month (dashed, that is ISO's);

   a two-digit year (``02/03/24``, what a file re-saved in Excel holds) is 2000–2069 for
   ``00``–``69`` and 1970–1999 for ``70``–``99``;
4. each of the preset's formats (strptime), in turn.

**Slashed dates** need an order, and a file says it only by its values: ``31/03/2026``
(a first part over 12) is day first, ``3/31/2026`` (a second part over 12) month first,
``01/02/2026`` could be either. An import is *undecided* until a value with such evidence
decides the order for the rest of it; reading an ambiguous value while undecided raises
``DatesUndecided``, and the engine then judges the whole file (``judge_order``) and runs the
import again with the order decided. A value that contradicts the order (``31/03/2026`` in
a month-first file) is refused on its cell. The user's formats are their word: no judging
then; a format such as ``%d/%m/%Y`` also says the order of the slashed dates they do not
read themselves (``31/03/2026 14:05``, ``31/03/26``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter.ledger.importers.hints import CLI, Hints
from pacesetter.ledger.importers.parsing import CellError, formula_check

OLDEST, NEWEST = dt.date(1900, 1, 1), dt.date(2200, 1, 1)
ORDERS = {True: gettext_lazy("day/month/year"), False: gettext_lazy("month/day/year")}
FORMATS = {True: "%d/%m/%Y", False: "%m/%d/%Y"}  # what the messages suggest for each order
# A file whose slashed dates disagree takes the order of at least this share of them (the
# others are then refused one by one); below it, the file is refused as a whole.
MAJORITY = 0.95

_TIME = (
    r"(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<half>[AaPp][Mm]))?)?"
)
_SLASHED = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})" + _TIME)
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})" + _TIME
)
_YEAR_FIRST = re.compile(
    r"(?P<year>\d{4})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _TIME
)
# A --date-format that puts day and month around a slash says the order of slashed dates.
_FORMAT_ORDER = re.compile(r"%[-#]?([dm])/%[-#]?([dm])")


class DatesUndecided(Exception):
    """An ambiguous slashed date (``01/02/2024``) was read before anything said the file's
    order of day and month: the file must be judged as a whole (``judge_order``)."""

    def __init__(self, value: str) -> None:
        super().__init__(f"{value}: the file has not said yet whether days or months come first")
        self.value = value


class DateOrderConflict(CellError):
    """The file's slashed dates are in both orders, neither nearly always: ``value`` (and
    ``where``, as given to ``DateOrder.add``) is the first date of the less common order."""

    def __init__(self, reason: str, value: str, where: object) -> None:
        super().__init__(reason)
        self.value, self.where = value, where


def two_digit_year(year: int) -> int:
    """``24`` → 2024, ``69`` → 2069, ``70`` → 1970 (documented in the module docstring)."""
    return year + (2000 if year < 70 else 1900)


def _year(text: str) -> int:
    return two_digit_year(int(text)) if len(text) == 2 else int(text)


def _evidence(a: int, b: int) -> bool | None:
    """What a slashed date's parts say: True day first, False month first, None either.

    Raises ``CellError`` when neither reading is a date."""
    if a == 0 or b == 0 or a > 31 or b > 31:
        raise CellError(_("not a date: days run from 1 to 31 and months from 1 to 12"))
    if a > 12 and b > 12:
        raise CellError(_("not a date: neither of its first two numbers can be a month (1–12)"))
    if a > 12:
        return True
    if b > 12:
        return False
    return None


def _choices(hints: Hints) -> str:
    """``give --date-format %m/%d/%Y or --date-format %d/%m/%Y`` (the web: its field)."""
    month_first, day_first = FORMATS[False], FORMATS[True]
    if hints.web:
        either = _("%(first)s or %(second)s") % {"first": month_first, "second": day_first}
        return hints.option("date_format", either)
    return f"{hints.option('date_format', month_first)} or {hints.name('date_format')} {day_first}"


def day_text(year: int, month: int, day: int) -> str:
    """``2 January 2024`` (``2024年1月2日``), also for a day that does not exist."""
    return _("%(day)s %(month)s %(year)s") % {
        "day": day,
        "month": MONTH_NAMES[month],
        "year": year,
    }


def ambiguous_reason(value: str, hints: Hints = CLI, *, whole_file: bool = False) -> str:
    """``01/02/2024 reads as 2 January 2024 (month/day/year) or 1 February 2024 …``."""
    match = _SLASHED.fullmatch(value.strip())
    if match is None:  # not a slashed date: nothing to explain
        return _("%(value)s could be day/month/year or month/day/year; %(fix)s") % {
            "value": value,
            "fix": _choices(hints),
        }
    a, b, year = int(match["a"]), int(match["b"]), _year(match["year"])
    values = {
        "value": value,
        "first": day_text(year, a, b),
        "first_order": ORDERS[False],
        "second": day_text(year, b, a),
        "second_order": ORDERS[True],
        "fix": _choices(hints),
    }
    if whole_file:
        return (
            _(
                "%(value)s reads as %(first)s (%(first_order)s) or %(second)s "
                "(%(second_order)s): the file never says which; %(fix)s"
            )
            % values
        )
    return (
        _(
            "%(value)s reads as %(first)s (%(first_order)s) or %(second)s "
            "(%(second_order)s); %(fix)s"
        )
        % values
    )


class Dates:
    """Dates and moments (see the module docstring for what is read, in which order).

    ``formats`` are the user's (``--date-format``), ``preset_formats`` the CRM preset's;
    ``day_first`` is the order of slashed dates when it is known (the engine's judgement),
    None to let the file say it. A time without a zone is a moment in the org's zone;
    moments come back in UTC with the first day of their month in the org's zone (what the
    rollups are keyed by).
    """

    def __init__(
        self,
        zone: dt.tzinfo,
        formats: Iterable[str] = (),
        hints: Hints = CLI,
        preset_formats: Iterable[str] = (),
        day_first: bool | None = None,
    ) -> None:
        self.zone = zone
        self.hints = hints
        self.formats = tuple(formats)
        self.preset_formats = tuple(f for f in preset_formats if f not in self.formats)
        self.day_first = day_first
        # Why the order is what it is, for the messages of values that contradict it.
        self._because = ""
        # The user's formats are their word: an ambiguous value is then an error on its
        # cell, never a reason to judge the file.
        self.judging = not self.formats
        if day_first is None:
            for fmt in self.formats:
                found = _FORMAT_ORDER.search(fmt)
                if found and found[1] != found[2]:
                    self.day_first = found[1] == "d"
                    self._because = f"{hints.name('date_format')} {fmt}"
                    break
        self._dates: dict[str, dt.date] = {}
        # ``YYYY-MM-DD HH`` → (UTC offset, first of the month, day) of a local hour whose
        # offset is the same throughout (no DST change in it): ``quick_moment``.
        self._hours: dict[str, tuple[dt.timedelta, dt.date, dt.date] | None] = {}

    def _parse(self, value: str) -> dt.datetime:
        formula_check(value)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            found = _strptime(value, self.formats) or self._numeric(value)
            found = found or _strptime(value, self.preset_formats)
            if found is None:
                tried = ", ".join((*self.formats, *self.preset_formats))
                fix = self.hints.option("date_format")
                if tried:
                    raise CellError(
                        _("not a date (expected ISO like 2026-03-31 or %(formats)s; %(fix)s)")
                        % {"formats": tried, "fix": fix}
                    ) from None
                raise CellError(
                    _("not a date (expected ISO like 2026-03-31; %(fix)s)") % {"fix": fix}
                ) from None
            parsed = found
        if not OLDEST <= parsed.date() < NEWEST:
            raise CellError(_("an implausible date (before 1900 or after 2200)"))
        return parsed

    def _numeric(self, value: str) -> dt.datetime | None:
        """A numeric date (slashed, dotted, dashed or year first), None if it is none."""
        match = _SLASHED.fullmatch(value)
        if match is not None:
            a, b = int(match["a"]), int(match["b"])
            day, month = (a, b) if self._day_first(value, a, b) else (b, a)
        else:
            match, order = _DAY_FIRST.fullmatch(value), _("day, month, year")
            if match is None:
                match, order = _YEAR_FIRST.fullmatch(value), _("year, month, day")
            if match is None:
                return None
            day, month = int(match["day"]), int(match["month"])
            if not 1 <= month <= 12:
                raise CellError(
                    _("not a date: %(month)s is not a month (read as %(order)s)")
                    % {"month": month, "order": order}
                )
        year = _year(match["year"])
        try:
            date = dt.date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12:
                raise CellError(_("not a date")) from None
            raise CellError(
                _("not a date: %(month)s %(year)s has no day %(day)s")
                % {"month": MONTH_NAMES[month], "year": year, "day": day}
            ) from None
        return dt.datetime.combine(date, _time(match))

    def _day_first(self, value: str, a: int, b: int) -> bool:
        """The order to read the slashed ``value`` (parts ``a``/``b``) in, deciding it
        when the value says it and nothing did before."""
        evidence = _evidence(a, b)
        if a == b:
            return True  # 05/05/2026 is the same day either way
        if self.day_first is None:
            if evidence is None:
                if self.judging:
                    raise DatesUndecided(value)
                raise CellError(ambiguous_reason(value, self.hints))
            self.day_first = evidence
            self._because = _("as %(value)s earlier in the file says") % {"value": value}
        elif evidence is not None and evidence != self.day_first:
            values = {"value": value, "order": ORDERS[self.day_first], "because": self._because}
            if self._because:
                raise CellError(
                    _("%(value)s is not a date when this file's dates are %(order)s (%(because)s)")
                    % values
                )
            raise CellError(
                _("%(value)s is not a date when this file's dates are %(order)s") % values
            )
        return self.day_first

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

    def quick_moment(self, value: str) -> tuple[dt.datetime, dt.date, dt.date] | None:
        """``moment(value)`` and the day in the org's zone, for an ISO date and time without
        an offset (``2026-03-31 14:05:00``) whose hour holds no DST change; None for any
        other value (ask ``moment``, which also explains what is wrong). The offset of each
        local hour is worked out once per import instead of converting every row."""
        if len(value) < 13 or value[10] not in " T" or value[4] != "-" or value[7] != "-":
            return None
        try:  # the wall time read as if it were UTC; a value with its own offset fails here
            wall = dt.datetime.fromisoformat(value + "+00:00")
        except ValueError:
            return None
        hour = value[:13]
        try:
            found = self._hours[hour]
        except KeyError:
            found = self._hour(wall)
            if len(self._hours) > 100_000:  # a file spans few hours: keep it bounded
                self._hours.clear()
            self._hours[hour] = found
        if found is None:
            return None
        offset, month, day = found
        return wall - offset, month, day

    def _hour(self, wall: dt.datetime) -> tuple[dt.timedelta, dt.date, dt.date] | None:
        """(offset, month, day) of the local hour of ``wall``; None when the offset changes
        within it, or is ambiguous, or the day is out of range (``moment`` decides those)."""
        start = dt.datetime(wall.year, wall.month, wall.day, wall.hour)  # noqa: DTZ001 wall time
        if not OLDEST <= start.date() < NEWEST:
            return None
        end = start + dt.timedelta(hours=1) - dt.timedelta(microseconds=1)
        offsets = {
            moment.replace(tzinfo=self.zone, fold=fold).utcoffset()
            for moment in (start, end)
            for fold in (0, 1)
        }
        if len(offsets) != 1:
            return None
        (offset,) = offsets
        if offset is None:
            return None
        return offset, start.date().replace(day=1), start.date()


def _strptime(value: str, formats: tuple[str, ...]) -> dt.datetime | None:
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt)  # noqa: DTZ007 zone added by the caller
        except ValueError:
            continue
    return None


def _time(match: re.Match[str]) -> dt.time:
    if match["hour"] is None:
        return dt.time()
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise CellError(
                _("not a time: %(hour)s %(half)s (hours before AM or PM are 1 to 12)")
                % {"hour": hour, "half": half}
            )
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        raise CellError(
            _("not a time: %(hour)s:%(minute)s")
            % {"hour": match["hour"], "minute": match["minute"]}
        ) from None


class DateOrder:
    """Evidence of the order of a file's slashed dates, value by value (see ``judge_order``).

    ``add(value, where)`` counts a value; ``where`` (e.g. its row and column) is kept for the
    first value of each kind: ``first["day"]``, ``first["month"]`` and ``first["ambiguous"]``
    (an ambiguous value whose two readings differ). Memory stays flat: only counters.
    """

    def __init__(self) -> None:
        self.day_first = 0
        self.month_first = 0
        self.first: dict[str, tuple[str, object]] = {}

    def add(self, value: str, where: object = None) -> None:
        match = _SLASHED.fullmatch(value.strip())
        if match is None:
            return
        a, b = int(match["a"]), int(match["b"])
        try:
            evidence = _evidence(a, b)
        except CellError:
            return  # a date in neither order says nothing about the file's
        if evidence is True:
            self.day_first += 1
            key = "day"
        elif evidence is False:
            self.month_first += 1
            key = "month"
        elif a != b:
            key = "ambiguous"
        else:
            return
        self.first.setdefault(key, (value, where))

    def verdict(self, hints: Hints = CLI) -> bool | None:
        """True (day first), False (month first) or None (no value says).

        Raises ``DateOrderConflict`` when both orders have values and neither has at least
        ``MAJORITY`` of them."""
        days, months = self.day_first, self.month_first
        if not days and not months:
            return None
        if days >= MAJORITY * (days + months):
            return True
        if months >= MAJORITY * (days + months):
            return False
        day_value, month_value = self.first["day"][0], self.first["month"][0]
        fewer = "month" if months < days else "day"
        if months == days:  # as many: the order found later is the odd one out
            fewer = [key for key in self.first if key != "ambiguous"][-1]
        value, where = self.first[fewer]
        reason = _(
            "the file's dates are in both orders: %(days)s can only be %(day_first)s "
            "(the first: %(day_value)s) and %(months)s only %(month_first)s (the first: "
            "%(month_value)s); correct them, or %(fix)s to have the others refused one by one"
        ) % {
            "days": f"{days:,}",
            "day_first": ORDERS[True],
            "day_value": day_value,
            "months": f"{months:,}",
            "month_first": ORDERS[False],
            "month_value": month_value,
            "fix": _choices(hints),
        }
        raise DateOrderConflict(reason, value, where)


def judge_order(values: Iterable[str], hints: Hints = CLI) -> bool | None:
    """The order of the slashed dates among ``values``: True day/month/year, False
    month/day/year, None when no value says (every one is ambiguous, or there is none).

    Raises ``DateOrderConflict`` when both orders are found and neither has at least
    ``MAJORITY`` of the values that say."""
    order = DateOrder()
    for value in values:
        order.add(value)
    return order.verdict(hints)
