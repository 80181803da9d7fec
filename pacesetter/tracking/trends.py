"""Month-over-month attainment: each month's actual ÷ that month's goal target, for the last
few closed months and the current month to date, per rep and per unit.

Set-wise, for any number of reps, units and metrics: one query for the metrics, one for the
goals of every month, two for who was in which unit, and one per metric for the actuals of
every month and person at once (the monthly rollups, grouped by person and month). Metrics
the rollups do not add up (medians, coverage, retention) cost one query per month instead,
still for everyone at once.

A month's target is the month's goal; without one, a longer goal covering the whole month
(a quarter's, a year's), its target prorated by working days for counts and sums (a rate's
target applies to every month as it is). A month without either has no attainment: a gap.
A unit counts the people in it (or below it) on the month's last day, or today for the
current month: a rollup is a whole month, so someone who moved mid-month counts where they
ended it. Attainment reads as on the goal card: actual ÷ target in percent, target ÷
actual when lower is better.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import ActivityMonth, DealMonth, ManualEntry
from pacesetter.metrics.engine import (
    MAX_IDS_IN_SQL,
    Parts,
    Window,
    combine,
    empty,
    final,
    person_parts,
)
from pacesetter.metrics.filters import filters_of
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings
from pacesetter.org.selectors import subtrees, work_calendar
from pacesetter.planning.calendar import add_months

DEFAULT_MONTHS = 6  # closed months before the current one
TrendKey = tuple[str, int | None, int | None]  # metric name, person id, unit id
CUMULATIVE = (Metric.Aggregation.COUNT, Metric.Aggregation.SUM)
PersonMonth = tuple[int, dt.date]


@dataclass(frozen=True)
class MonthPoint:
    """One month of a trend: None where there is no goal target (or no rate yet)."""

    month: dt.date  # its first day
    actual: Decimal | None
    target: Decimal | None
    attainment: Decimal | None  # percent, to 0.1
    to_date: bool  # the current month, still running


@dataclass(frozen=True)
class Trend:
    """A metric's monthly attainment for one rep or unit, oldest month first."""

    metric: str
    unit: str  # the metric's unit (``Metric.Unit``)
    points: tuple[MonthPoint, ...]


