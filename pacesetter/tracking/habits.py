"""Habit goals (G5: share one article a week): weekly counts and the current streak."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from pacesetter import planning
from pacesetter.ledger.models import Activity
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings


def weekly_counts(
    metric: Metric,
    person_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    cal: planning.WorkCalendar,
) -> Counter[tuple[int, dt.date]]:
    """Count per (person, week start) of an activity metric, in one query.

    Habit activities are sparse (an article a week), so rows are bucketed into the org's
    weeks here rather than with database date functions that only know ISO weeks.
    """
    if metric.source != Metric.Source.ACTIVITIES:
        raise ValueError(f"streaks are counted on activity metrics, not {metric.source}")
    zone = OrgSettings.load().zone
    kinds = metric.filters.get("kind")
    rows = Activity.objects.filter(
        person_id__in=list(person_ids),
        occurred_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone),
        occurred_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone),
    )
    if kinds:
        rows = rows.filter(kind__in=[kinds] if isinstance(kinds, str) else kinds)
    if metric.filters.get("segment"):
        rows = rows.filter(segment=metric.filters["segment"])
    counts: Counter[tuple[int, dt.date]] = Counter()
    for person_id, moment in rows.values_list("person_id", "occurred_at"):
        week = planning.week_of(moment.astimezone(zone).date(), cal).start
        counts[(person_id, week)] += 1
    return counts


def streaks(
    metric: Metric,
    person_ids: Iterable[int],
    per_week: int,
    today: dt.date,
    cal: planning.WorkCalendar,
    weeks_back: int = 52,
) -> dict[int, int]:
    """Weeks in a row, up to now, in which each person reached ``per_week``.

    The week in progress counts once it is met, and does not break the streak before.
    """
    ids = list(person_ids)
    this_week = planning.week_of(today, cal).start
    start = this_week - dt.timedelta(weeks=weeks_back)
    counts = weekly_counts(metric, ids, start, this_week + dt.timedelta(weeks=1), cal)
    result = {}
    for person in ids:
        streak = 1 if counts[(person, this_week)] >= per_week else 0
        week = this_week - dt.timedelta(weeks=1)
        while week >= start and counts[(person, week)] >= per_week:
            streak += 1
            week -= dt.timedelta(weeks=1)
        result[person] = streak
    return result
