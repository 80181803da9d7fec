"""The Rewards page: a rep's own rewards and what they can still earn; a manager's payout
report for their subtree with the budgets as bars; an admin's for everyone.

Any past month, quarter or fiscal year can be shown (``?period=2026-10``, ``2026-Q3``,
``2026``): previous and next links and a list of the periods since the first award. Without
a period asked for, the current one; when it has no awards yet for the viewer (early in a
month), the last period that has some, and the page says so.

Read-only: the page never computes awards (a GET must not write). ``pacesetter rewards``
computes them — run it from cron after the nightly import, as the README says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pacesetter import planning
from pacesetter.explanations import AWARD_NOTE, TERMS, message_of, stored, term, with_terms
from pacesetter.goals.access import Scope
from pacesetter.goals.models import Goal
from pacesetter.org.models import OrgSettings, Person, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Explanation
from pacesetter.presentation import currency_symbol, money
from pacesetter.rewards.models import Award, AwardEntry, Program
from pacesetter.rewards.selectors import (
    BudgetLine,
    Opportunity,
    PayoutLine,
    PersonPayout,
    earnable,
    payout_report,
)
from pacesetter.tracking.progress import GoalProgress
from pacesetter.tracking.selectors import period_label
from pacesetter.web.access import scoped
from pacesetter.web.forms.common import period_hint
from pacesetter.web.labels import metric_label
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.rendering import bad_request

SPANS = ("month", "quarter", "year")
# How many periods the list offers at most, newest first (the links reach further back).
CHOICES = {"month": 36, "quarter": 16, "year": 8}


@dataclass(frozen=True)
class LineRow:
    """One ledger line as the page shows it."""

    rule: str
    reward: str
    goal: str
    period: str
    kind: str  # earned, reversed, funded
    amount: str
    funded: bool
    note: str

    @property
    def css(self) -> str:
        """The status colour: earned and paid, reversed, or recorded over the budget."""
        if self.kind == AwardEntry.Kind.REVERSED:
            return "behind"
        return "achieved" if self.funded else "at_risk"


@dataclass(frozen=True)
class PersonRow:
    person: Person
    lines: list[LineRow]
    earned: int
    reversed: int
    cash: str
    non_cash: str
    total: str
    unfunded: str
    has_unfunded: bool
    rewards: list[str]


@dataclass(frozen=True)
class EarnRow:
    """A reward still to earn, in the reader's words: the metric's label rather than its
    code, and the goal's period as the goal cards name it."""

    reward: str
    trigger: str
    goal: Goal
    progress: GoalProgress | None
    period: str


@dataclass(frozen=True)
class BudgetBar:
    """One budget period drawn as a bar: committed, then the unfunded overflow, against the
    budget's mark. Widths are percent of the bar. ``reach`` names whose budget it is (the
    program's unit, or the company for a company-wide one), so a manager does not take the
    company's total for their team's."""

    program: str
    reach: str
    period: str
    budget: str
    committed: str
    remaining: str
    unfunded: str
    unfunded_count: int
    committed_width: str
    unfunded_width: str
    budget_mark: str
    over: bool


@dataclass
class RewardsPage:
    today: dt.date
    period: planning.Period
    span: str
    spans: list[tuple[str, str]]  # (span, label) for the tabs
    mine: PersonRow | None = None
    to_earn: list[EarnRow] = field(default_factory=list)
    people: list[PersonRow] | None = None  # managers and admins: their payout report
    bars: list[BudgetBar] = field(default_factory=list)
    previous: planning.Period | None = None
    following: planning.Period | None = None  # None for the current period
    choices: list[str] = field(default_factory=list)  # period labels, newest first
    fallback_from: planning.Period | None = None  # the current period, empty so far


def _period(span: str, today: dt.date, cal: planning.WorkCalendar) -> planning.Period:
    if span == "quarter":
        return planning.quarter_of(today, cal)
    if span == "year":
        return planning.calendar.fiscal_year_of(today, cal)
    return planning.month_of(today)


