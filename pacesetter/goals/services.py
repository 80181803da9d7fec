"""Writes for plans and goals: create a cascade scenario, activate it, change a target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pacesetter import planning
from pacesetter.goals.models import Goal, GoalChange, Plan, PlanLine
from pacesetter.goals.plan_inputs import learned_seasonality, org_snapshot, pk_of
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import today_in_org, work_calendar

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "INR": "₹"}


def currency_symbol() -> str:
    code = OrgSettings.load().currency
    return CURRENCY_SYMBOLS.get(code, code + " ")


def _month_start(label: str) -> dt.date:
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


@transaction.atomic
def plan_create_cascade(
    *,
    name: str,
    year: int,
    annual_target: Decimal,
    seasonality: str | Mapping[int, Decimal] = "learned",
    ramp: tuple[Decimal, ...] | None = None,
    drag: tuple[Decimal, int] | None = None,
    over_assign: Decimal = Decimal("1"),
    overrides: Mapping[Any, Decimal] | None = None,
    metric: str = "revenue_won",
    created_by: AbstractBaseUser | None = None,
    as_of: dt.date | None = None,
) -> Plan:
    """Compute the annual cascade on today's org and store it as the next version of ``name``."""
    cal = work_calendar()
    period = planning.fiscal_year(year, cal)
    as_of = as_of or today_in_org()
    if seasonality == "learned":
        weights = learned_seasonality(before=min(as_of, period.start))
    elif seasonality == "flat":
        weights = planning.flat()
    elif isinstance(seasonality, Mapping):
        weights = planning.explicit(seasonality)
    else:
        raise ValueError(f"seasonality must be learned, flat or 12 weights, got {seasonality!r}")
    ramp_schedule = planning.RampSchedule(tuple(ramp)) if ramp else planning.DEFAULT_RAMP
    training = planning.TrainingDrag(*drag) if drag else planning.NO_DRAG
    snapshot = org_snapshot(period, as_of)
    lines = planning.cascade(
        annual_target,
        period,
        cal,
        weights,
        snapshot.org,
        ramp=ramp_schedule,
        drag=training,
        over_assignment={"person": over_assign},
        overrides=overrides or {},
        currency=currency_symbol(),
    )
    version = (Plan.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = Plan.objects.create(
        name=name,
        version=version,
        metric=metric,
        fiscal_year=year,
        annual_target=annual_target,
        created_by=created_by,
        inputs={
            "annual_target": str(annual_target),
            "year": year,
            "seasonality": seasonality if isinstance(seasonality, str) else "given",
            "weights": {str(m): str(w) for m, w in weights.items()},
            "ramp": [str(f) for f in ramp_schedule.fractions],
            "drag": [str(training.fraction), training.months],
            "over_assign": str(over_assign),
            "as_of": as_of.isoformat(),
        },
    )
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                plan=plan,
                level=line.level,
                unit_id=int(line.unit_id),
                person_id=pk_of(line.person_id) if line.level == "person" else None,
                seat_id=pk_of(line.person_id) if line.level == "seat" else None,
                month=_month_start(line.month),
                target=line.target,
                explanation=line.explanation,
            )
            for line in lines
        ],
        batch_size=2000,
    )
    return plan


@transaction.atomic
def plan_activate(*, plan: Plan, by: AbstractBaseUser | None = None) -> dict[str, int]:
    """Make ``plan`` the year's active plan and write the monthly goals it implies.

    The previous active plan of the year is archived. Goals are created, or their targets
    updated with an audit entry; returns how many goals were created, changed, unchanged.
    """
    Plan.objects.filter(
        fiscal_year=plan.fiscal_year, metric=plan.metric, status=Plan.Status.ACTIVE
    ).exclude(pk=plan.pk).update(status=Plan.Status.ARCHIVED)
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at"])

    lines = list(plan.lines.exclude(level=PlanLine.Level.SEAT))
    months = sorted({line.month for line in lines})
    existing = {
        (g.person_id, g.unit_id, g.period_start): g
        for g in Goal.objects.filter(
            metric=plan.metric,
            kind=Goal.Kind.STANDARD,
            period_kind="month",
            period_start__in=months,
        )
    }
    reason = f"plan {plan.label} activated"
    created: list[Goal] = []
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for line in lines:
        person_id = line.person_id if line.level == PlanLine.Level.PERSON else None
        unit_id = None if person_id else line.unit_id
        goal = existing.get((person_id, unit_id, line.month))
        if goal is None:
            created.append(
                Goal(
                    metric=plan.metric,
                    person_id=person_id,
                    unit_id=unit_id,
                    period_kind="month",
                    period_start=line.month,
                    period_end=planning.calendar.add_months(line.month, 1),
                    target=line.target,
                    priority=1,
                    kind=Goal.Kind.STANDARD,
                    plan=plan,
                )
            )
        elif goal.target != line.target or goal.plan_id != plan.pk:
            changed = goal.target != line.target
            goal_set_target(goal=goal, target=line.target, by=by, reason=reason, plan=plan)
            counts["changed" if changed else "unchanged"] += 1
        else:
            counts["unchanged"] += 1
    Goal.objects.bulk_create(created, batch_size=2000)
    # bulk_create does not return ids on every backend: read the new goals back by plan.
    new_goals = Goal.objects.filter(plan=plan, history__isnull=True)
    GoalChange.objects.bulk_create(
        [
            GoalChange(goal=g, changed_by=by, old_target=None, new_target=g.target, reason=reason)
            for g in new_goals
        ],
        batch_size=2000,
    )
    counts["created"] = len(created)
    return counts


@transaction.atomic
def goal_set_target(
    *,
    goal: Goal,
    target: Decimal,
    by: AbstractBaseUser | None,
    reason: str = "",
    plan: Plan | None = None,
) -> Goal:
    """Change a goal's target and record who changed it, when, from what, and why."""
    if target < 0:
        raise ValueError(f"a target must not be negative, got {target}")
    old = goal.target
    goal.target = target
    fields = ["target", "updated_at"]
    if plan is not None:
        goal.plan = plan
        fields.append("plan")
    goal.save(update_fields=fields)
    if old != target:
        GoalChange.objects.create(
            goal=goal, changed_by=by, old_target=old, new_target=target, reason=reason
        )
    return goal
