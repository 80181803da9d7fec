"""Writes for plans and goals: create a cascade scenario, activate it, change a target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.explanations import english

# Activation and target changes live beside (``activation.py``, ``targets.py``); callers
# may name them from here, with the other writes of plans and goals.
from pacesetter.goals.activation import plan_activate as plan_activate
from pacesetter.goals.activation import plan_activation_preview as plan_activation_preview
from pacesetter.goals.models import Goal, GoalChange, Plan, PlanLine
from pacesetter.goals.plan_inputs import learned_seasonality, org_snapshot, pk_of
from pacesetter.goals.targets import goal_set_target as goal_set_target
from pacesetter.ledger.selectors import revenue_by_month, revenue_by_person_month
from pacesetter.org.models import OrgSettings, Person, Unit
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.planning.explain import Day, Explanation, Money, Month, Percent
from pacesetter.presentation import currency_symbol


def _month_start(label: str) -> dt.date:
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


@dataclass(frozen=True)
class CascadeOptions:
    """How a cascade spreads the annual target: over the months (``seasonality``: learned
    from past revenue, flat, or 12 weights by month), over the people (new hires' ``ramp``,
    the training ``drag`` each puts on their team, the reps' ``over_assign``ment), and
    around ``overrides`` that fix a node's month (``("company", unit_id, "2027-03")``) or
    year, the cascade rebalancing everything else around them."""

    seasonality: str | Mapping[int, Decimal] = "learned"
    ramp: tuple[Decimal, ...] | None = None
    drag: tuple[Decimal, int] | None = None
    over_assign: Decimal = Decimal("1")
    overrides: Mapping[Any, Decimal] | None = None


@transaction.atomic
def plan_create_cascade(
    *,
    name: str,
    year: int,
    annual_target: Decimal,
    options: CascadeOptions | None = None,
    metric: str = "revenue_won",
    created_by: User | None = None,
    as_of: dt.date | None = None,
    note: Mapping[str, Any] | None = None,
) -> Plan:
    """Compute the annual cascade on today's org and store it as the next version of ``name``
    (spread as ``options`` say; by default by learned seasonality and capacity)."""
    options = options or CascadeOptions()
    seasonality, ramp, drag = options.seasonality, options.ramp, options.drag
    over_assign, overrides = options.over_assign, options.overrides
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
        raise ValueError(
            _("seasonality must be learned, flat or 12 weights, got %(given)s")
            % {"given": repr(seasonality)}
        )
    ramp_schedule = planning.RampSchedule(tuple(ramp)) if ramp else planning.DEFAULT_RAMP
    training = planning.TrainingDrag(*drag) if drag else planning.NO_DRAG
    snapshot = org_snapshot(period, as_of)
    fixed = {key: Decimal(value) for key, value in (overrides or {}).items()}
    company_months = [v for k, v in fixed.items() if k[0] == "company" and len(k) == 3]
    # When every month is fixed (a re-plan of a year already beaten), they set the total.
    cascade_total = sum(company_months) if len(company_months) == 12 else annual_target
    lines = planning.cascade(
        cascade_total,
        period,
        cal,
        weights,
        snapshot.org,
        rules=planning.SplitRules(
            ramp=ramp_schedule, drag=training, over_assignment={"person": over_assign}
        ),
        overrides=fixed,
        currency=currency_symbol(OrgSettings.load().currency),
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
            **(note or {}),
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
                explanation=english(line.explanation),
            )
            for line in lines
        ],
        batch_size=2000,
    )
    return plan


@transaction.atomic
def plan_replan(*, source: Plan, as_of: dt.date | None = None) -> Plan:
    """A new version of ``source``: closed months at their actual revenue, the rest re-planned.

    What is left of the annual target (or the shortfall) is spread over the months not yet
    closed in the same proportions as ``source``, then cascaded down the org as it is today.
    """
    as_of = as_of or today_in_org()
    this_month = dt.date(as_of.year, as_of.month, 1)
    targets = {
        line.month.strftime("%Y-%m"): line.target
        for line in source.lines.filter(level=PlanLine.Level.COMPANY)
    }
    company_id = source.lines.filter(level=PlanLine.Level.COMPANY).values_list(
        "unit_id", flat=True
    )[0]
    closed = [m for m in targets if _month_start(m) < this_month]
    remaining = [m for m in targets if m not in closed]
    if not remaining:
        raise ValueError(
            _("every month of %(plan)s is closed on %(day)s; nothing to re-plan")
            % {"plan": source.label, "day": as_of}
        )
    first = _month_start(min(targets))
    actuals = {
        f"{y}-{m:02d}": amount
        for (y, m), amount in revenue_by_month(first, this_month).items()
        if f"{y}-{m:02d}" in closed
    }
    actuals = {m: actuals.get(m, Decimal("0.00")) for m in closed}
    replanned = planning.re_plan(targets, actuals, source.annual_target, remaining)
    overrides = {("company", str(company_id), m): v for m, v in {**actuals, **replanned}.items()}
    inputs = source.inputs
    plan = plan_create_cascade(
        name=source.name,
        year=source.fiscal_year,
        annual_target=source.annual_target,
        options=CascadeOptions(
            seasonality={int(m): Decimal(w) for m, w in inputs["weights"].items()},
            ramp=tuple(Decimal(f) for f in inputs["ramp"]),
            drag=(Decimal(inputs["drag"][0]), int(inputs["drag"][1])),
            over_assign=Decimal(inputs["over_assign"]),
            overrides=overrides,
        ),
        metric=source.metric,
        as_of=as_of,
        note={
            "replanned_from": source.label,
            "closed_months": {m: str(v) for m, v in actuals.items()},
        },
    )
    # Say where each company month comes from: revenue won, or what is left, re-spread.
    left = sum(replanned.values(), Decimal("0.00"))
    original_left = sum((targets[m] for m in remaining), Decimal(0))
    symbol = currency_symbol(OrgSettings.load().currency)
    for line in plan.lines.filter(level=PlanLine.Level.COMPANY):
        label = line.month.strftime("%Y-%m")
        amount = Money(line.target, symbol)
        if label in actuals:
            why = Explanation(
                "replan.won",
                {"amount": amount, "month_year": Day(line.month, "month_year"),
                 "plan": source.label, "day": Day(as_of, "iso")},
            )  # fmt: skip
        else:
            share = targets[label] / original_left if original_left else Decimal(0)
            why = Explanation(
                "replan.left",
                {"amount": amount, "left": Money(left, symbol), "month": Month(line.month.month),
                 "share": Percent(share), "plan": source.label},
            )  # fmt: skip
        line.explanation = english(why)
        line.save(update_fields=["explanation"])
    return plan


@dataclass(frozen=True)
class StretchOffer:
    """Whether a rep is offered a stretch tier on a goal, and why."""

    goal: Goal
    stretch: Decimal
    eligible: bool
    reason: Explanation
    history: tuple[Decimal, ...]  # attainment %, oldest first

    @property
    def person(self) -> Person:
        """The rep (stretch tiers are offered on people's goals)."""
        assert self.goal.person is not None
        return self.goal.person


def stretch_offers(
    *,
    month: dt.date,
    person_ids: Iterable[int] | None = None,
    percent: Decimal = planning.stretch.DEFAULT_STRETCH_PERCENT,
    periods: int = 3,
    metric: str = "revenue_won",
) -> list[StretchOffer]:
    """M7: a stretch tier for every rep's monthly goal in ``month`` (percent of the goal),
    offered only to reps who met 100 % in each of the last ``periods`` months.

    Three queries whatever the number of reps: the month's goals, the past goals, the
    revenue won per rep and month.
    """
    chosen = Goal.objects.filter(
        metric=metric,
        kind=Goal.Kind.STANDARD,
        period_kind="month",
        period_start=month,
        person__isnull=False,
    ).select_related("person")
    if person_ids is not None:
        chosen = chosen.filter(person_id__in=list(person_ids))
    goals = list(chosen)
    people = [g.person_id for g in goals if g.person_id is not None]  # all: person goals
    first = planning.calendar.add_months(month, -periods)
    past_targets = {
        (g.person_id, g.period_start): g.target
        for g in Goal.objects.filter(
            metric=metric,
            kind=Goal.Kind.STANDARD,
            period_kind="month",
            period_start__gte=first,
            period_start__lt=month,
            person_id__in=people,
        )
    }
    actual = revenue_by_person_month(people, first, month)
    offers = []
    for goal in goals:
        assert goal.person_id is not None
        history = []
        for i in range(periods):
            start = planning.calendar.add_months(first, i)
            target = past_targets.get((goal.person_id, start))
            if target:
                won = actual.get((goal.person_id, start.year, start.month), Decimal(0))
                history.append((won / target * 100).quantize(Decimal("0.1")))
        verdict = planning.eligible(history, required_periods=periods)
        offers.append(
            StretchOffer(
                goal=goal,
                stretch=planning.stretch_target(goal.target, percent),
                eligible=verdict.eligible,
                reason=verdict.reason,
                history=tuple(history),
            )
        )
    return offers


@transaction.atomic
def stretch_goals_create(*, offers: Iterable[StretchOffer], by: User | None = None) -> int:
    """Create the stretch-tier goals of the eligible offers, or change an existing tier's
    target (with history; refused in a closed period, ``PeriodClosed``); returns how many."""
    saved = 0
    for offer in offers:
        if not offer.eligible:
            continue
        base = offer.goal
        tier = Goal.objects.filter(
            metric=base.metric,
            person=base.person,
            period_kind=base.period_kind,
            period_start=base.period_start,
            kind=Goal.Kind.STRETCH,
        ).first()
        if tier is not None:
            goal_set_target(goal=tier, target=offer.stretch, by=by, reason=english(offer.reason))
        else:
            tier = Goal.objects.create(
                metric=base.metric,
                person=base.person,
                period_kind=base.period_kind,
                period_start=base.period_start,
                period_end=base.period_end,
                target=offer.stretch,
                priority=base.priority + 1,
                kind=Goal.Kind.STRETCH,
                tier_of=base,
                plan=base.plan,
                note=english(offer.reason),
            )
            GoalChange.objects.create(
                goal=tier, changed_by=by, new_target=tier.target, reason=tier.note, version=1
            )
        saved += 1
    return saved


@transaction.atomic
def waterfall_goals_create(
    *,
    metric: str,
    steps: Iterable[planning.Step],
    every: str,
    person: Person | None = None,
    unit: Unit | None = None,
    by: User | None = None,
) -> list[Goal]:
    """M2: one goal per step (kind ``waterfall``), for a person or a unit; re-running updates
    the targets (with an audit entry) instead of adding duplicates, but never a step whose
    period has ended (``PeriodClosed``: nothing is saved)."""
    if (person is None) == (unit is None):
        raise ValueError(_("a waterfall is for one person or one unit"))
    goals = []
    for step in steps:
        goal, created = Goal.objects.get_or_create(
            metric=metric,
            person=person,
            unit=unit,
            period_kind=every,
            period_start=step.start,
            kind=Goal.Kind.WATERFALL,
            defaults={"period_end": step.end, "target": step.target, "priority": 2},
        )
        if created:
            GoalChange.objects.create(
                goal=goal,
                changed_by=by,
                new_target=goal.target,
                reason=english(Explanation("change.waterfall_step")),
                version=goal.version,
            )
        else:
            goal_set_target(
                goal=goal,
                target=step.target,
                by=by,
                reason=english(Explanation("change.waterfall_replanned")),
            )
        goals.append(goal)
    return goals
