"""A team's collective goals (M9) and competitions (G9): the pages the whole team looks at.

Team-level pages: a rep sees them for their own team (``Scope.sees_unit_aggregates``), a
manager for every unit of their subtree (with the collective and competition goals of the
units below), an admin for all; anyone else gets 404. Each page costs a fixed number of
queries: one ``collective_status`` for all the collective goals shown, and one standings
computation per competition goal (a handful of queries each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pacesetter import planning
from pacesetter.explanations import message_of
from pacesetter.goals.access import Scope
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Unit
from pacesetter.org.selectors import subtree_ids, work_calendar
from pacesetter.planning.calendar import add_months
from pacesetter.presentation import currency_symbol, metric_value, percent
from pacesetter.tracking.collective import (
    EXCLUDED,
    MET,
    NO_GOAL,
    SHORT,
    CollectiveMember,
    CollectiveStatus,
    collective_exclusion_create,
    collective_status,
    unit_goals_of_kind,
)
from pacesetter.tracking.leaderboard import (
    NO_DATA_NOTE,
    NO_GOAL_NOTE,
    TENURE_BANDS,
    UNKNOWN_TENURE,
    Standing,
    competition_standings,
)
from pacesetter.tracking.progress import GoalProgress
from pacesetter.tracking.selectors import period_label
from pacesetter.web.access import scoped
from pacesetter.web.cards import GoalCard, cards_for
from pacesetter.web.labels import metric_label
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.rendering import bad_request

STATE_LABELS: dict[str, Promise] = {
    MET: gettext_lazy("met"),
    SHORT: gettext_lazy("short"),
    NO_GOAL: gettext_lazy("no goal set"),
    EXCLUDED: gettext_lazy("excluded"),
}
NOTE_LABELS: dict[str, Promise] = {
    NO_GOAL_NOTE: gettext_lazy("no goal set"),
    NO_DATA_NOTE: gettext_lazy("no data yet"),
}
COHORT_LABELS: dict[str, Promise] = {
    TENURE_BANDS[0][1]: gettext_lazy("Under 6 months"),
    TENURE_BANDS[1][1]: gettext_lazy("6–12 months"),
    TENURE_BANDS[2][1]: gettext_lazy("1–2 years"),
    TENURE_BANDS[3][1]: gettext_lazy("2 years and more"),
    UNKNOWN_TENURE: gettext_lazy("Tenure unknown"),
}


# --- who may look ----------------------------------------------------------------------------


def _unit_aggregates_or_404(scope: Scope, pk: int) -> Unit:
    if not scope.sees_unit_aggregates(pk):
        raise Http404
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def _unit_ids_shown(scope: Scope, unit: Unit) -> set[int]:
    """A manager's view of a unit takes in the units below it; a rep sees their team only."""
    return subtree_ids([unit.pk]) if scope.sees_unit(unit.pk) else {unit.pk}


def _period(request: HttpRequest) -> planning.Period | None:
    """The period asked for with ``?period=2026-11`` (None: the goals running today)."""
    text = request.GET.get("period", "").strip()
    return planning.parse_period(text, work_calendar()) if text else None


def _goals(kind: str, unit: Unit, ids: set[int], period: planning.Period | None, today: dt.date):
    start, end = (period.start, period.end) if period else (today, today + dt.timedelta(days=1))
    return [g for g in unit_goals_of_kind(kind, start, end, unit_id=unit.pk) if g.unit_id in ids]


def _month_links(period: planning.Period | None, today: dt.date) -> tuple[str, str]:
    """?period= values of the month before the one shown, and of the month after it."""
    month = planning.month_of(period.start if period else today)
    return (
        f"{add_months(month.start, -1):%Y-%m}",
        f"{month.end:%Y-%m}",
    )


# --- collective goals ------------------------------------------------------------------------


@dataclass
class MemberChip:
    member: CollectiveMember
    state_label: str
    link: bool  # the viewer may open the member's own page
    bar_percent: Decimal
    actual_text: str = ""
    target_text: str = ""
    short_text: str = ""
    needed_text: str = ""

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.member.person.full_name.split()[:2]).upper()


