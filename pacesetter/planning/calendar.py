"""Working calendar and periods: years, fiscal years, quarters, months, weeks and days.

Label rules (``parse_period`` reads them, every ``Period`` carries one):

* ``2027`` — calendar year; ``FY2027`` — fiscal year *ending* in 2027 (see ``fiscal_year``).
* ``2027-Q3`` — calendar quarter; ``FY2027-Q1`` — first quarter of fiscal year 2027.
  When the fiscal year starts in January the two coincide and the plain label is used.
* ``2027-05`` — month; ``2027-05-03`` — day.
* ``2027-W14`` — week 14 of week-year 2027. Weeks begin on the calendar's ``week_start``;
  week 1 is the week that contains 4 January (equivalently: the first week with at least
  four days in the new year). With a Monday start this is exactly ISO 8601; with a Sunday
  start it is the same rule shifted, so 1 January can fall in week 52/53 of the year before.

Every period's ``end`` is exclusive, so consecutive periods share a boundary and never a day.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from fractions import Fraction

from .errors import PlanningError, cause
from .explain import Explanation

PERIOD_KINDS = ("year", "quarter", "month", "week", "day")
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class WorkCalendar:
    """When a sales org works: week start (0=Monday), working weekdays, holidays, fiscal year."""

    week_start: int = 0
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = field(default_factory=frozenset)
    fiscal_year_start_month: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.week_start <= 6:
            raise PlanningError("calendar.week_start", value=self.week_start)
        if not 1 <= self.fiscal_year_start_month <= 12:
            raise PlanningError("calendar.fiscal_start", value=self.fiscal_year_start_month)
        weekdays = frozenset(self.working_weekdays)
        if not weekdays <= frozenset(range(7)):
            raise PlanningError("calendar.weekdays", value=sorted(weekdays))
        # Callers naturally pass sets or lists; freezing them keeps the calendar hashable.
        object.__setattr__(self, "working_weekdays", weekdays)
        object.__setattr__(self, "holidays", frozenset(self.holidays))


@dataclass(frozen=True)
class Period:
    """A span of days ``[start, end)`` of one kind, with its human label."""

    kind: str
    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise PlanningError("calendar.period_kind", kinds=PERIOD_KINDS, kind=repr(self.kind))
        if self.start >= self.end:
            raise PlanningError("calendar.period_empty", label=self.label)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end


# --- building periods -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later, clamped to the month's last day (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise PlanningError("calendar.out_of_range", day=day.isoformat(), months=months)
    last_day = monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def month_period(year: int, month: int) -> Period:
    """The calendar month, e.g. ``month_period(2027, 5)`` → ``2027-05``."""
    start = date(year, month, 1)
    return Period("month", start, add_months(start, 1), f"{year:04d}-{month:02d}")


def month_of(day: date) -> Period:
    """The calendar month containing ``day``."""
    return month_period(day.year, day.month)


def day_period(day: date) -> Period:
    """The single day as a period labelled ``YYYY-MM-DD``."""
    return Period("day", day, day + timedelta(days=1), day.isoformat())


def calendar_year(year: int) -> Period:
    """1 January to 31 December of ``year``, labelled ``2027``."""
    return Period("year", date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}")


def fiscal_year(year: int, cal: WorkCalendar) -> Period:
    """Fiscal year ``year``: labelled by the calendar year in which it ENDS.

    With an April start, ``FY2027`` runs from 1 April 2026 to 31 March 2027. A January start gives
    the calendar year and the plain label ``2027``.
    """
    first_month = cal.fiscal_year_start_month
    if first_month == 1:
        return calendar_year(year)
    start = date(year - 1, first_month, 1)
    return Period("year", start, add_months(start, 12), f"FY{year:04d}")


def fiscal_year_of(day: date, cal: WorkCalendar) -> Period:
    """The fiscal year containing ``day``."""
    if cal.fiscal_year_start_month == 1:
        return calendar_year(day.year)
    ends_in = day.year + 1 if day.month >= cal.fiscal_year_start_month else day.year
    return fiscal_year(ends_in, cal)


def fiscal_quarter(year: int, quarter: int, cal: WorkCalendar) -> Period:
    """Quarter 1 to 4 of fiscal year ``year`` (a calendar quarter for a January fiscal year)."""
    if not 1 <= quarter <= 4:
        raise PlanningError("calendar.quarter", quarter=quarter)
    fy = fiscal_year(year, cal)
    start = add_months(fy.start, 3 * (quarter - 1))
    return Period("quarter", start, add_months(start, 3), f"{fy.label}-Q{quarter}")


def quarter_of(day: date | Period, cal: WorkCalendar) -> Period:
    """The fiscal quarter containing ``day`` (or a period's first day)."""
    if isinstance(day, Period):
        day = day.start
    fy = fiscal_year_of(day, cal)
    months_in = (day.year - fy.start.year) * 12 + day.month - fy.start.month
    ends_in = fy.end.year if cal.fiscal_year_start_month != 1 else fy.start.year
    return fiscal_quarter(ends_in, months_in // 3 + 1, cal)


def _week_one_start(week_year: int, cal: WorkCalendar) -> date:
    jan4 = date(week_year, 1, 4)
    return jan4 - timedelta(days=(jan4.weekday() - cal.week_start) % 7)


def weeks_in_year(week_year: int, cal: WorkCalendar) -> int:
    """52 or 53: how many weeks week-year ``week_year`` has under the calendar's week start."""
    span = _week_one_start(week_year + 1, cal) - _week_one_start(week_year, cal)
    return span.days // 7


def week_period(week_year: int, week: int, cal: WorkCalendar) -> Period:
    """Week ``week`` of week-year ``week_year`` (see the module docstring for the rule)."""
    last = weeks_in_year(week_year, cal)
    if not 1 <= week <= last:
        raise PlanningError("calendar.week", year=week_year, last=last, week=week)
    start = _week_one_start(week_year, cal) + timedelta(weeks=week - 1)
    return Period("week", start, start + timedelta(days=7), f"{week_year:04d}-W{week:02d}")


def week_of(day: date, cal: WorkCalendar) -> Period:
    """The week containing ``day``, starting on the calendar's ``week_start``."""
    start = day - timedelta(days=(day.weekday() - cal.week_start) % 7)
    # The week belongs to the year holding its fourth day, which is what "contains 4 Jan" means.
    week_year = (start + timedelta(days=3)).year
    week = (start - _week_one_start(week_year, cal)).days // 7 + 1
    return Period("week", start, start + timedelta(days=7), f"{week_year:04d}-W{week:02d}")


# --- parsing ----------------------------------------------------------------------------

_YEAR = re.compile(r"(FY)?(\d{4})")
_QUARTER = re.compile(r"(FY)?(\d{4})-Q(\d)")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

_LABEL_HELP = Explanation("calendar.label_help")


def parse_period(text: str, cal: WorkCalendar) -> Period:
    """Read a period label (module docstring lists them); ValueError for anything else."""
    cleaned = text.strip().upper()
    try:
        if match := _YEAR.fullmatch(cleaned):
            year = int(match[2])
            return fiscal_year(year, cal) if match[1] else calendar_year(year)
        if match := _QUARTER.fullmatch(cleaned):
            year, quarter = int(match[2]), int(match[3])
            if match[1]:
                return fiscal_quarter(year, quarter, cal)
            return fiscal_quarter(year, quarter, WorkCalendar())
        if match := _MONTH.fullmatch(cleaned):
            return month_period(int(match[1]), int(match[2]))
        if match := _WEEK.fullmatch(cleaned):
            return week_period(int(match[1]), int(match[2]), cal)
        if match := _DAY.fullmatch(cleaned):
            return day_period(date(int(match[1]), int(match[2]), int(match[3])))
    except (ValueError, OverflowError) as error:  # OverflowError: the day after 9999-12-31
        raise PlanningError("calendar.bad_label", text=repr(text), reason=cause(error)) from None
    raise PlanningError("calendar.bad_label", text=repr(text), reason=_LABEL_HELP)


# --- splitting periods ------------------------------------------------------------------


def months_of(period: Period) -> list[Period]:
    """Every calendar month overlapping ``period``, in order."""
    months = []
    current = month_of(period.start)
    while current.start < period.end:
        months.append(current)
        current = month_of(current.end)
    return months


def quarters_of(period: Period, cal: WorkCalendar) -> list[Period]:
    """Every fiscal quarter overlapping ``period``, in order."""
    quarters = []
    current = quarter_of(period.start, cal)
    while current.start < period.end:
        quarters.append(current)
        current = quarter_of(current.end, cal)
    return quarters


def weeks_of(period: Period, cal: WorkCalendar) -> list[Period]:
    """Every whole week overlapping ``period``; the first and last may stick out of it."""
    weeks = []
    current = week_of(period.start, cal)
    while current.start < period.end:
        weeks.append(current)
        current = week_of(current.end, cal)
    return weeks


def week_parts(week: Period) -> list[tuple[date, date]]:
    """The week cut where a month begins: ``[(start, end)]`` for a week inside one month,
    two spans (end exclusive) for a week that straddles two months.

    A number reported for a week (M6, "the old way") is reported per part, so that each
    month, quarter and year counts what happened in it; every period longer than a week
    starts on the 1st of a month, so a part never straddles one of them either.
    """
    boundary = month_of(week.start).end
    if boundary >= week.end:
        return [(week.start, week.end)]
    return [(week.start, boundary), (boundary, week.end)]


def week_part_of(day: date, cal: WorkCalendar) -> tuple[date, date]:
    """The part of ``day``'s week (see ``week_parts``) that holds ``day``."""
    return next(part for part in week_parts(week_of(day, cal)) if part[0] <= day < part[1])


def days_of(period: Period) -> list[Period]:
    """Every day of ``period`` as a day period."""
    return [day_period(period.start + timedelta(days=i)) for i in range(_length(period))]


def _length(period: Period) -> int:
    return (period.end - period.start).days


# --- working days -----------------------------------------------------------------------


def is_working_day(day: date, cal: WorkCalendar) -> bool:
    """True on a working weekday that is not a holiday."""
    return day.weekday() in cal.working_weekdays and day not in cal.holidays


Span = Period | tuple[date, date]


def _bounds(span: Span) -> tuple[date, date]:
    if isinstance(span, Period):
        return span.start, span.end
    start, end = span
    if end < start:
        raise PlanningError("calendar.span", end=end, start=start)
    return start, end


def working_days(span: Span, cal: WorkCalendar) -> list[date]:
    """The working days in a period or in ``(start, end)`` with ``end`` exclusive."""
    start, end = _bounds(span)
    days = (start + timedelta(days=i) for i in range((end - start).days))
    return [day for day in days if is_working_day(day, cal)]


def working_day_count(span: Span, cal: WorkCalendar) -> int:
    """How many working days ``working_days`` would return, without listing them."""
    start, end = _bounds(span)
    # Counted by whole weeks because capacity asks this for every rep and every month.
    full_weeks, rest = divmod((end - start).days, 7)
    count = full_weeks * len(cal.working_weekdays)
    count += sum(1 for i in range(rest) if (start.weekday() + i) % 7 in cal.working_weekdays)
    count -= sum(
        1 for day in cal.holidays if start <= day < end and day.weekday() in cal.working_weekdays
    )
    return count


def elapsed_fraction(period: Period, today: date, cal: WorkCalendar) -> Fraction:
    """Share of the period's working days strictly before ``today`` (today is not yet done).

    0 on or before the start, 1 from the end on. A period without working days is 0 until
    its end and 1 after, so callers never divide by zero.
    """
    total = working_day_count(period, cal)
    if total == 0:
        return Fraction(1) if today >= period.end else Fraction(0)
    cutoff = min(max(today, period.start), period.end)
    return Fraction(working_day_count((period.start, cutoff), cal), total)
