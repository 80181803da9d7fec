"""Downloads of the pages' tables as CSV or XLSX (``web/exports.py`` writes them).

Each download answers to the same rule as its page, through the page's own look-ups: the
team grid to whoever may open the team page (``unit_or_404``), a scorecard to the person,
their managers and admins, the leaderboards to the team and its managers, plan against
actual to managers (their subtree) and admins. Anything else is a 404 (outside the scope)
or a 403 (a page for another role), as on the pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from pacesetter import planning
from pacesetter.coaching.selectors import scorecards_with_mentees
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.presentation import currency_symbol
from pacesetter.tracking.leaderboard import competition_standings
from pacesetter.tracking.selectors import period_label
from pacesetter.web import exports
from pacesetter.web.access import managers_only, scoped, unit_or_404
from pacesetter.web.org_page import org_page
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.team_page import GridFilters, team_page
from pacesetter.web.views.competitions import (
    _board,
    _goals,
    _period,
    _unit_aggregates_or_404,
    _unit_ids_shown,
)
from pacesetter.web.views.scorecards import _period as _scorecard_period
from pacesetter.web.views.scorecards import _person_in_scope


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


def _download(export: exports.Export, fmt: str) -> HttpResponse:
    data = exports.csv_bytes(export) if fmt == "csv" else exports.xlsx_bytes(export)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@scoped
def team_grid_export(request: ScopedRequest, pk: int, fmt: str) -> HttpResponse:
    """The team page's reps × goals grid (``team.unit_team``)."""
    fmt = _format(fmt)
    unit = unit_or_404(request.scope, pk)
    viewer = request.scope.person.pk if request.scope.person else None
    filters = GridFilters.of(request.GET)  # the grid as filtered and sorted on the page
    page = team_page(unit, request.today, exclude=viewer, filters=filters)
    return _download(exports.grid_export(page), fmt)


@require_GET
@scoped
def scorecard_export(request: ScopedRequest, pk: int, fmt: str) -> HttpResponse:
    """A person's scorecard for ``?period=`` (``scorecards.person_scorecard``)."""
    fmt = _format(fmt)
    person = _person_in_scope(request.scope, pk)
    period = _scorecard_period(request.GET.get("period", ""), planning.month_of(request.today))
    card = scorecards_with_mentees([person.pk], period, request.today)[person.pk]
    return _download(exports.scorecard_export(card), fmt)


@require_GET
@scoped
def competition_export(request: ScopedRequest, pk: int, fmt: str) -> HttpResponse:
    """The team's leaderboards as the page ranks them (``competitions.unit_competition``)."""
    fmt = _format(fmt)
    scope, today = request.scope, request.today
    unit = _unit_aggregates_or_404(scope, pk)
    ids = _unit_ids_shown(scope, unit)
    try:
        period = _period(request)
    except ValueError:
        raise Http404 from None
    basis = request.GET.get("basis", "percent")
    basis = basis if basis in ("percent", "raw") else "percent"
    cohort = "tenure" if request.GET.get("cohort") == "tenure" else None
    goals = _goals("competition", unit, ids, period, today)
    metrics = {m.name: m for m in Metric.objects.filter(name__in={g.metric for g in goals})}
    cal = work_calendar()
    symbol = currency_symbol(OrgSettings.load().currency)
    me = scope.person.pk if scope.person else None
    boards = [
        _board(
            goal,
            competition_standings(goal, today, basis=basis, cohort=cohort),
            metrics[goal.metric],
            basis=basis,
            period=period_label(goal, cal),
            me=me,
            symbol=symbol,
        )
        for goal in goals
    ]
    when = exports.month_label(period, today)
    return _download(exports.leaderboard_export(unit, boards, metrics, when=when), fmt)


@require_GET
@managers_only
def org_export(request: ScopedRequest, fmt: str) -> HttpResponse:
    """Plan against actual for the whole org (admins) or the manager's units (``team.org``)."""
    fmt = _format(fmt)
    scope = request.scope
    roots = (
        list(Unit.objects.filter(parent__isnull=True))
        if scope.is_admin
        else list(scope.managed_units)
    )
    return _download(exports.plan_actual_export(org_page(roots, request.today), None), fmt)


@require_GET
@scoped
def org_unit_export(request: ScopedRequest, pk: int, fmt: str) -> HttpResponse:
    """Plan against actual below one unit (``team.org_unit``)."""
    fmt = _format(fmt)
    if not request.scope.is_manager:
        raise PermissionDenied
    unit = unit_or_404(request.scope, pk)
    return _download(exports.plan_actual_export(org_page([unit], request.today), unit), fmt)
