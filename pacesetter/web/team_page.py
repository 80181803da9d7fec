"""The manager's team page: reps × goals with status colours, the reps who need a
conversation first (with what each needs), the team's own goals and its leaderboard.

A fixed number of queries whatever the number of reps: the members, their roles, the
goals, one ``goal_progress`` (one query per metric and period) and one leaderboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from pacesetter.org.models import Person, Role, Unit
from pacesetter.org.selectors import members_on, subtree_ids, work_calendar
from pacesetter.presentation import period_kind_label
from pacesetter.tracking.leaderboard import Standing
from pacesetter.tracking.progress import STATUS_ORDER, goal_progress
from pacesetter.tracking.selectors import goals_overlapping
from pacesetter.web.cards import GoalCard, cards_for
from pacesetter.web.labels import metric_label
from pacesetter.web.my_goals import team_board

NEEDS_ATTENTION = ("behind", "at_risk")

Slot = tuple[str, str, str]  # metric, period kind, goal kind


@dataclass(frozen=True)
class Column:
    slot: Slot
    label: str
    period: str


@dataclass
class RepRow:
    person: Person
    cells: list[GoalCard | None]
    cards: list[GoalCard]

    @property
    def needs(self) -> list[GoalCard]:
        """The rep's goals behind or at risk, the worst first."""
        bad = [c for c in self.cards if c.status in NEEDS_ATTENTION]
        return sorted(bad, key=lambda c: (STATUS_ORDER[c.status], c.progress.attainment or 0))

    @property
    def worst(self) -> str:
        return min((c.status for c in self.cards), key=STATUS_ORDER.__getitem__, default="on_track")

    @property
    def sort_key(self) -> tuple:
        behind = sum(c.status == "behind" for c in self.cards)
        at_risk = sum(c.status == "at_risk" for c in self.cards)
        lowest = min((c.progress.attainment or Decimal(0) for c in self.needs), default=999)
        return (STATUS_ORDER[self.worst], -behind, -at_risk, lowest, self.person.full_name)


@dataclass
class TeamPage:
    unit: Unit
    today: dt.date
    columns: list[Column] = field(default_factory=list)
    rows: list[RepRow] = field(default_factory=list)
    unit_cards: list[GoalCard] = field(default_factory=list)
    board: list[Standing] = field(default_factory=list)
    board_label: str = ""

    @property
    def attention(self) -> list[RepRow]:
        return [r for r in self.rows if r.needs]


def team_page(unit: Unit, today: dt.date, *, exclude: int | None = None) -> TeamPage:
    """The page of ``unit`` (and everything below it) on ``today``; ``exclude`` drops the
    manager looking at it from the grid."""
    cal = work_calendar()
    units = sorted(subtree_ids([unit.pk]))
    members = members_on(units, today)
    rep_ids = set(
        Role.objects.filter(kind=Role.Kind.REP, person__in=members).values_list(
            "person_id", flat=True
        )
    )
    reps = sorted((p for p in members if p.pk in rep_ids and p.pk != exclude), key=str)
    tomorrow = today + dt.timedelta(days=1)
    goals = list(
        goals_overlapping(today, tomorrow, person_ids=[p.pk for p in reps], unit_ids=units)
    )
    results = goal_progress(goals, today)
    cards = cards_for(results, cal)
    page = TeamPage(unit, today)
    page.unit_cards = [c for c in cards if c.goal.unit_id]
    person_cards = [c for c in cards if c.goal.person_id]
    slots: dict[Slot, int] = {}
    for c in person_cards:
        slot = (c.goal.metric, c.goal.period_kind, c.goal.kind)
        slots[slot] = min(slots.get(slot, 99), c.goal.priority)
    ordered = sorted(slots, key=lambda s: (slots[s], s))
    page.columns = [Column(s, metric_label(s[0]), period_kind_label(s[1])) for s in ordered]
    by_person: dict[int | None, dict[Slot, GoalCard]] = {p.pk: {} for p in reps}
    for c in person_cards:
        by_person[c.goal.person_id][(c.goal.metric, c.goal.period_kind, c.goal.kind)] = c
    page.rows = sorted(
        (
            RepRow(p, [by_person[p.pk].get(s) for s in ordered], list(by_person[p.pk].values()))
            for p in reps
        ),
        key=lambda r: r.sort_key,
    )
    page.board, page.board_label = team_board(units, today)
    return page