def _visible_awards(scope: Scope) -> QuerySet[Award]:
    """The awards the viewer's page may show: everyone's (admins), their subtree's and their
    own (managers), their own (reps)."""
    awards = Award.objects.all()
    if scope.is_admin:
        return awards
    ids = set(scope.person_ids) if scope.is_manager else set()
    if scope.person is not None:
        ids.add(scope.person.pk)
    return awards.filter(person_id__in=ids)


def _asked_period(label: str, today: dt.date, cal: planning.WorkCalendar) -> planning.Period:
    """The month, quarter or fiscal year a ``?period=`` label names; ValueError for another
    kind of period, or one that has not begun."""
    try:
        period = planning.parse_period(label, cal)
    except ValueError:
        period = None
    if period is None or period.kind not in SPANS:
        raise ValueError(period_hint(SPANS))
    if period.start > today:
        raise ValueError(
            _("%(asked)s has not begun: choose %(current)s or an earlier period.")
            % {"asked": period.label, "current": _period(period.kind, today, cal).label}
        )
    return period


def _choices(
    scope: Scope, span: str, today: dt.date, shown: planning.Period, cal: planning.WorkCalendar
) -> list[str]:
    """The periods to pick from, newest first: back to the first award's (at most
    ``CHOICES``), and the one shown."""
    first = _visible_awards(scope).aggregate(first=Min("period_start"))["first"]
    earliest = min(first or today, shown.start)
    labels: list[str] = []
    period = _period(span, today, cal)
    while len(labels) < CHOICES[span] and period.end > earliest:
        labels.append(period.label)
        period = _period(span, period.start - dt.timedelta(days=1), cal)
    if shown.label not in labels:
        labels.append(shown.label)
    return labels


def _default_period(
    scope: Scope, span: str, today: dt.date, cal: planning.WorkCalendar
) -> tuple[planning.Period, planning.Period | None]:
    """The current period; or, while it has no award the viewer may see, the last one that
    has (with the current one, to say so)."""
    current = _period(span, today, cal)
    awards = _visible_awards(scope)
    if awards.filter(period_start__gte=current.start, period_start__lt=current.end).exists():
        return current, None
    last = awards.filter(period_start__lt=current.start).aggregate(last=Max("period_start"))
    if last["last"] is None:
        return current, None
    return _period(span, last["last"], cal), current


def _programs(scope: Scope) -> list[Program] | None:
    """Budgets a viewer may see: all (admins); company-wide programs and those of a unit
    they manage (managers). A program of a sibling team stays hidden."""
    if scope.is_admin:
        return None
    return list(
        Program.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=scope.unit_ids)).select_related(
            "unit"
        )
    )


def _line(line: PayoutLine, symbol: str, cal: planning.WorkCalendar) -> LineRow:
    metric = line.award.goal.metric
    return LineRow(
        rule=line.rule.name,
        reward=line.rule.reward.name,
        goal=_worded(line.goal_name, metric),
        period=period_label(line.award.goal, cal),
        kind=line.entry.kind,
        amount=money(line.entry.amount, symbol),
        funded=line.entry.funded,
        note=_note(line.entry.note, metric),
    )


def _person(payout: PersonPayout, symbol: str, cal: planning.WorkCalendar) -> PersonRow:
    return PersonRow(
        person=payout.person,
        lines=[_line(line, symbol, cal) for line in payout.lines],
        earned=payout.earned,
        reversed=payout.reversed,
        cash=money(payout.cash, symbol),
        non_cash=money(payout.non_cash, symbol),
        total=money(payout.total, symbol),
        unfunded=money(payout.unfunded, symbol),
        has_unfunded=payout.unfunded > 0,
        rewards=payout.rewards,
    )


def _in_sentence(label: str) -> str:
    """ "Revenue won" → "revenue won" inside a sentence; "NPS" stays as it is."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _worded(e: Explanation, metric: str | None) -> str:
    """A rewards explanation with the metric's words where the rewards app wrote its code
    ("1st of 10 in meetings_booked", "revenue_won 2026-11: …"), in the reader's language."""
    if not metric:
        return str(e)
    text = str(with_terms(e, "metric", ("metric",), lambda code: _in_sentence(metric_label(code))))
    label = metric_label(metric)
    words = term("metric", metric) if metric in TERMS["metric"] else _in_sentence(label)
    if text.startswith(words):  # a sentence that starts with the metric: its label
        return label + text[len(words) :]
    return text


