"""The weekly-numbers form's reads: which metrics it asks for, where their entries are stored,
and which goals a save moved. The save itself is ``ledger.services.entries_save_week``."""

from __future__ import annotations

from collections import defaultdict

from pacesetter.goals.models import Goal
from pacesetter.ledger.services import WeekEntry
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person


def entry_metrics() -> list[Metric]:
    """The metrics reps report by hand (source "entries"), e.g. pd_events."""
    return list(Metric.objects.filter(source=Metric.Source.ENTRIES).order_by("name"))


def entry_metric_key(metric: Metric) -> str:
    """The name entries of ``metric`` are stored under (its filter may point elsewhere)."""
    return (metric.filters or {}).get("metric", metric.name)


def goals_moved_by(person: Person, changed: list[WeekEntry], metrics: list[Metric]) -> list[Goal]:
    """``person``'s goals whose numbers the changed entries moved: each goal of a metric
    (among ``metrics``) stored under a changed entry's name, whose period holds the day the
    entry's part begins (one query), in priority order."""
    if not changed:
        return []
    names: dict[str, set[str]] = defaultdict(set)  # stored name → the metrics reading it
    for metric in metrics:
        names[entry_metric_key(metric)].add(metric.name)
    moved = [(name, c.first_day) for c in changed for name in sorted(names.get(c.metric, ()))]
    goals = Goal.objects.filter(person=person, metric__in={name for name, _day in moved})
    return [
        g
        for g in goals.order_by("priority", "period_start", "metric", "id")
        if any(name == g.metric and g.period_start <= day < g.period_end for name, day in moved)
    ]
