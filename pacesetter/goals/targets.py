"""A goal's target changed, safely: no lost update, nothing changed in a closed period.

Every goal carries a ``version`` that goes up by one with each change. An edit says which
version it was based on (the version the page showed, or the one the caller loaded); the
goal's row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writers take the
database's lock when their transaction begins) and the change is written by
``UPDATE … WHERE version = ?``. An edit based on an older version is refused with
``StaleGoal``, which lists what changed meanwhile; two managers saving at the same moment
both read the same version, and only the first one's change is kept.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter.goals.errors import StaleGoal
from pacesetter.goals.models import Goal, GoalChange, Plan
from pacesetter.goals.periods import Freezer
from pacesetter.goals.signals import goal_target_changed_on_commit


def _stale(goal_pk: int, based_on: int) -> StaleGoal:
    current = Goal.objects.select_related("person", "unit").get(pk=goal_pk)
    changes = (
        current.history.filter(version__gt=based_on)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )
    return StaleGoal(current, based_on, list(changes))


@transaction.atomic
def goal_set_target(
    *,
    goal: Goal,
    target: Decimal,
    by: User | None,
    reason: str = "",
    plan: Plan | None = None,
    priority: int | None = None,
    based_on: int | None = None,
    freezer: Freezer | None = None,
) -> Goal:
    """Change a goal's target (and its ``priority`` or ``plan``, when given) and record who
    changed it, when, from what, and why.

    ``based_on`` is the version the edit started from (default: ``goal.version``, as the
    caller loaded it); a goal changed since is refused with ``StaleGoal``. A goal whose
    period has ended is refused with ``PeriodClosed`` unless the period is re-opened
    (``freezer``: the frozen periods as of a day, read once when many goals change at
    once; default: as of the org's today).
    ``goal`` is updated in place.
    """
    if target < 0:
        raise ValueError(_("a target must not be negative, got %(target)s") % {"target": target})
    expected = goal.version if based_on is None else based_on
    current = Goal.objects.select_for_update().filter(pk=goal.pk).first()
    if current is None:
        raise Goal.DoesNotExist
    if current.version != expected:
        raise _stale(goal.pk, expected)
    wanted = {
        "target": target,
        "priority": current.priority if priority is None else priority,
        "plan_id": current.plan_id if plan is None else plan.pk,
    }
    if all(getattr(current, key) == value for key, value in wanted.items()):
        _copy(goal, current)
        return goal
    (freezer or Freezer()).check_goal(current)
    now = timezone.now()
    updated = Goal.objects.filter(pk=goal.pk, version=expected).update(
        **wanted, version=F("version") + 1, updated_at=now
    )
    if updated != 1:  # changed between the read and the write (a writer that does not lock)
        raise _stale(goal.pk, expected)
    if current.target != target:
        GoalChange.objects.create(
            goal=current,
            changed_by=by,
            old_target=current.target,
            new_target=target,
            reason=reason,
            version=expected + 1,
        )
        goal_target_changed_on_commit(goal.pk, expected + 1)  # goals/signals.py
    for key, value in wanted.items():
        setattr(current, key, value)
    current.version, current.updated_at = expected + 1, now
    _copy(goal, current)
    if plan is not None:
        goal.plan = plan
    return goal


def _copy(goal: Goal, current: Goal) -> None:
    """The caller's instance brought up to date with the row."""
    for name in ("target", "priority", "plan_id", "version", "updated_at"):
        setattr(goal, name, getattr(current, name))