@dataclass
class CollectiveView:
    status: CollectiveStatus
    label: str
    period: str
    chips: list[MemberChip]
    team_cards: list[GoalCard]
    can_exclude: bool
    candidates: list[Person] = field(default_factory=list)

    @property
    def goal(self) -> Goal:
        return self.status.goal

    @property
    def counted(self) -> int:
        return len(self.status.counted)

    @property
    def to_go(self) -> int:
        return len(self.status.blockers)

    @property
    def met_percent(self) -> Decimal:
        """How full the team's meter is: the share of counted members who made it."""
        counted = self.counted
        return (
            Decimal(self.status.met_count * 100 / counted).quantize(Decimal("0.1"))
            if counted
            else Decimal(0)
        )


def _chip(member: CollectiveMember, scope: Scope, symbol: str) -> MemberChip:
    p = member.progress
    chip = MemberChip(
        member,
        str(STATE_LABELS[member.state]),
        scope.sees_person(member.person.pk),
        Decimal(0) if p is None or p.attainment is None else min(Decimal(100), p.attainment),
    )
    if p is not None:
        unit = p.metric.unit
        chip.actual_text = metric_value(p.actual, unit, symbol)
        chip.target_text = metric_value(p.target, unit, symbol)
        if member.state == SHORT and member.short_by:
            chip.short_text = metric_value(member.short_by, unit, symbol)
        if member.needed_per_day is not None:
            chip.needed_text = metric_value(member.needed_per_day, unit, symbol)
    return chip


def _team_totals(status: CollectiveStatus) -> list[GoalProgress]:
    """The team-total cards beside the members: the collective goal's own total, and the
    unit's standard goal for the same metric and period unless it asks for the same target
    (two cards with the same numbers read like a mistake)."""
    total, team = status.team_total, status.team_goal
    if total is not None and team is not None and team.target == total.target:
        team = None
    return [p for p in (total, team) if p is not None]


@require_http_methods(["GET", "POST"])
@scoped
def unit_collective(request: ScopedRequest, pk: int) -> HttpResponse:
    """The team's collective goals: met or not, and each member met ✓ or short by how much."""
    scope, today = request.scope, request.today
    unit = _unit_aggregates_or_404(scope, pk)
    ids = _unit_ids_shown(scope, unit)
    if request.method == "POST":
        return _exclude(request, unit, ids)
    try:
        period = _period(request)
        previous, following = _month_links(period, today)
    except ValueError as error:  # a bad label, or a month out of the calendar (0001-01)
        return bad_request(request, message_of(error))
    goals = _goals(Goal.Kind.COLLECTIVE, unit, ids, period, today)
    found = collective_status(goals, today)
    cal = work_calendar()
    symbol = currency_symbol(OrgSettings.load().currency)
    collectives = []
    for goal in goals:
        status = found[goal.pk]
        team = _team_totals(status)
        can_exclude = scope.edits_unit(goal.unit_id)
        collectives.append(
            CollectiveView(
                status=status,
                label=metric_label(goal.metric),
                period=period_label(goal, cal),
                chips=[_chip(m, scope, symbol) for m in status.members],
                team_cards=cards_for(team, cal),
                can_exclude=can_exclude,
                candidates=[m.person for m in status.members if not m.excluded]
                if can_exclude
                else [],
            )
        )
    context = {
        "unit": unit,
        "collectives": collectives,
        "sees_team": scope.sees_unit(unit.pk),
        "period": period,
        "previous": previous,
        "following": following,
        "scope": scope,
    }
    return render(request, "web/collective.html", context)


