"""The events webhooks send, one function each: what happened turned into a ``HookEvent``
(its type, its key — the same event, the same key — and its JSON data). Numbers are plain
decimals as strings ("30.00"), dates ISO 8601, names as people typed them.

Where they come from (``scan.py``, ``receivers.py``): the same sources as the in-app
notifications (``pacesetter.notifications.scan``): goal progress, earned awards and
collective goals, looked at after each ledger change and by ``pacesetter webhooks scan``;
and the ledger's ``import_finished`` signal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pacesetter.goals.models import Goal
from pacesetter.hooks.models import EventType
from pacesetter.hooks.services import HookEvent
from pacesetter.notifications.sources import goal_params, link
from pacesetter.planning.calendar import WorkCalendar
from pacesetter.rewards.models import Award
from pacesetter.tracking.collective import CollectiveStatus
from pacesetter.tracking.progress import GoalProgress


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def _goal(goal: Goal, cal: WorkCalendar) -> dict[str, Any]:
    params = goal_params(goal, cal)
    data: dict[str, Any] = {
        "id": goal.pk,
        "metric": goal.metric,
        "period": params["period"],
        "period_start": goal.period_start.isoformat(),
        "period_end": goal.period_end.isoformat(),  # the first day after the period
        "target": str(goal.target),
        "kind": goal.kind,
        "url": _url(link("goal_detail", goal.pk)),
    }
    if goal.person_id is not None and goal.person is not None:
        data["person"] = {
            "id": goal.person.pk, "name": goal.person.full_name, "email": goal.person.email
        }  # fmt: skip
    if goal.unit_id is not None and goal.unit is not None:
        data["unit"] = {"id": goal.unit.pk, "name": goal.unit.name}
    return data


def goal_met(progress: GoalProgress, cal: WorkCalendar) -> HookEvent:
    """A goal reached its target (once per goal)."""
    goal = progress.goal
    data = {"goal": _goal(goal, cal), "actual": str(progress.actual or 0)}
    return HookEvent(EventType.GOAL_MET, f"goal.met:{goal.pk}", data)


def goal_at_risk(progress: GoalProgress, week: str, cal: WorkCalendar) -> HookEvent:
    """A goal is behind or at risk (again each week it still is; ``week`` its first day)."""
    goal = progress.goal
    data = {
        "goal": _goal(goal, cal),
        "status": progress.status,
        "actual": str(progress.actual or 0),
        "expected": str(progress.expected),
        "week": week,
    }
    return HookEvent(EventType.GOAL_AT_RISK, f"goal.at_risk:{goal.pk}:{week}", data)


def reward_earned(award: Award, cal: WorkCalendar) -> HookEvent:
    """A person earned a reward (once per award)."""
    data = {
        "award": {"id": award.pk, "reward": award.rule.reward.name, "value": str(award.value),
                  "funded": award.funded, "earned_at": award.earned_at.isoformat()},
        "person": {"id": award.person.pk, "name": award.person.full_name,
                   "email": award.person.email},
        "goal": _goal(award.goal, cal),
    }  # fmt: skip
    return HookEvent(EventType.REWARD_EARNED, f"reward.earned:{award.pk}", data)


def collective_goal_met(status: CollectiveStatus, cal: WorkCalendar) -> HookEvent:
    """Every counted member of a team reached their goal (once per collective goal)."""
    goal = status.goal
    data = {
        "goal": _goal(goal, cal),
        "unit": {"id": status.unit.pk, "name": status.unit.name},
        "members": [{"id": m.person.pk, "name": m.person.full_name} for m in status.counted],
        "url": _url(link("unit_collective", status.unit.pk)),
    }
    return HookEvent(EventType.COLLECTIVE_GOAL_MET, f"collective_goal.met:{goal.pk}", data)


def import_finished(report: Any, key: str) -> HookEvent:
    """An import ran (not a dry run): what it did, or that bad input stopped it."""
    data = {
        "kind": report.kind,
        "source": report.source,
        "file": report.file,
        "ok": not report.failed,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "errors": report.error_count,
        "seconds": round(report.seconds, 1),
    }
    return HookEvent(EventType.IMPORT_FINISHED, key, data)