def attainment(actual: Decimal | None, target: Decimal | None, lower: bool) -> Decimal | None:
    """Percent of the target reached, as ``GoalProgress.attainment`` reads it."""
    if actual is None or target is None:
        return None
    if lower:
        if not actual:
            return Decimal(100) if target else None
        return (target / actual * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not target:
        return Decimal(100)
    return (actual / target * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def months_of_trend(today: dt.date, months: int = DEFAULT_MONTHS) -> list[dt.date]:
    """The first days of the ``months`` closed months before today's, and of today's."""
    current = today.replace(day=1)
    return [add_months(current, -back) for back in range(months, -1, -1)]


def trends(
    keys: Iterable[TrendKey], today: dt.date, *, months: int = DEFAULT_MONTHS
) -> dict[TrendKey, Trend]:
    """The trend of each (metric, person, unit) asked for (person or unit: the other None)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    span = months_of_trend(today, months)
    window = Window(span[0], add_months(span[-1], 1))
    metrics = {m.name: m for m in Metric.objects.filter(name__in={k[0] for k in keys})}
    org = OrgSettings.load()
    cal = work_calendar(org)
    people = {p for _, p, _ in keys if p}
    units = {u for _, _, u in keys if u}
    members = _unit_members(units, span, today) if units else {}
    everyone = people.union(*members.values())
    targets = _Targets(keys, window, metrics, cal)
    found: dict[TrendKey, Trend] = {}
    for name in {k[0] for k in keys}:
        metric = metrics.get(name)
        if metric is None:
            continue
        parts = _monthly_parts(metric, window, everyone, today, org.zone)
        for key in (k for k in keys if k[0] == name):
            found[key] = _trend(metric, key, span, today, parts, members, targets)
    return found


def goal_trends(
    goals: Iterable[Goal], today: dt.date, *, months: int = DEFAULT_MONTHS
) -> dict[int, Trend]:
    """The trend of each goal's metric for its rep or unit, by goal id (stretch tiers ride
    on their goal's card, so they get none)."""
    goals = [g for g in goals if g.kind != Goal.Kind.STRETCH]
    found = trends(((g.metric, g.person_id, g.unit_id) for g in goals), today, months=months)
    return {g.pk: found[key] for g in goals if (key := (g.metric, g.person_id, g.unit_id)) in found}


def top_priority_trends(
    person_ids: Iterable[int], today: dt.date, *, months: int = DEFAULT_MONTHS
) -> dict[int, Trend]:
    """Each rep's trend for the metric of their top-priority goal running today (1 is the
    most important; ties go to the period ending first, then the metric name), by person id."""
    rows = (
        Goal.objects.filter(
            person_id__in=list(person_ids), period_start__lte=today, period_end__gt=today
        )
        .exclude(kind=Goal.Kind.STRETCH)
        .order_by("person_id", "priority", "period_end", "metric")
        .values_list("person_id", "metric")
    )
    top: dict[int, str] = {}
    for person, name in rows:
        top.setdefault(person, name)
    found = trends(((name, p, None) for p, name in top.items()), today, months=months)
    return {p: found[(name, p, None)] for p, name in top.items() if (name, p, None) in found}


def _trend(
    metric: Metric,
    key: TrendKey,
    span: list[dt.date],
    today: dt.date,
    parts: dict[PersonMonth, Parts],
    members: dict[tuple[int, dt.date], set[int]],
    targets: _Targets,
) -> Trend:
    _, person, unit = key
    points = []
    for month in span:
        who = {person} if person else members.get((unit or 0, month), set())
        total = empty(metric)
        for p in who:
            if (p, month) in parts:
                total = combine(metric, total, parts[(p, month)])
        actual = final(metric, total)
        target = targets.of(key, month)
        points.append(
            MonthPoint(
                month, actual, target, attainment(actual, target, metric.lower_is_better),
                to_date=month <= today < add_months(month, 1),
            )
        )  # fmt: skip
    return Trend(metric.name, metric.unit, tuple(points))


def _unit_members(
    units: set[int], span: list[dt.date], today: dt.date
) -> dict[tuple[int, dt.date], set[int]]:
    """Who counts for each unit in each month: its and its sub-units' members on the
    month's last day (today for the current month). Two queries."""
    below = subtrees(units)
    rows = (
        Membership.objects.filter(unit_id__in=set().union(*below.values()))
        .overlapping(span[0], add_months(span[-1], 1))
        .values_list("unit_id", "person_id", "valid_from", "valid_to")
    )
    memberships = list(rows)
    found: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    for month in span:
        day = min(add_months(month, 1) - dt.timedelta(days=1), today)
        for unit_id, person, start, end in memberships:
            if start <= day and (end is None or day < end):
                for unit in units:
                    if unit_id in below[unit]:
                        found[(unit, month)].add(person)
    return dict(found)


class _Targets:
    """Each trend's target in each month, from the goals of every month (one query)."""

    def __init__(
        self,
        keys: list[TrendKey],
        window: Window,
        metrics: dict[str, Metric],
        cal: planning.WorkCalendar,
    ) -> None:
        people = {p for _, p, _ in keys if p}
        units = {u for _, _, u in keys if u}
        rows = (
            Goal.objects.filter(
                Q(person_id__in=people) | Q(unit_id__in=units),
                metric__in={k[0] for k in keys},
                period_start__lt=window.end,
                period_end__gt=window.start,
            )
            .exclude(kind=Goal.Kind.STRETCH)
            .values_list("metric", "person_id", "unit_id", "period_kind", "period_start",
                         "period_end", "target", "kind", "priority")
        )  # fmt: skip
        self.goals: dict[TrendKey, list[tuple[Any, ...]]] = defaultdict(list)
        for metric, person, unit, *rest in rows:
            self.goals[(metric, person, unit)].append(tuple(rest))
        self.metrics = metrics
        self.cal = cal
        self.days: dict[tuple[dt.date, dt.date], int] = {}

    def of(self, key: TrendKey, month: dt.date) -> Decimal | None:
        """The month's target: its own goal's, else a longer goal's share (see the module)."""
        after = add_months(month, 1)
        covering = [g for g in self.goals.get(key, ()) if g[1] <= month and g[2] >= after]
        if not covering:
            return None
        # The month's own goal first, then a standard goal, then by priority.
        kind, start, end, target, _, _ = min(
            covering, key=lambda g: (g[0] != "month", g[4] != Goal.Kind.STANDARD, g[5])
        )
        metric = self.metrics[key[0]]
        if kind == "month" or metric.aggregation not in CUMULATIVE:
            return Decimal(target)
        whole = self._working_days(start, end)
        if not whole:
            return None
        share = Decimal(self._working_days(month, after)) / whole
        return (Decimal(target) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def _working_days(self, start: dt.date, end: dt.date) -> int:
        found = self.days.get((start, end))
        if found is None:
            found = self.days[(start, end)] = planning.working_day_count((start, end), self.cal)
        return found


def _monthly_parts(
    metric: Metric, window: Window, people: set[int], today: dt.date, zone: dt.tzinfo
) -> dict[PersonMonth, Parts]:
    """Parts of ``metric`` per person and month over ``window`` (whole months)."""
    among = {"person_id__in": list(people)} if len(people) <= MAX_IDS_IN_SQL else {}
    range_ = {"month__gte": window.start, "month__lt": window.end}
    source, agg, f = metric.source, metric.aggregation, filters_of(metric)
    rows: QuerySet[Any, tuple[Any, ...]]
    if source == Metric.Source.ACTIVITIES and agg == Metric.Aggregation.COUNT:
        rows = ActivityMonth.objects.filter(**range_, **f.activities(), **among).values_list(
            "person_id", "month"
        )
        return _summed(rows.annotate(v=Sum("count")), people)
    if source == Metric.Source.DEALS and agg in CUMULATIVE:
        rows = DealMonth.objects.filter(**range_, **f.deals(), **among).values_list(
            "person_id", "month"
        )
        total = Sum("amount") if agg == Metric.Aggregation.SUM else Sum("count")
        return _summed(rows.annotate(v=total), people)
    if source == Metric.Source.DEALS and agg == Metric.Aggregation.RATIO:
        deals = DealMonth.objects.filter(**range_, **f.deals(by_status=False), **among)
        found = deals.values_list("person_id", "month").annotate(
            won=Sum("count", filter=Q(status="won")), closed=Sum("count")
        )
        return {(p, m): (won or 0, closed or 0) for p, m, won, closed in found.order_by()
                if p in people}  # fmt: skip
    if source == Metric.Source.ENTRIES and agg in CUMULATIVE:
        entries = ManualEntry.objects.filter(
            first_day__gte=window.start, first_day__lt=window.end, **f.entries(), **among
        )
        rows = entries.annotate(m=TruncMonth("first_day")).values_list("person_id", "m")
        value = Sum("value") if agg == Metric.Aggregation.SUM else Count("*")
        return _summed(rows.annotate(v=value), people)
    return _month_by_month(metric, window, people, today, zone)


def _summed(rows: QuerySet[Any, tuple[Any, ...]], people: set[int]) -> dict[PersonMonth, Parts]:
    return {(p, _first(m)): Decimal(v) for p, m, v in rows.order_by() if p in people}


def _first(month: dt.date | dt.datetime) -> dt.date:
    day = month.date() if isinstance(month, dt.datetime) else month
    return day.replace(day=1)


def _month_by_month(
    metric: Metric, window: Window, people: set[int], today: dt.date, zone: dt.tzinfo
) -> dict[PersonMonth, Parts]:
    """A metric the rollups do not add up: the engine, once per month, for everyone."""
    found: dict[PersonMonth, Parts] = {}
    month = window.start
    while month < window.end:
        after = add_months(month, 1)
        parts = person_parts(metric, Window(month, after), people, as_of=today, zone=zone)
        found.update({(p, month): v for p, v in parts.items()})
        month = after
    return found
