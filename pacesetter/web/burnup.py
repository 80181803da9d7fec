"""Burn-up charts: a rep's actual, added up day by day, against the target's pace line.

The daily series costs one query per metric for the rep (grouped by day in the org's time
zone), covering every goal of that metric at once. The chart is plain SVG geometry
computed here and drawn by the template: no chart library, no script.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils.formats import date_format

from pacesetter import planning
from pacesetter.ledger.models import Activity, Deal, ManualEntry
from pacesetter.metrics.filters import filters_of
from pacesetter.metrics.models import Metric
from pacesetter.tracking.progress import CUMULATIVE, GoalProgress

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 84, 18, 14, 30

Series = dict[dt.date, Decimal]


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def daily_series(
    metric: Metric, person_id: int, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> Series:
    """The metric's value per day of ``[start, end)`` for one person (one query).

    Only cumulative metrics (counts and sums) add up day by day; others give ``{}``.
    """
    if metric.aggregation not in CUMULATIVE:
        return {}
    f = filters_of(metric)
    found: QuerySet[Any, tuple[Any, ...]]  # (day, value) rows
    total: Aggregate
    if metric.source == Metric.Source.ACTIVITIES:
        activities = Activity.objects.filter(
            person_id=person_id,
            occurred_at__gte=_midnight(start, zone),
            occurred_at__lt=_midnight(end, zone),
            **f.activities(),
        )
        found = (
            activities.annotate(day=TruncDate("occurred_at", tzinfo=zone))
            .values_list("day")
            .annotate(v=Count("id"))
        )
    elif metric.source == Metric.Source.DEALS:
        deals = Deal.objects.filter(
            owner_id=person_id, closed_on__gte=start, closed_on__lt=end, **f.deals()
        )
        total = Sum("amount") if metric.aggregation == Metric.Aggregation.SUM else Count("id")
        found = deals.values_list("closed_on").annotate(v=total)
    elif metric.source == Metric.Source.ENTRIES:
        entries = ManualEntry.objects.filter(
            person_id=person_id, first_day__gte=start, first_day__lt=end, **f.entries()
        )
        total = Sum("value") if metric.aggregation == Metric.Aggregation.SUM else Count("id")
        found = entries.values_list("first_day").annotate(v=total)
    else:
        return {}
    return {day: Decimal(value or 0) for day, value in found}


def series_by_metric(
    results: list[GoalProgress], person_id: int, zone: dt.tzinfo
) -> dict[str, Series]:
    """One daily series per metric of ``results``, spanning all of that metric's goals."""
    spans: dict[str, list[dt.date]] = defaultdict(list)
    metrics = {}
    for r in results:
        if r.metric.aggregation in CUMULATIVE:
            spans[r.metric.name] += [r.goal.period_start, r.goal.period_end]
            metrics[r.metric.name] = r.metric
    return {
        name: daily_series(metrics[name], person_id, min(days), max(days), zone)
        for name, days in spans.items()
    }


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class BurnUp:
    """Coordinates of one chart in a ``WIDTH`` × ``HEIGHT`` view box."""

    actual_points: str
    actual_area: str
    pace_points: str
    projection: tuple[float, float, float, float] | None
    target_y: float
    today_x: float | None
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def burnup(
    progress: GoalProgress, series: Series, today: dt.date, cal: planning.WorkCalendar
) -> BurnUp:
    """The chart of one goal: cumulative actual to today, the pace line, the projection."""
    goal = progress.goal
    start, end = goal.period_start, goal.period_end
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    period = planning.Period(goal.period_kind, start, end, "")
    target = goal.target
    pace = [
        target * _fraction(planning.elapsed_fraction(period, d + dt.timedelta(days=1), cal))
        for d in days
    ]
    running, actual = Decimal(0), []
    for d in days:
        if d > today:
            break
        running += series.get(d, Decimal(0))
        actual.append(running)
    top = max([target, *actual, progress.projected or Decimal(0), Decimal(1)]) * Decimal("1.1")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: float) -> float:
        return round(LEFT + plot_w * (i + 1) / len(days), 1)

    def y(v: Decimal) -> float:
        return round(TOP + plot_h * float(1 - v / top), 1)

    base = HEIGHT - BOTTOM
    actual_pts = [(float(LEFT), float(base))] + [(x(i), y(v)) for i, v in enumerate(actual)]
    pace_pts = [(float(LEFT), float(base))] + [(x(i), y(v)) for i, v in enumerate(pace)]
    area = actual_pts + ([(actual_pts[-1][0], float(base))] if actual else [])
    projection = None
    if actual and len(actual) < len(days) and progress.projected is not None:
        projection = (x(len(actual) - 1), y(actual[-1]), x(len(days) - 1), y(progress.projected))
    today_x = x(len(actual) - 1) if start <= today < end else None
    last = len(days) - 1
    x_ticks = (
        Tick(LEFT, base + 20, date_format(start, "MONTH_DAY_FORMAT"), "start"),
        Tick(x(last // 2), base + 20, date_format(days[last // 2], "MONTH_DAY_FORMAT")),
        Tick(x(last), base + 20, date_format(days[last], "MONTH_DAY_FORMAT"), "end"),
    )
    show = progress.show
    y_ticks = (
        Tick(LEFT - 6, y(Decimal(0)) + 4, show(Decimal(0)), "end"),
        Tick(LEFT - 6, y(target) + 4, show(target), "end"),
    )
    return BurnUp(
        actual_points=_points(actual_pts),
        actual_area=_points(area),
        pace_points=_points(pace_pts),
        projection=projection,
        target_y=y(target),
        today_x=today_x,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )


def _fraction(f: object) -> Decimal:
    return Decimal(f.numerator) / Decimal(f.denominator)  # type: ignore[attr-defined]


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{a},{b}" for a, b in points)