def _note(text: str, metric: str | None) -> str:
    """An award's stored (English) note in the reader's language, when it is one Pacesetter
    wrote; a note it did not write as it is, with the metric's label for its code."""
    found = stored(text, AWARD_NOTE)
    return _with_label(text, metric) if found is None else _worded(found, metric)


def _with_label(text: str, metric: str | None) -> str:
    """The rewards app writes metric codes into its texts ("1st of 10 in meetings_booked",
    "revenue_won 2026-11: …"); the page writes the metric's label instead."""
    if not metric or metric not in text:
        return text
    label = metric_label(metric)
    head = label if text.startswith(metric) else ""
    rest = text[len(metric) :] if head else text
    return head + rest.replace(metric, _in_sentence(label))


def _to_earn(found: Opportunity, cal: planning.WorkCalendar) -> EarnRow:
    trigger = _worded(found.trigger, found.rule.metric)
    return EarnRow(
        str(found.reward), trigger, found.goal, found.progress, period_label(found.goal, cal)
    )


def _bar(line: BudgetLine, symbol: str, company: str) -> BudgetBar:
    scale = max(line.budget, line.committed + line.unfunded_value) or Decimal(1)

    def share(value: Decimal) -> str:
        return f"{max(Decimal(0), value) / scale * 100:.1f}"

    return BudgetBar(
        program=line.program.name,
        reach=line.program.unit.name if line.program.unit is not None else company,
        period=line.period.label,
        budget=money(line.budget, symbol),
        committed=money(line.committed, symbol),
        remaining=money(line.remaining, symbol),
        unfunded=money(line.unfunded_value, symbol),
        unfunded_count=line.unfunded_count,
        committed_width=share(line.committed),
        unfunded_width=share(line.unfunded_value),
        budget_mark=share(line.budget),
        over=line.unfunded_count > 0 or line.remaining < 0,
    )


def rewards_page(scope: Scope, today: dt.date, span: str, label: str = "") -> RewardsPage:
    """What ``scope`` may see of the rewards of the period ``label`` names (a month, quarter
    or fiscal year that has begun), else of the current ``span`` (see the module docstring).
    ValueError for a label that names no such period."""
    cal = work_calendar()
    symbol = currency_symbol(OrgSettings.load().currency)
    fallback_from = None
    if label:
        period = _asked_period(label, today, cal)
        span = period.kind
    else:
        span = span if span in SPANS else "month"
        period, fallback_from = _default_period(scope, span, today, cal)
    tabs = [(s, _period(s, today, cal).label) for s in SPANS]
    page = RewardsPage(today, period, span, tabs, fallback_from=fallback_from)
    if period.start > dt.date.min:  # nothing before the calendar's first month
        page.previous = _period(span, period.start - dt.timedelta(days=1), cal)
    if today not in period:
        page.following = _period(span, period.end, cal)
    page.choices = _choices(scope, span, today, period, cal)
    if scope.person is not None:
        own = payout_report(period.start, period.end, person_ids=[scope.person.pk], programs=[])
        page.mine = _person(own.people[0], symbol, cal) if own.people else None
        page.to_earn = [_to_earn(found, cal) for found in earnable(scope.person, today)]
    if scope.is_manager:
        people = None if scope.is_admin else scope.person_ids
        report = payout_report(
            period.start, period.end, person_ids=people, programs=_programs(scope)
        )
        page.people = [_person(p, symbol, cal) for p in report.people]
        company = Unit.objects.filter(parent__isnull=True).values_list("name", flat=True)
        page.bars = [_bar(line, symbol, ", ".join(company)) for line in report.budgets]
    return page


@require_GET
@scoped
def rewards(request: ScopedRequest) -> HttpResponse:
    span, label = request.GET.get("span", "month"), request.GET.get("period", "").strip()
    try:
        page = rewards_page(request.scope, request.today, span, label)
    except ValueError as error:  # a label of no period, a week, a period still to come
        return bad_request(request, message_of(error))
    return render(request, "web/rewards.html", {"page": page, "scope": request.scope})
