"""Derived targets: a month's target per working day and per week, months into quarters.

A month's target is spread evenly over its working days (leftover cents go to the earliest
days, so the month is front-loaded by at most a cent a day); weeks sum their days. A week
that straddles two months takes days from both months' plans, so callers add the
``by_week`` results of both months.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from .allocation import allocate
from .calendar import Period, WorkCalendar, parse_period, quarter_of, week_of, working_days
from .errors import PlanningError
from .money import Number, as_decimal


def by_working_day(target: Number, period: Period, cal: WorkCalendar) -> dict[date, Decimal]:
    """Target per working day of ``period``, in cents adding up exactly to ``target``.

    ValueError when the period has no working day to carry a non-zero target.
    """
    days = working_days(period, cal)
    amount = as_decimal(target, "target")
    if not days:
        if amount:
            raise PlanningError("breakdown.no_working_day", period=period.label, amount=amount)
        return {}
    # ISO dates sort by str in date order, which is what puts leftover cents first.
    return allocate(amount, dict.fromkeys(days, Decimal(1)))


def by_week(target: Number, period: Period, cal: WorkCalendar) -> dict[str, Decimal]:
    """The part of ``period``'s target falling in each week, keyed by week label."""
    weeks: dict[str, Decimal] = {}
    for day, amount in by_working_day(target, period, cal).items():
        label = week_of(day, cal).label
        weeks[label] = weeks.get(label, Decimal("0.00")) + amount
    return weeks


def by_quarter(monthly: Mapping[str, Number], cal: WorkCalendar) -> dict[str, Decimal]:
    """Sum ``YYYY-MM`` targets into the calendar's fiscal quarters, keyed by quarter label."""
    quarters: dict[str, Decimal] = {}
    for label in sorted(monthly):
        month = parse_period(label, cal)
        if month.kind != "month":
            raise PlanningError("breakdown.month_labels", label=repr(label))
        quarter = quarter_of(month, cal).label
        amount = as_decimal(monthly[label], f"target for {label}")
        quarters[quarter] = quarters.get(quarter, Decimal("0.00")) + amount
    return quarters
