"""Weekly numbers entered on the web form (M6 "the old way"): one ``ManualEntry`` per person,
metric and week, replaced when the rep corrects it.

Manual entries are read straight from the ledger by the metric engine (they have no
rollup), so saving the row is all it takes for progress to move.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pacesetter.ledger.models import ManualEntry
from pacesetter.ledger.signals import ledger_changed_on_commit
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person

WEB_SOURCE = "web"


def entry_metrics() -> list[Metric]:
    """The metrics reps report by hand (source "entries"), e.g. pd_events."""
    return list(Metric.objects.filter(source=Metric.Source.ENTRIES).order_by("name"))


def entry_metric_key(metric: Metric) -> str:
    """The name entries of ``metric`` are stored under (its filter may point elsewhere)."""
    return (metric.filters or {}).get("metric", metric.name)


@transaction.atomic
def entry_save_week(
    *,
    person: Person,
    metric: Metric,
    week_start: dt.date,
    value: Decimal,
    by: AbstractBaseUser | None = None,
) -> ManualEntry:
    """Save ``person``'s number for ``metric`` in the week starting ``week_start``.

    A week has one number per metric: entering it again replaces it, whichever way (web
    form or spreadsheet) it came in first.
    """
    if metric.source != Metric.Source.ENTRIES:
        raise ValueError(f"{metric.name} is not entered by hand")
    if value < 0:
        raise ValueError("a weekly number must not be negative")
    key = entry_metric_key(metric)
    entry, _ = ManualEntry.objects.update_or_create(
        person=person,
        metric=key,
        week_start=week_start,
        defaults={
            "value": value,
            "source": WEB_SOURCE,
            "external_id": f"web:{person.pk}:{key}:{week_start.isoformat()}",
            "entered_by": by,
        },
    )
    ledger_changed_on_commit(entry_save_week, months=[week_start.replace(day=1)])
    return entry


def entries_of_week(person: Person, week_start: dt.date) -> dict[str, Decimal]:
    """What ``person`` has entered for the week, by metric name (one query)."""
    rows = ManualEntry.objects.filter(person=person, week_start=week_start)
    return dict(rows.values_list("metric", "value"))
