"""The rep's page: my goals in priority order, my team's goals and leaderboard, my mentees.

Everything on it comes from one ``goal_progress`` call (one query per metric and period),
one streak query, one leaderboard and the week's entries — whatever the number of goals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.coaching.selectors import goals_awaiting_checkin
from pacesetter.goals.access import Scope
from pacesetter.goals.models import Goal
from pacesetter.ledger.selectors import entries_of_week
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.habits import streaks
from pacesetter.tracking.leaderboard import Standing, team_leaderboard
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.selectors import goals_overlapping, period_label
from pacesetter.tracking.trends import goal_trends
from pacesetter.web.cards import GoalCard, cards_for
from pacesetter.web.entries import entry_metric_key, entry_metrics
from pacesetter.web.forms.entries import week_field_name
from pacesetter.web.labels import metric_label

LEADERBOARD_METRIC = "meetings_booked"
HABIT_METRICS = ("articles_shared",)  # weekly habits whose streak is shown (G5)
PERIOD_FILTERS = ("week", "month", "quarter")


@dataclass
class MyGoals:
    person: Person | None
    today: dt.date
    week: planning.Period  # the week whose numbers the form shows
    period_filter: str
    calendar: planning.WorkCalendar
    cards: list[GoalCard] = field(default_factory=list)
    team_cards: list[GoalCard] = field(default_factory=list)
    mentee_cards: list[GoalCard] = field(default_factory=list)
    board: list[Standing] = field(default_factory=list)
    board_label: str = ""
    entry_metrics: list[Metric] = field(default_factory=list)
    entries: dict[tuple[str, dt.date], Decimal] = field(default_factory=dict)
    saved: bool = False
    moved: list[Goal] = field(default_factory=list)  # the goals the saved numbers moved

    @property
    def week_parts(self) -> list[tuple[dt.date, dt.date]]:
        """The week's parts, one per month it touches (two when it straddles a month end)."""
        return planning.week_parts(self.week)

    @property
    def previous_week(self) -> planning.Period | None:
        """Last week, while this week's numbers are shown (numbers are often reported late)."""
        current = planning.week_of(self.today, self.calendar)
        if self.week != current:
            return None
        return planning.week_of(current.start - dt.timedelta(days=1), self.calendar)

    @property
    def moved_titles(self) -> list[tuple[int, str]]:
        return goal_titles(self.moved, self.calendar)

    @property
    def is_current_week(self) -> bool:
        return self.today in self.week

    @property
    def awaiting(self) -> int:
        """How many of my goals wait for a check-in."""
        return sum(c.awaiting_checkin for c in self.cards)

    @property
    def counts(self) -> dict[str, int]:
        statuses = ("behind", "at_risk", "on_track", "achieved")
        return {s: sum(c.status == s for c in self.cards) for s in statuses}


def my_goals(
    scope: Scope, today: dt.date, period_filter: str = "", week: planning.Period | None = None
) -> MyGoals:
    """The page of ``scope``'s own person on ``today``; ``period_filter`` is week/month/quarter;
    ``week`` the week of the numbers form (this week by default, see ``entry_week``)."""
    cal = work_calendar()
    person = scope.person
    page = MyGoals(person, today, week or planning.week_of(today, cal), period_filter, cal)
    if person is None:
        return page
    tomorrow = today + dt.timedelta(days=1)
    team_ids = sorted(scope.team_unit_ids)
    goals = list(goals_overlapping(today, tomorrow, person_ids=[person.pk], unit_ids=team_ids))
    mentee_goals = list(
        goals_overlapping(today, tomorrow, person_ids=sorted(scope.mentee_ids)).filter(
            kind=Goal.Kind.DEVELOPMENT
        )
    )
    if period_filter in PERIOD_FILTERS:
        goals = [g for g in goals if g.period_kind == period_filter]
    results = goal_progress(goals + mentee_goals, today)
    mine = [r for r in results if r.goal.person_id == person.pk]
    team = [r for r in results if r.goal.unit_id]
    mentees = [r for r in results if r.goal.person_id in scope.mentee_ids]
    trends = goal_trends([r.goal for r in results], today)  # every card's, in one pass
    page.cards = cards_for(
        mine,
        cal,
        streaks=_streaks(mine, person, today, cal),
        awaiting=goals_awaiting_checkin(r.goal for r in mine),
        trends=trends,
    )
    page.team_cards = cards_for(team, cal, trends=trends)
    page.mentee_cards = cards_for(mentees, cal, trends=trends)
    if scope.team is not None:
        page.board, page.board_label = team_board([scope.team.pk], today)
    page.entry_metrics = entry_metrics()
    page.entries = entries_of_week(person, page.week)
    return page


def goal_titles(goals: list[Goal], cal: planning.WorkCalendar) -> list[tuple[int, str]]:
    """Each goal's id and how the page names it: "Demos held (2026-W49)"."""
    return [(g.pk, f"{metric_label(g.metric)} ({period_label(g, cal)})") for g in goals]


def entry_week(today: dt.date, cal: planning.WorkCalendar, label: str = "") -> planning.Period:
    """The week a rep enters numbers for: this week, or last week when ``label`` names it
    (numbers are often reported on Monday). Anything else is a ValueError."""
    current = planning.week_of(today, cal)
    if not label:
        return current
    previous = planning.week_of(current.start - dt.timedelta(days=1), cal)
    for week in (current, previous):
        if label == week.label:
            return week
    raise ValueError(
        _("numbers can be entered for %(this)s or %(last)s")
        % {"this": current.label, "last": previous.label}
    )


def team_board(unit_ids: list[int], today: dt.date) -> tuple[list[Standing], str]:
    """The month's meetings-booked leaderboard of the units' reps, and the month it covers:
    ranked by percent of each rep's own goal, as the team board (competitions) ranks."""
    metric = Metric.objects.filter(name=LEADERBOARD_METRIC).first()
    if metric is None:
        return [], ""
    month = planning.month_of(today)
    board = team_leaderboard(metric, unit_ids, ("month", month.start, month.end), as_of=today)
    return board, month.label


def _streaks(
    results: list, person: Person, today: dt.date, cal: planning.WorkCalendar
) -> dict[int, int]:
    """Weeks in a row each weekly habit goal has been met (one query per habit metric)."""
    found: dict[int, int] = {}
    for r in results:
        g = r.goal
        if g.period_kind == "week" and g.metric in HABIT_METRICS:
            per_week = max(1, int(g.target))
            found[g.pk] = streaks(r.metric, [person.pk], per_week, today, cal)[person.pk]
    return found


def week_entries_initial(page: MyGoals) -> dict[str, Decimal]:
    """The numbers already entered for the week, by form field, to show in the form."""
    parts = page.week_parts
    found = {}
    for m in page.entry_metrics:
        for start, _end in parts:
            value = page.entries.get((entry_metric_key(m), start))
            if value is not None:
                found[week_field_name(m, start, parts)] = value
    return found