def _exclude(request: ScopedRequest, unit: Unit, ids: set[int]) -> HttpResponse:
    """Excuse a member from one collective goal; only a manager of the goal's unit may."""
    scope = request.scope
    goal_id, person_id = _int(request.POST.get("goal")), _int(request.POST.get("person"))
    goal = (
        Goal.objects.filter(pk=goal_id, kind=Goal.Kind.COLLECTIVE, unit_id__in=ids)
        .select_related("unit")
        .first()
        if goal_id is not None
        else None
    )
    if goal is None or goal.unit_id is None:  # (a collective goal is a unit's)
        raise Http404
    if not scope.edits_unit(goal.unit_id):
        raise PermissionDenied
    person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    if person is None:
        messages.error(request, _("Choose the member to excuse."))
    else:
        try:
            collective_exclusion_create(
                goal=goal, person=person, reason=request.POST.get("reason", ""), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is excused from this collective goal; the team sees why.")
                % {"name": person.full_name},
            )
    return redirect(request.get_full_path())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- competitions ----------------------------------------------------------------------------


@dataclass
class BoardRow:
    standing: Standing
    me: bool
    bar_percent: Decimal
    value_text: str
    target_text: str
    percent_text: str
    note: str


@dataclass
class Board:
    goal: Goal
    label: str
    period: str
    lower_is_better: bool
    cohorts: list[tuple[str, list[BoardRow]]]

    @property
    def empty(self) -> bool:
        return not any(rows for _, rows in self.cohorts)


def _board(
    goal: Goal,
    standings: list[Standing],
    metric: Metric,
    *,
    basis: str,
    period: str,
    me: int | None,
    symbol: str,
) -> Board:
    """The standings with a bar each: percent of own goal (capped at 100), or raw value
    against the best one (for lower-is-better, the best over each one's value)."""
    values = [s.value for s in standings if s.value is not None and s.value > 0]
    best = (min(values) if metric.lower_is_better else max(values)) if values else None
    cohorts: dict[str, list[BoardRow]] = {}
    for s in standings:
        if basis == "percent":
            bar = min(Decimal(100), s.percent) if s.percent is not None else Decimal(0)
        elif s.value is None or best is None or s.value <= 0:
            bar = Decimal(0)
        elif metric.lower_is_better:
            bar = best / s.value * 100
        else:
            bar = s.value / best * 100
        row = BoardRow(
            s,
            s.person.pk == me,
            Decimal(bar).quantize(Decimal("0.1")),
            metric_value(s.value, metric.unit, symbol),
            "" if s.target is None else metric_value(s.target, metric.unit, symbol),
            "" if s.percent is None else percent(s.percent, 0),
            str(NOTE_LABELS.get(s.note, s.note)),
        )
        cohorts.setdefault(str(COHORT_LABELS.get(s.cohort, s.cohort)), []).append(row)
    return Board(goal, metric_label(metric), period, metric.lower_is_better, list(cohorts.items()))


@require_http_methods(["GET"])
@scoped
def unit_competition(request: ScopedRequest, pk: int) -> HttpResponse:
    """The team's competitions: a leaderboard with bars and rank badges, fair by default."""
    scope, today = request.scope, request.today
    unit = _unit_aggregates_or_404(scope, pk)
    ids = _unit_ids_shown(scope, unit)
    try:
        period = _period(request)
        previous, following = _month_links(period, today)
    except ValueError as error:  # a bad label, or a month out of the calendar (0001-01)
        return bad_request(request, message_of(error))
    basis = request.GET.get("basis", "percent")
    basis = basis if basis in ("percent", "raw") else "percent"
    cohort = "tenure" if request.GET.get("cohort") == "tenure" else None
    goals = _goals(Goal.Kind.COMPETITION, unit, ids, period, today)
    metrics = {m.name: m for m in Metric.objects.filter(name__in={g.metric for g in goals})}
    cal = work_calendar()
    symbol = currency_symbol(OrgSettings.load().currency)
    me = scope.person.pk if scope.person else None
    boards = []
    for goal in goals:
        standings = competition_standings(goal, today, basis=basis, cohort=cohort)
        boards.append(
            _board(
                goal,
                standings,
                metrics[goal.metric],
                basis=basis,
                period=period_label(goal, cal),
                me=me,
                symbol=symbol,
            )
        )
    context = {
        "unit": unit,
        "boards": boards,
        "basis": basis,
        "cohort": cohort or "",
        "period": period,
        "period_query": request.GET.get("period", ""),
        "previous": previous,
        "following": following,
        "scope": scope,
    }
    return render(request, "web/competition.html", context)
