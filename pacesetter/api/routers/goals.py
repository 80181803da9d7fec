"""Goals: list and read (as far as the caller may see them), set one (managers, for the
people and units they edit), change a target with a reason, based on the version read.

A change based on an older version is refused with 409 ``stale``: the body holds the goal
as it is now (``current``) and what changed meanwhile (``changes``), as the page shows it.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from pacesetter import planning
from pacesetter.api.errors import ERRORS, ApiError, ErrorOut, forbidden, not_found
from pacesetter.api.paging import Filters, Paging, page, period_of
from pacesetter.api.schemas import GoalChangeOut, GoalIn, GoalOut, Id, Page, TargetIn
from pacesetter.api.security import caller_of, scope_of
from pacesetter.goals.access import Scope, visible_goal
from pacesetter.goals.errors import GoalError, GoalExists, PeriodClosed, StaleGoal
from pacesetter.goals.models import Goal
from pacesetter.goals.setting import GoalSpec, goal_create, goal_update
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.presentation import period_label
from pacesetter.tracking.selectors import GOAL_ORDER

router = Router(tags=["goals"])

NEW_KINDS = ("standard", "stretch", "collective", "competition", "development")
NEW_PERIODS = ("week", "month", "quarter")
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
CENT = Decimal("0.01")


def goal_row(goal: Goal, cal: planning.WorkCalendar) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "metric": goal.metric,
        "person_id": goal.person_id,
        "unit_id": goal.unit_id,
        "kind": goal.kind,
        "period": period_label(goal.period_kind, goal.period_start, goal.period_end, cal),
        "period_kind": goal.period_kind,
        "period_start": goal.period_start,
        "period_end": goal.period_end,
        "target": Decimal(goal.target).quantize(CENT),
        "priority": goal.priority,
        "note": goal.note,
        "version": goal.version,
        "plan_id": goal.plan_id,
    }


def filtered_goals(scope: Scope, filters: Filters) -> QuerySet[Goal]:
    """The caller's goals narrowed by period (overlapping it), person, unit and metric."""
    goals = scope.goals().order_by(*GOAL_ORDER)
    if filters.period:
        period = period_of(filters.period)
        goals = goals.filter(period_start__lt=period.end, period_end__gt=period.start)
    if filters.person is not None:
        goals = goals.filter(person_id=filters.person)
    if filters.unit is not None:
        goals = goals.filter(unit_id=filters.unit)
    if filters.metric:
        goals = goals.filter(metric=filters.metric)
    return goals


def goal_or_404(request: HttpRequest, goal_id: int) -> Goal:
    goal = visible_goal(scope_of(request), goal_id)
    if goal is None:
        raise not_found()
    return goal


@router.get("/goals", response={200: Page[GoalOut], **ERRORS})
def goals_list(
    request: HttpRequest, filters: Query[Filters], paging: Query[Paging]
) -> dict[str, Any]:
    """The goals the caller may see, most important first."""
    items, meta = page(filtered_goals(scope_of(request), filters), paging)
    cal = work_calendar()
    return {**meta, "items": [goal_row(g, cal) for g in items]}


@router.get("/goals/{goal_id}", response={200: GoalOut, **ERRORS})
def goal_read(request: HttpRequest, goal_id: Path[Id]) -> dict[str, Any]:
    return goal_row(goal_or_404(request, goal_id), work_calendar())


@router.get("/goals/{goal_id}/history", response={200: list[GoalChangeOut], **ERRORS})
def goal_history(request: HttpRequest, goal_id: Path[Id]) -> list[dict[str, Any]]:
    """Every change of the goal's target: who, when, from what, to what, why."""
    from pacesetter.explanations import read_stored

    goal = goal_or_404(request, goal_id)
    changes = goal.history.select_related("changed_by").order_by("version", "changed_at", "id")
    return [
        {
            "version": c.version,
            "changed_at": c.changed_at,
            "changed_by": c.changed_by.get_username() if c.changed_by else None,
            "old_target": c.old_target,
            "new_target": c.new_target,
            "reason": read_stored(c.reason),
        }
        for c in changes
    ]


