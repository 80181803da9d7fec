"""Budget periods and what is committed in them.

A program's budget is per period (month, quarter or fiscal year). An award counts in the
budget period that holds its goal's first day, so a weekly goal that runs over a month's end
is budgeted once, in the month it started. *Committed* is the net of the funded ledger
entries (earned − reversed + funded later); unfunded awards are shown apart and never count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum

from pacesetter import planning
from pacesetter.rewards.models import Award, AwardEntry, Program

ZERO = Decimal("0.00")

BudgetKey = tuple[int, dt.date]  # program id, first day of the budget period


def budget_period(program: Program, day: dt.date, cal: planning.WorkCalendar) -> planning.Period:
    """The program's budget period that holds ``day``."""
    if program.budget_period == Program.BudgetPeriod.QUARTER:
        return planning.quarter_of(day, cal)
    if program.budget_period == Program.BudgetPeriod.YEAR:
        return planning.calendar.fiscal_year_of(day, cal)
    return planning.month_of(day)


def budget_periods(
    program: Program, start: dt.date, end: dt.date, cal: planning.WorkCalendar
) -> list[planning.Period]:
    """Every budget period of the program that shares a day with ``[start, end)``."""
    periods = []
    current = budget_period(program, start, cal)
    while current.start < end:
        periods.append(current)
        current = budget_period(program, current.end, cal)
    return periods


def _covering(
    programs: Iterable[Program], start: dt.date, end: dt.date, cal: planning.WorkCalendar
) -> tuple[dict[int, list[planning.Period]], dt.date, dt.date]:
    spans = {p.pk: budget_periods(p, start, end, cal) for p in programs}
    starts = [ps[0].start for ps in spans.values() if ps]
    ends = [ps[-1].end for ps in spans.values() if ps]
    return spans, min(starts, default=start), max(ends, default=end)


def _bucket(
    spans: dict[int, list[planning.Period]], program_id: int, day: dt.date
) -> BudgetKey | None:
    for period in spans.get(program_id, ()):
        if day in period:
            return (program_id, period.start)
    return None


def committed(
    programs: Iterable[Program], start: dt.date, end: dt.date, cal: planning.WorkCalendar
) -> dict[BudgetKey, Decimal]:
    """Net funded value per (program, budget period) for every budget period touching
    ``[start, end)`` — one query for all programs."""
    programs = list(programs)
    spans, lo, hi = _covering(programs, start, end, cal)
    totals: dict[BudgetKey, Decimal] = defaultdict(lambda: ZERO)
    for key in ((p, period.start) for p, periods in spans.items() for period in periods):
        totals[key] = ZERO
    rows = (
        AwardEntry.objects.filter(
            funded=True,
            award__rule__program__in=[p.pk for p in programs],
            award__period_start__gte=lo,
            award__period_start__lt=hi,
        )
        .values_list("award__rule__program_id", "award__period_start")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for program_id, day, total in rows:
        bucket = _bucket(spans, program_id, day)
        if bucket is not None:
            totals[bucket] += total or ZERO
    return dict(totals)


def unfunded(
    programs: Iterable[Program], start: dt.date, end: dt.date, cal: planning.WorkCalendar
) -> dict[BudgetKey, tuple[int, Decimal]]:
    """How many awards, and how much, are earned but unfunded per (program, budget period)."""
    programs = list(programs)
    spans, lo, hi = _covering(programs, start, end, cal)
    result: dict[BudgetKey, tuple[int, Decimal]] = {}
    rows = (
        Award.objects.filter(
            status=Award.Status.EARNED,
            funded=False,
            rule__program__in=[p.pk for p in programs],
            period_start__gte=lo,
            period_start__lt=hi,
        )
        .values_list("rule__program_id", "period_start", "value")
        .order_by()
    )
    for program_id, day, value in rows:
        key = _bucket(spans, program_id, day)
        if key is not None:
            count, total = result.get(key, (0, ZERO))
            result[key] = (count + 1, total + value)
    return result
