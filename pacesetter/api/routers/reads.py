"""Progress, leaderboards and rewards: the same numbers the pages show, through the same
selectors, for the goals, teams and people the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import Field

from pacesetter import planning
from pacesetter.api.errors import ERRORS, ApiError, not_found
from pacesetter.api.paging import Filters, Paging, page, period_of
from pacesetter.api.routers.goals import filtered_goals, goal_or_404
from pacesetter.api.schemas import MAX_ID, AwardOut, Id, LeaderboardOut, Page, ProgressOut
from pacesetter.api.security import scope_of
from pacesetter.goals.access import Scope
from pacesetter.metrics.models import Metric
from pacesetter.org.selectors import subtree_ids, work_calendar
from pacesetter.presentation import period_label
from pacesetter.rewards.models import Award
from pacesetter.tracking.leaderboard import team_leaderboard
from pacesetter.tracking.progress import GoalProgress, goal_progress

router = Router(tags=["progress, leaderboards and rewards"])

BOARD_METRIC = "meetings_booked"  # the team board's metric, as on the pages


def _progress_row(p: GoalProgress, cal: planning.WorkCalendar) -> dict[str, Any]:
    g = p.goal
    return {
        "goal_id": g.pk,
        "metric": g.metric,
        "period": period_label(g.period_kind, g.period_start, g.period_end, cal),
        "target": g.target,
        "actual": p.actual,
        "expected": p.expected,
        "projected": p.projected,
        "attainment": p.attainment,
        "status": p.status,
        "remaining_days": p.remaining_days,
        "needed_per_day": p.needed_per_day,
    }


@router.get("/progress", response={200: Page[ProgressOut], **ERRORS})
def progress_list(
    request: HttpRequest, filters: Query[Filters], paging: Query[Paging]
) -> dict[str, Any]:
    """Progress of the caller's goals in a period (default: this month): one engine query
    per metric and period, whatever the number of goals."""
    scope = scope_of(request)
    if not filters.period:
        filters = filters.model_copy(update={"period": planning.month_of(scope.day).label})
    goals, meta = page(filtered_goals(scope, filters), paging)
    cal = work_calendar()
    return {**meta, "items": [_progress_row(p, cal) for p in goal_progress(goals, scope.day)]}


@router.get("/goals/{goal_id}/progress", response={200: ProgressOut, **ERRORS})
def goal_progress_read(request: HttpRequest, goal_id: Path[Id]) -> dict[str, Any]:
    goal = goal_or_404(request, goal_id)
    return _progress_row(goal_progress([goal], scope_of(request).day)[0], work_calendar())


class BoardQuery(Filters):
    metric: str | None = Field(default=None, max_length=64, description=BOARD_METRIC)
    unit: int | None = Field(default=None, ge=1, le=MAX_ID, description="default: own team")


@router.get("/leaderboards", response={200: LeaderboardOut, **ERRORS})
def leaderboard_read(request: HttpRequest, query: Query[BoardQuery]) -> dict[str, Any]:
    """A team's reps ranked on a metric over a period (default: meetings booked this
    month), by percent of each rep's own goal, as the team board ranks them. A rep sees
    their own team's; a manager their subtree's units; an admin any."""
    scope = scope_of(request)
    unit_id = query.unit if query.unit is not None else (scope.team.pk if scope.team else None)
    if unit_id is None:
        message = _("Say which unit: unit=<id>.")
        raise ApiError(422, message, fields={"unit": [message]})
    if not scope.sees_unit_aggregates(unit_id):
        raise not_found()
    metric = Metric.objects.filter(name=query.metric or BOARD_METRIC).first()
    if metric is None:
        raise ApiError(422, _("No such metric."), fields={"metric": [_("No such metric.")]})
    period = period_of(query.period) if query.period else planning.month_of(scope.day)
    unit_ids = sorted(subtree_ids([unit_id])) if scope.sees_unit(unit_id) else [unit_id]
    board = team_leaderboard(
        metric, unit_ids, (period.kind, period.start, period.end), as_of=scope.day
    )
    return {
        "unit_id": unit_id,
        "metric": metric.name,
        "period": period.label,
        "standings": [
            {
                "rank": s.rank,
                "tied": s.tied,
                "person_id": s.person.pk,
                "full_name": s.person.full_name,
                "value": s.value,
                "percent": s.percent,
                "target": s.target,
            }
            for s in board
        ],
    }


def _awards(scope: Scope) -> QuerySet[Award]:
    """Everyone's (admins), the subtree's and their own (managers), their own (reps): as
    the Rewards page shows them."""
    awards = Award.objects.select_related("rule").order_by("-period_start", "person_id", "id")
    if scope.is_admin:
        return awards
    ids = set(scope.person_ids) if scope.is_manager else set()
    if scope.person is not None:
        ids.add(scope.person.pk)
    return awards.filter(person_id__in=ids)


@router.get("/rewards/awards", response={200: Page[AwardOut], **ERRORS})
def awards_list(
    request: HttpRequest, filters: Query[Filters], paging: Query[Paging]
) -> dict[str, Any]:
    """Rewards earned (and reversed): by the period their goal starts in, by person."""
    awards = _awards(scope_of(request))
    if filters.period:
        period = period_of(filters.period)
        awards = awards.filter(period_start__gte=period.start, period_start__lt=period.end)
    if filters.person is not None:
        awards = awards.filter(person_id=filters.person)
    if filters.metric:
        awards = awards.filter(goal__metric=filters.metric)
    if filters.unit is not None:
        awards = awards.filter(person__memberships__unit_id=filters.unit).distinct()
    items, meta = page(awards, paging)
    rows = [
        {
            "id": a.pk,
            "person_id": a.person_id,
            "goal_id": a.goal_id,
            "rule": a.rule.name,
            "period_start": a.period_start,
            "value": a.value,
            "status": a.status,
            "funded": a.funded,
            "detail": a.detail,
            "earned_at": a.earned_at,
        }
        for a in items
    ]
    return {**meta, "items": rows}
