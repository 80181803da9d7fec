"""One rep, as their manager (or mentor) sees them: goals with burn-up charts, the history
of their targets, and their check-ins over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pacesetter.coaching.models import CheckIn
from pacesetter.coaching.selectors import checkins_of
from pacesetter.goals.access import Scope
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.org.models import OrgSettings, Person
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.selectors import goals_overlapping
from pacesetter.web.burnup import BurnUp, burnup, series_by_metric
from pacesetter.web.cards import GoalCard, HistoryRow, cards_for, history_rows

HISTORY_ROWS = 40


@dataclass
class ChartCard:
    card: GoalCard
    chart: BurnUp


@dataclass
class RepPage:
    person: Person
    today: dt.date
    cards: list[GoalCard] = field(default_factory=list)
    charts: list[ChartCard] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)


def rep_page(scope: Scope, person: Person, today: dt.date) -> RepPage:
    """What ``scope`` may see of ``person``: everything, or a mentee's development goals."""
    cal = work_calendar()
    zone = OrgSettings.load().zone
    goals = goals_overlapping(today, today + dt.timedelta(days=1), person_ids=[person.pk])
    history = GoalChange.objects.filter(goal__person=person)
    if not scope.sees_person(person.pk):  # a mentor: development goals only
        goals = goals.filter(kind=Goal.Kind.DEVELOPMENT)
        history = history.filter(goal__kind=Goal.Kind.DEVELOPMENT)
    results = goal_progress(list(goals), today)
    page = RepPage(person, today, cards=cards_for(results, cal))
    series = series_by_metric(results, person.pk, zone)
    page.charts = [
        ChartCard(card, burnup(card.progress, series[card.goal.metric], today, cal))
        for card in page.cards
        if card.goal.metric in series
    ]
    page.history = history_rows(
        history.select_related("goal", "changed_by").order_by("-changed_at", "-id")[:HISTORY_ROWS]
    )
    if scope.sees_person(person.pk):
        page.checkins = list(checkins_of([person.pk], limit=20))
    return page
