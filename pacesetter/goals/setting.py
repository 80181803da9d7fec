"""Goals set by hand (on the web today): for a person, for every member of a team, for a
unit, or the activity goals of a reverse funnel; and a goal's target and priority changed.

Every new goal and every changed target leaves a ``GoalChange`` row (who, when, old, new,
why), like the goals a plan writes (``goals/services.py``), so the history of a goal is
complete whoever set it. Each service runs in one transaction: a refused goal leaves nothing.

Setting a goal never overwrites one: a goal of the same metric, period and kind that exists
is refused with ``GoalExists`` (the page offers to change it, with a reason). A change is
based on the version the editor saw (``StaleGoal`` when it moved meanwhile) and never
touches a goal whose period has ended (``PeriodClosed``): see ``goals/targets.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.goals.errors import GoalError, GoalExists
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.periods import Freezer
from pacesetter.goals.targets import goal_set_target
from pacesetter.org.models import Person, Role, Unit
from pacesetter.org.selectors import members_on, subtree_ids

# The reverse funnel's stages, and the metric that counts each.
FUNNEL_METRICS = {"deal": "deals_won", "demo": "demos_held", "call": "calls_made"}


@dataclass(frozen=True)
class GoalSpec:
    """What a new goal is, before knowing whose it is."""

    metric: str
    kind: str
    period: planning.Period
    target: Decimal
    priority: int
    note: str = ""
    stretch_percent: Decimal | None = None


__all__ = [
    "FUNNEL_METRICS",
    "GoalError",
    "GoalSpec",
    "TeamGoals",
    "funnel_goals_create",
    "goal_create",
    "goal_update",
    "team_goals_create",
]


@dataclass(frozen=True)
class TeamGoals:
    """The goals a team's reps were given, and the reps who had one already (left as is)."""

    created: list[Goal]
    existing: list[Goal]


def _stretched(spec: GoalSpec, person: Person | None) -> tuple[Decimal, Goal | None]:
    """The target and, for a stretch tier, the standard goal it stretches."""
    if spec.kind != Goal.Kind.STRETCH:
        return spec.target, None
    tier_of = Goal.objects.filter(
        metric=spec.metric,
        person=person,
        period_kind=spec.period.kind,
        period_start=spec.period.start,
        kind=Goal.Kind.STANDARD,
    ).first()
    if tier_of is None:
        raise GoalError(
            _("%(person)s has no standard goal of %(metric)s in %(period)s to stretch")
            % {"person": person, "metric": spec.metric, "period": spec.period.label}
        )
    percent = spec.stretch_percent or planning.stretch.DEFAULT_STRETCH_PERCENT
    return planning.stretch_target(tier_of.target, percent), tier_of


def _existing(spec: GoalSpec, person: Person | None, unit: Unit | None) -> Goal | None:
    return (
        Goal.objects.select_related("person", "unit")
        .filter(
            metric=spec.metric,
            person=person,
            unit=unit,
            period_kind=spec.period.kind,
            period_start=spec.period.start,
            kind=spec.kind,
        )
        .first()
    )


def _save(
    spec: GoalSpec,
    *,
    person: Person | None,
    unit: Unit | None,
    by: User | None,
    reason: str,
    overwrite: bool = False,
) -> tuple[Goal, bool]:
    """A new goal; an existing one is refused (``GoalExists``), or with ``overwrite`` gets
    the new target and priority (with history; never in a closed period)."""
    target, tier_of = _stretched(spec, person)
    goal = _existing(spec, person, unit)
    if goal is not None:
        if not overwrite:
            raise GoalExists(goal)
        goal_set_target(goal=goal, target=target, by=by, reason=reason, priority=spec.priority)
        return goal, False
    goal = Goal.objects.create(
        metric=spec.metric,
        person=person,
        unit=unit,
        period_kind=spec.period.kind,
        period_start=spec.period.start,
        period_end=spec.period.end,
        target=target,
        priority=spec.priority,
        kind=spec.kind,
        tier_of=tier_of,
        note=spec.note,
    )
    GoalChange.objects.create(
        goal=goal, changed_by=by, new_target=target, reason=reason, version=goal.version
    )
    return goal, True


@transaction.atomic
def goal_create(
    *,
    spec: GoalSpec,
    person: Person | None = None,
    unit: Unit | None = None,
    by: User | None = None,
) -> tuple[Goal, bool]:
    """A new goal for one person or one unit. A goal of the same metric, period and kind
    that exists is not overwritten: ``GoalExists`` names it, to be changed instead (with
    ``goal_update`` and a reason). Returns the goal and True (it is new)."""
    if (person is None) == (unit is None):
        raise GoalError(_("a goal is for one person or one unit"))
    return _save(spec, person=person, unit=unit, by=by, reason="set on the web")


@transaction.atomic
def team_goals_create(
    *, spec: GoalSpec, unit: Unit, day: dt.date, by: User | None = None
) -> TeamGoals:
    """The same goal for every rep who belongs to ``unit`` (or below it) on ``day``; a rep
    who has that goal already keeps it as it is (``existing``). ``GoalExists`` when every
    rep has it already."""
    members = members_on(subtree_ids([unit.pk]), day)
    reps = set(
        Role.objects.filter(kind=Role.Kind.REP, person__in=members).values_list(
            "person_id", flat=True
        )
    )
    people = [p for p in members if p.pk in reps]
    if not people:
        raise GoalError(_("%(unit)s has no reps on %(day)s") % {"unit": unit, "day": day})
    reason = f"set on the web for every rep of {unit}"
    created, existing = [], []
    for person in people:
        goal = _existing(spec, person, None)
        if goal is not None:
            existing.append(goal)
        else:
            created.append(_save(spec, person=person, unit=None, by=by, reason=reason)[0])
    if not created:
        raise GoalExists(existing[0]) if len(existing) == 1 else GoalError(
            _("Every rep of %(unit)s has this goal already: nothing was overwritten. Change "
              "their goals one by one, with the reason for the history.") % {"unit": unit}
        )  # fmt: skip
    return TeamGoals(created, existing)


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    target: Decimal,
    priority: int,
    reason: str,
    by: User | None,
    based_on: int | None = None,
    today: dt.date | None = None,
) -> Goal:
    """A new target (kept in the history with ``reason``) and priority for ``goal``, based
    on the version ``based_on`` the editor saw (default: ``goal.version``): ``StaleGoal``
    when the goal changed since, ``PeriodClosed`` when its period has ended."""
    return goal_set_target(
        goal=goal,
        target=target,
        by=by,
        reason=reason,
        priority=priority,
        based_on=based_on,
        freezer=Freezer(today),
    )


@transaction.atomic
def funnel_goals_create(
    *,
    person: Person,
    period: planning.Period,
    needed: dict[str, int],
    by: User | None = None,
) -> list[Goal]:
    """M4: activity goals for the month from a reverse funnel (deals, demos, calls); run
    again, it changes their targets (with history; never in a closed month)."""
    goals = []
    for priority, (stage, count) in enumerate(needed.items(), start=2):
        metric = FUNNEL_METRICS.get(stage)
        if metric is None:
            continue
        spec = GoalSpec(
            metric,
            Goal.Kind.STANDARD,
            period,
            Decimal(count),
            priority,
            note="from the reverse funnel",
        )
        goal, _new = _save(
            spec, person=person, unit=None, by=by, reason="reverse funnel", overwrite=True
        )
        goals.append(goal)
    return goals
