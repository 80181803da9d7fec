"""A plan made active: first previewed (what it will create, change and leave as it is,
month by month), then written, never changing a goal whose period has ended.

``plan_activation_preview`` reads; ``plan_activate`` writes exactly what the preview showed.
The preview's ``fingerprint`` names the goals it saw at their versions: confirming an
activation with the fingerprint of an older preview is refused (``PreviewOutdated``), so
what an admin confirmed is what happens. Goals of a closed month that the plan would change
are kept as they are (``kept_closed``) unless an admin has re-opened the month
(``goals/periods.py``); missing goals of a closed month are created, overwriting nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.explanations import english
from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import Goal, GoalChange, Plan, PlanLine
from pacesetter.goals.periods import Freezer
from pacesetter.goals.targets import goal_set_target
from pacesetter.planning.explain import Explanation

ACTIONS = ("created", "changed", "unchanged", "kept_closed")


class PreviewOutdated(GoalError):
    """The goals changed since the preview that was confirmed."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The goals changed since this preview was made: nothing was activated. Look at "
                "the new preview and confirm again."
            )
        )


@dataclass
class MonthPreview:
    """What activating the plan does to one month's goals."""

    month: dt.date
    closed: bool  # the month has ended
    reopened: bool  # … and an admin has re-opened it
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))

    @property
    def created(self) -> int:
        return self.counts["created"]

    @property
    def changed(self) -> int:
        return self.counts["changed"]

    @property
    def unchanged(self) -> int:
        return self.counts["unchanged"]

    @property
    def kept_closed(self) -> int:
        return self.counts["kept_closed"]


@dataclass
class ActivationPreview:
    plan: Plan
    months: list[MonthPreview]
    fingerprint: str

    @property
    def totals(self) -> dict[str, int]:
        return {a: sum(m.counts[a] for m in self.months) for a in ACTIONS}


@dataclass(frozen=True)
class _Step:
    line: PlanLine
    person_id: int | None
    unit_id: int | None
    goal: Goal | None
    action: str


def _steps(plan: Plan, freezer: Freezer) -> Iterator[_Step]:
    """Each of the plan's lines with the goal it lands on and what activation does to it."""
    lines = list(plan.lines.exclude(level=PlanLine.Level.SEAT).order_by("month", "id"))
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
    for line in lines:
        person_id = line.person_id if line.level == PlanLine.Level.PERSON else None
        unit_id = None if person_id else line.unit_id
        goal = existing.get((person_id, unit_id, line.month))
        if goal is None:
            action = "created"
        elif goal.target == line.target:
            action = "unchanged"
        elif freezer.frozen(goal.period_start, goal.period_end):
            action = "kept_closed"
        else:
            action = "changed"
        yield _Step(line, person_id, unit_id, goal, action)


def _fingerprint(plan: Plan, steps: list[_Step]) -> str:
    text = "\n".join(
        f"{s.person_id}|{s.unit_id}|{s.line.month}|{s.line.target}|{s.action}|"
        f"{s.goal.pk if s.goal else ''}@{s.goal.version if s.goal else ''}"
        for s in steps
    )
    return hashlib.sha256(f"{plan.pk}|{plan.status}\n{text}".encode()).hexdigest()[:32]


def _preview(plan: Plan, steps: list[_Step], freezer: Freezer) -> ActivationPreview:
    months: dict[dt.date, MonthPreview] = {}
    for step in steps:
        month = step.line.month
        if month not in months:
            end = planning.calendar.add_months(month, 1)
            months[month] = MonthPreview(
                month, freezer.ended(end), freezer.reopened_period(month, end)
            )
        months[month].counts[step.action] += 1
    return ActivationPreview(plan, list(months.values()), _fingerprint(plan, steps))


def plan_activation_preview(*, plan: Plan, today: dt.date | None = None) -> ActivationPreview:
    """What activating ``plan`` would do, month by month (writes nothing)."""
    freezer = Freezer(today)
    return _preview(plan, list(_steps(plan, freezer)), freezer)


@transaction.atomic
def plan_activate(
    *,
    plan: Plan,
    by: User | None = None,
    today: dt.date | None = None,
    confirmed: str | None = None,
) -> dict[str, int]:
    """Make ``plan`` the year's active plan and write the monthly goals it implies.

    The previous active plan of the year is archived. Goals are created, or their targets
    changed with an audit entry; goals of a closed month are kept as they are. With
    ``confirmed`` (a preview's fingerprint), refuses when the goals changed since that
    preview. Returns how many goals were created, changed, unchanged and kept closed.
    """
    freezer = Freezer(today)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    steps = list(_steps(plan, freezer))
    if confirmed is not None and confirmed != _fingerprint(plan, steps):
        raise PreviewOutdated
    Plan.objects.filter(
        fiscal_year=plan.fiscal_year, metric=plan.metric, status=Plan.Status.ACTIVE
    ).exclude(pk=plan.pk).update(status=Plan.Status.ARCHIVED)
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at"])

    reason = english(Explanation("change.plan_activated", {"plan": plan.label}))
    created: list[Goal] = []
    counts = dict.fromkeys(ACTIONS, 0)
    for step in steps:
        counts[step.action] += 1
        line, goal = step.line, step.goal
        if goal is None:
            created.append(
                Goal(
                    metric=plan.metric,
                    person_id=step.person_id,
                    unit_id=step.unit_id,
                    period_kind="month",
                    period_start=line.month,
                    period_end=planning.calendar.add_months(line.month, 1),
                    target=line.target,
                    priority=1,
                    kind=Goal.Kind.STANDARD,
                    plan=plan,
                )
            )
        elif step.action == "changed" or (
            goal.plan_id != plan.pk and not freezer.frozen(goal.period_start, goal.period_end)
        ):
            goal_set_target(
                goal=goal, target=line.target, by=by, reason=reason, plan=plan, freezer=freezer
            )
    Goal.objects.bulk_create(created, batch_size=2000)
    # bulk_create does not return ids on every backend: read the new goals back by plan.
    new_goals = Goal.objects.filter(plan=plan, history__isnull=True)
    GoalChange.objects.bulk_create(
        [
            GoalChange(
                goal=g,
                changed_by=by,
                old_target=None,
                new_target=g.target,
                reason=reason,
                version=g.version,
            )
            for g in new_goals
        ],
        batch_size=2000,
    )
    return counts
