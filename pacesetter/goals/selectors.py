"""Reads for plans: find a plan by name[@version], compare two plans line by line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pacesetter.goals.models import Plan, PlanLine
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import fiscal_year_of


def active_plan_on(day: dt.date) -> Plan | None:
    """The revenue plan in force in the fiscal year of ``day``, if one is active."""
    year = fiscal_year_of(day, work_calendar())
    ends_in = (year.end - dt.timedelta(days=1)).year
    return Plan.objects.filter(
        status=Plan.Status.ACTIVE, fiscal_year=ends_in, metric="revenue_won"
    ).first()


def plan_by_label(label: str) -> Plan:
    """``NAME`` (its newest version) or ``NAME@VERSION``; Plan.DoesNotExist names what's missing."""
    name, _, version = label.partition("@")
    plans = Plan.objects.filter(name=name)
    if version:
        if not version.isdigit():
            raise Plan.DoesNotExist(f"bad version in {label!r}: use NAME@2")
        plans = plans.filter(version=int(version))
    plan = plans.order_by("-version").first()
    if plan is None:
        raise Plan.DoesNotExist(f"no plan {label!r} (see `pacesetter plan list`)")
    return plan


@dataclass(frozen=True)
class LineDiff:
    level: str
    unit: str
    person: str | None
    month: str
    a: Decimal | None
    b: Decimal | None

    @property
    def change(self) -> Decimal:
        return (self.b or Decimal("0.00")) - (self.a or Decimal("0.00"))


def _keyed(plan: Plan) -> dict[tuple, PlanLine]:
    lines = plan.lines.select_related("unit", "person", "seat")
    return {(ln.level, ln.unit_id, ln.person_id, ln.seat_id, ln.month): ln for ln in lines}


def plan_compare(a: Plan, b: Plan) -> list[LineDiff]:
    """Every line of either plan, side by side, in month and tree order (two queries)."""
    left, right = _keyed(a), _keyed(b)
    rows = []
    for key in sorted(
        set(left) | set(right), key=lambda k: (k[4], k[0], k[1], k[2] or 0, k[3] or 0)
    ):
        line = left.get(key) or right[key]
        who = line.person.full_name if line.person else (str(line.seat) if line.seat else None)
        rows.append(
            LineDiff(
                level=line.level,
                unit=line.unit.name,
                person=who,
                month=line.month.strftime("%Y-%m"),
                a=left[key].target if key in left else None,
                b=right[key].target if key in right else None,
            )
        )
    return rows
