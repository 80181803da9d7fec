"""Reads over the ledger. Each function is one query per fact, grouped by person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from pacesetter import planning
from pacesetter.ledger.models import Activity, Deal, ManualEntry
from pacesetter.org.models import Person


@dataclass
class FunnelCounts:
    """What a person (or a group) did in a window: activities by kind, deals won, revenue."""

    activities: dict[str, int]
    deals_won: int
    revenue: Decimal

    def __add__(self, other: FunnelCounts) -> FunnelCounts:
        kinds = set(self.activities) | set(other.activities)
        return FunnelCounts(
            {k: self.activities.get(k, 0) + other.activities.get(k, 0) for k in kinds},
            self.deals_won + other.deals_won,
            self.revenue + other.revenue,
        )


def _utc_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def funnel_counts(
    person_ids: Iterable[int], start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, FunnelCounts]:
    """Per person, for days ``[start, end)`` in the org's zone: two queries for everyone."""
    ids = list(person_ids)
    found = {pid: FunnelCounts({}, 0, Decimal("0.00")) for pid in ids}
    rows = (
        Activity.objects.filter(
            person_id__in=ids,
            occurred_at__gte=_utc_midnight(start, zone),
            occurred_at__lt=_utc_midnight(end, zone),
        )
        .values_list("person_id", "kind")
        .annotate(n=Count("id"))
    )
    for person_id, kind, n in rows:
        found[person_id].activities[kind] = n
    deals = (
        Deal.objects.filter(
            owner_id__in=ids, status=Deal.Status.WON, closed_on__gte=start, closed_on__lt=end
        )
        .values_list("owner_id")
        .annotate(n=Count("id"), revenue=Sum("amount"))
    )
    for owner_id, n, revenue in deals:
        found[owner_id].deals_won = n
        found[owner_id].revenue = revenue
    return found


def revenue_by_month(start: dt.date, end: dt.date) -> dict[tuple[int, int], Decimal]:
    """Revenue won in each calendar month of ``[start, end)``, company-wide (one query)."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: Decimal("0.00"))
    rows = (
        Deal.objects.filter(status=Deal.Status.WON, closed_on__gte=start, closed_on__lt=end)
        .annotate(y=ExtractYear("closed_on"), m=ExtractMonth("closed_on"))
        .values_list("y", "m")
        .annotate(total=Sum("amount"))
    )
    for year, month, total in rows:
        totals[(year, month)] += total
    return dict(totals)


def revenue_by_person_month(
    person_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[tuple[int, int, int], Decimal]:
    """Revenue won per (person, year, month) for closes in ``[start, end)`` (one query)."""
    rows = (
        Deal.objects.filter(
            owner_id__in=list(person_ids),
            status=Deal.Status.WON,
            closed_on__gte=start,
            closed_on__lt=end,
        )
        .annotate(y=ExtractYear("closed_on"), m=ExtractMonth("closed_on"))
        .values_list("owner_id", "y", "m")
        .annotate(total=Sum("amount"))
    )
    return {(owner, y, m): total for owner, y, m, total in rows}


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
