"""Weekly numbers entered on the web form (M6 "the old way"): one ``ManualEntry`` per person,
metric and part of a week, replaced when the rep corrects it.

A week that straddles two months is entered in two parts, one per month
(``planning.week_parts``), so each month counts what happened in it and nothing typed on
1 December lands in November. Manual entries are read straight from the ledger by the
metric engine (they have no rollup), so saving the row is all it takes for progress to move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import ManualEntry
from pacesetter.ledger.signals import ledger_changed_on_commit
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person

WEB_SOURCE = "web"


@dataclass(frozen=True)
class EntryValue:
    """A number typed in for one metric and one part of a week (from ``first_day``)."""

    metric: Metric
    first_day: dt.date
    value: Decimal


def entry_metrics() -> list[Metric]:
    """The metrics reps report by hand (source "entries"), e.g. pd_events."""
    return list(Metric.objects.filter(source=Metric.Source.ENTRIES).order_by("name"))


def entry_metric_key(metric: Metric) -> str:
    """The name entries of ``metric`` are stored under (its filter may point elsewhere)."""
    return (metric.filters or {}).get("metric", metric.name)


@transaction.atomic
def entries_save_week(
    *,
    person: Person,
    week: planning.Period,
    values: list[EntryValue],
    by: AbstractBaseUser | None = None,
) -> list[EntryValue]:
    """Save ``person``'s numbers for ``week``; answer the ones that changed what was stored.

    Each value belongs to one part of the week (its ``first_day`` starts a part of
    ``planning.week_parts(week)``). A part has one number per metric: entering it again
    replaces it, whichever way (web form or spreadsheet) it came in first.
    """
    starts = {start for start, _end in planning.week_parts(week)}
    stored = entries_of_week(person, week)
    changed = []
    for item in values:
        metric = item.metric
        if metric.source != Metric.Source.ENTRIES:
            raise ValueError(f"{metric.name} is not entered by hand")
        if item.value < 0:
            raise ValueError("a weekly number must not be negative")
        if item.first_day not in starts:
            raise ValueError(f"{item.first_day} does not start a part of week {week.label}")
        key = entry_metric_key(metric)
        if stored.get((key, item.first_day)) == item.value:
            continue  # already there: nothing to write, nothing moved
        ManualEntry.objects.update_or_create(
            person=person,
            metric=key,
            first_day=item.first_day,
            defaults={
                "value": item.value,
                "source": WEB_SOURCE,
                "external_id": f"web:{person.pk}:{key}:{item.first_day.isoformat()}",
                "entered_by": by,
            },
        )
        changed.append(item)
    if changed:
        months = [item.first_day.replace(day=1) for item in changed]
        ledger_changed_on_commit(entries_save_week, months=months)
    return changed


def goals_moved_by(person: Person, changed: list[EntryValue]) -> list[Goal]:
    """``person``'s goals whose numbers the changed entries moved: each goal of a changed
    metric whose period holds the day its part begins (one query), in priority order."""
    if not changed:
        return []
    goals = Goal.objects.filter(person=person, metric__in={c.metric.name for c in changed})
    return [
        g
        for g in goals.order_by("priority", "period_start", "metric", "id")
        if any(
            c.metric.name == g.metric and g.period_start <= c.first_day < g.period_end
            for c in changed
        )
    ]


def entries_of_week(person: Person, week: planning.Period) -> dict[tuple[str, dt.date], Decimal]:
    """What ``person`` has entered for the week, by (metric name, first day of the part)
    (one query)."""
    rows = ManualEntry.objects.filter(
        person=person, first_day__gte=week.start, first_day__lt=week.end
    )
    return {
        (metric, day): value
        for metric, day, value in rows.values_list("metric", "first_day", "value")
    }