def _owner(scope: Scope, data: GoalIn) -> tuple[Person | None, Unit | None]:
    """The person or unit the new goal is for: 404 outside the scope, 403 when the caller
    sees them but may not set their goals (a manager's own)."""
    if (data.person_id is None) == (data.unit_id is None):
        message = _("A goal is for one person or one unit: give person_id or unit_id.")
        raise ApiError(422, message, fields={"person_id": [message]})
    if data.person_id is not None:
        person = Person.objects.filter(pk=data.person_id).first()
        if person is None or not scope.sees_person(person.pk):
            raise not_found()
        if not scope.edits_person(person.pk):
            raise forbidden()
        return person, None
    assert data.unit_id is not None  # one of the two, checked above
    unit = Unit.objects.filter(pk=data.unit_id).first()
    if unit is None or not scope.sees_unit_aggregates(unit.pk):
        raise not_found()
    if not scope.edits_unit(unit.pk):
        raise forbidden()
    return None, unit


def _spec(data: GoalIn) -> GoalSpec:
    invalid: dict[str, list[str]] = {}
    if not Metric.objects.filter(name=data.metric).exists():
        invalid["metric"] = [_("No such metric.")]
    if data.kind not in NEW_KINDS:
        invalid["kind"] = [_("One of: %(kinds)s.") % {"kinds": ", ".join(NEW_KINDS)}]
    period = None
    with contextlib.suppress(ValueError, OverflowError):
        period = planning.parse_period(data.period, work_calendar())
    if period is None or period.kind not in NEW_PERIODS:
        invalid["period"] = [_("A week, month or quarter: 2026-W49, 2026-12 or 2026-Q4.")]
    if invalid or period is None:
        raise ApiError(422, _("Some of what was sent is not valid: see fields."), fields=invalid)
    return GoalSpec(
        data.metric, data.kind, period, data.target, data.priority, data.note, data.stretch_percent
    )


@router.post("/goals", response={201: GoalOut, **WRITE_ERRORS})
def goal_new(request: HttpRequest, data: GoalIn) -> Status[dict[str, Any]]:
    """Set a new goal for a person or a unit (managers and admins). A goal of the same
    metric, period and kind that exists is never overwritten: 409 ``goal_exists``."""
    scope = scope_of(request)
    if not scope.is_manager:
        raise forbidden()
    person, unit = _owner(scope, data)
    spec = _spec(data)
    if (data.kind in ("collective", "competition") and person) or (data.kind == "stretch" and unit):
        message = _("Collective and competition goals are a unit's; a stretch tier a person's.")
        raise ApiError(422, message, fields={"kind": [message]})
    try:
        goal, _new = goal_create(spec=spec, person=person, unit=unit, by=caller_of(request).user)
    except GoalExists as error:
        raise ApiError(
            409, str(error), code="goal_exists", current=goal_row(error.goal, work_calendar())
        ) from None
    except GoalError as error:
        raise ApiError(422, str(error), code="goal_refused") from None
    return Status(201, goal_row(goal, work_calendar()))


@router.post("/goals/{goal_id}/target", response={200: GoalOut, **WRITE_ERRORS})
def goal_target(request: HttpRequest, goal_id: Path[Id], data: TargetIn) -> dict[str, Any]:
    """Change the target, with the reason for the history and the version it is based on
    (``version`` of the goal as read): 409 ``stale`` when it changed since, 409
    ``period_closed`` when its period has ended."""
    scope = scope_of(request)
    goal = goal_or_404(request, goal_id)
    if not scope.edits_goal(goal):
        raise forbidden()
    try:
        goal_update(
            goal=goal,
            target=data.target,
            priority=goal.priority if data.priority is None else data.priority,
            reason=data.reason,
            by=caller_of(request).user,
            based_on=data.based_on,
            today=scope.day,
        )
    except StaleGoal as error:
        raise ApiError(
            409,
            str(error),
            code="stale",
            current=goal_row(error.goal, work_calendar()),
            changes=[_change(c) for c in error.changes],
        ) from None
    except PeriodClosed as error:
        raise ApiError(409, str(error), code="period_closed") from None
    except GoalError as error:
        raise ApiError(422, str(error), code="goal_refused") from None
    return goal_row(goal, work_calendar())


def _change(change: Any) -> dict[str, Any]:
    return {
        "version": change.version,
        "changed_at": change.changed_at.isoformat(),
        "changed_by": change.changed_by.get_username() if change.changed_by else None,
        "old_target": None if change.old_target is None else str(change.old_target),
        "new_target": str(change.new_target),
        "reason": change.reason,
    }
