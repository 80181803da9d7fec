"""Reads for dashboards and commands: the goals in a period for a person, a unit or everyone."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership
from pacesetter.org.selectors import subtree_ids


def goals_overlapping(
    start: dt.date,
    end: dt.date,
    *,
    person_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
) -> QuerySet[Goal]:
    """Goals whose period shares a day with ``[start, end)``; limited to the given people
    and units when either is given."""
    goals = Goal.objects.filter(period_start__lt=end, period_end__gt=start).select_related(
        "person", "unit"
    )
    if person_ids is not None or unit_ids is not None:
        goals = goals.filter(Q(person_id__in=person_ids or []) | Q(unit_id__in=unit_ids or []))
    return goals.order_by("priority", "period_start", "metric", "id")


def scope_of_unit(unit_id: int, start: dt.date, end: dt.date) -> tuple[list[int], list[int]]:
    """The units at and below ``unit_id`` and everyone in one of them during the period."""
    units = sorted(subtree_ids([unit_id]))
    people = sorted(
        set(
            Membership.objects.filter(unit_id__in=units)
            .overlapping(start, end)
            .values_list("person_id", flat=True)
        )
    )
    return people, units


def period_label(goal: Goal, cal: planning.WorkCalendar) -> str:
    """How people name a goal's period: 2026-11, 2026-W47, 2026-Q4, 2026, or a date."""
    start = goal.period_start
    if goal.period_kind == "month":
        return f"{start:%Y-%m}"
    if goal.period_kind == "week":
        return planning.week_of(start, cal).label
    if goal.period_kind == "quarter":
        return planning.quarter_of(start, cal).label
    if goal.period_kind == "year":
        return str(goal.period_end.year if cal.fiscal_year_start_month != 1 else start.year)
    return start.isoformat()
