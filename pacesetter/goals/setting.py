"""Goals set by hand (on the web today): for a person, for every member of a team, for a
unit, or the activity goals of a reverse funnel; and a goal's target and priority changed.

Every new goal and every changed target leaves a ``GoalChange`` row (who, when, old, new,
why), like the goals a plan writes (``goals/services.py``), so the history of a goal is
complete whoever set it. Each service runs in one transaction: a refused goal leaves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.services import goal_set_target
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


class GoalError(ValueError):
    """A goal that cannot be set as asked (the message says why, for the page)."""


def _save(
    spec: GoalSpec,
    *,
    person: Person | None,
    unit: Unit | None,
    by: User | None,
    reason: str,
) -> tuple[Goal, bool]:
    target, tier_of = spec.target, None
    if spec.kind == Goal.Kind.STRETCH:
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
        target = planning.stretch_target(tier_of.target, percent)
    goal = Goal.objects.filter(
        metric=spec.metric,
        person=person,
        unit=unit,
        period_kind=spec.period.kind,
        period_start=spec.period.start,
        kind=spec.kind,
    ).first()
    if goal is not None:
        goal.priority = spec.priority
        goal.save(update_fields=["priority", "updated_at"])
        goal_set_target(goal=goal, target=target, by=by, reason=reason)
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
    GoalChange.objects.create(goal=goal, changed_by=by, new_target=target, reason=reason)
    return goal, True


@transaction.atomic
def goal_create(
    *,
    spec: GoalSpec,
    person: Person | None = None,
    unit: Unit | None = None,
    by: User | None = None,
) -> tuple[Goal, bool]:
    """A goal for one person or one unit; an existing goal of the same metric, period and
    kind gets the new target instead (with history). Returns the goal and whether it is new."""
    if (person is None) == (unit is None):
        raise GoalError(_("a goal is for one person or one unit"))
    return _save(spec, person=person, unit=unit, by=by, reason="set on the web")


@transaction.atomic
def team_goals_create(
    *, spec: GoalSpec, unit: Unit, day: dt.date, by: User | None = None
) -> list[Goal]:
    """The same goal for every rep who belongs to ``unit`` (or below it) on ``day``."""
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
    return [_save(spec, person=p, unit=None, by=by, reason=reason)[0] for p in people]


@transaction.atomic
def goal_update(
    *, goal: Goal, target: Decimal, priority: int, reason: str, by: User | None
) -> Goal:
    """A new target (kept in the history with ``reason``) and priority for ``goal``."""
    if goal.priority != priority:
        goal.priority = priority
        goal.save(update_fields=["priority", "updated_at"])
    return goal_set_target(goal=goal, target=target, by=by, reason=reason)


@transaction.atomic
def funnel_goals_create(
    *,
    person: Person,
    period: planning.Period,
    needed: dict[str, int],
    by: User | None = None,
) -> list[Goal]:
    """M4: activity goals for the month from a reverse funnel (deals, demos, calls)."""
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
        goals.append(_save(spec, person=person, unit=None, by=by, reason="reverse funnel")[0])
    return goals
