"""The manager's team page: the team's health at a glance (per team, with subtotals for a
region), the reps who need a conversation (risk, not pace alone: ``tracking.risk``), the
team's own goals and leaderboard, and the reps × goals grid, which sorts and filters on
the server (``?sort=``, ``?team=``, ``?status=``, ``?metric=``).

A fixed number of queries whatever the number of reps: the members, their roles, the
goals, one ``goal_progress`` for today and one for a week ago (one query per metric and
period each), the risk's history (one per metric) and one leaderboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import members_on, subtree_ids, work_calendar
from pacesetter.presentation import period_kind_label, status_label
from pacesetter.tracking.health import TREND_DAYS, Health, rep_paces, unit_health
from pacesetter.tracking.leaderboard import Standing
from pacesetter.tracking.progress import STATUS_ORDER, GoalProgress, goal_progress
from pacesetter.tracking.risk import RepRisk, risk_list
from pacesetter.tracking.selectors import goals_overlapping
from pacesetter.tracking.trends import Trend, top_priority_trends
from pacesetter.web.cards import GoalCard, cards_for
from pacesetter.web.labels import metric_label
from pacesetter.web.my_goals import team_board

NEEDS_ATTENTION = ("behind", "at_risk")
SORTS = {"attention": _("Needs attention first"), "rep": _("Rep"), "team": _("Team")}

Slot = tuple[str, str, str]  # metric, period kind, goal kind


@dataclass(frozen=True)
class Column:
    """A goal column of the grid: one metric, kind of period and kind of goal."""

    slot: Slot
    label: str
    period: str


@dataclass(frozen=True)
class GridColumn:
    """A column of the grid as drawn: ``key`` says what its cells hold ("rep", "team",
    "goal"; a new kind of column adds a key here and a branch in ``RepRow.cell``)."""

    key: str
    label: str
    period: str = ""
    goal: Column | None = None


@dataclass(frozen=True)
class GridCell:
    column: GridColumn
    card: GoalCard | None = None
    text: str = ""
    trend: Trend | None = None


@dataclass(frozen=True)
class GridFilters:
    """The grid's sort and filters, read from the query string (unknown values ignored)."""

    sort: str = "attention"
    team: int | None = None
    status: str = ""
    metric: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> GridFilters:
        sort = query.get("sort", "")
        team = query.get("team", "")
        status = query.get("status", "")
        return cls(
            sort if sort in SORTS else "attention",
            int(team) if team.isdigit() else None,
            status if status in STATUS_ORDER else "",
            query.get("metric", "")[:64],
        )

    @property
    def query(self) -> str:
        """The filters as a query string (for links that keep them, e.g. an export)."""
        pairs = {"sort": self.sort if self.sort != "attention" else "", "team": self.team or "",
                 "status": self.status, "metric": self.metric}  # fmt: skip
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass
class RepRow:
    person: Person
    cells: list[GoalCard | None]  # aligned with ``TeamPage.columns``
    cards: list[GoalCard]
    team: Unit | None = None
    trend: Trend | None = None  # month over month, for the top-priority goal's metric

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

    def cell(self, column: GridColumn, index: dict[Column, int]) -> GridCell:
        if column.key == "goal":
            assert column.goal is not None
            return GridCell(column, card=self.cells[index[column.goal]])
        if column.key == "team":
            return GridCell(column, text=self.team.name if self.team else "")
        if column.key == "trend":
            return GridCell(column, trend=self.trend)
        return GridCell(column, text=self.person.full_name)


@dataclass
class TeamPage:
    unit: Unit
    today: dt.date
    columns: list[Column] = field(default_factory=list)  # the goal columns shown
    rows: list[RepRow] = field(default_factory=list)  # the rows shown (filtered, sorted)
    unit_cards: list[GoalCard] = field(default_factory=list)
    board: list[Standing] = field(default_factory=list)
    board_label: str = ""
    risks: list[RepRisk] = field(default_factory=list)
    health: list[Health] = field(default_factory=list)
    filters: GridFilters = field(default_factory=GridFilters)
    teams: list[Unit] = field(default_factory=list)  # the units reps belong to, for the filter
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (name, label), for the filter
    total_rows: int = 0  # rows before filtering

    @property
    def attention(self) -> list[RepRisk]:
        """Who needs a conversation now (the risk list)."""
        return self.risks

    @property
    def grid_columns(self) -> list[GridColumn]:
        """Every column of the grid, in order: the one place that lists them."""
        lead = [GridColumn("rep", str(_("Rep")))]
        if len(self.teams) > 1:
            lead.append(GridColumn("team", str(_("Team"))))
        lead.append(GridColumn("trend", str(_("Trend"))))
        return lead + [GridColumn("goal", c.label, c.period, c) for c in self.columns]

    @property
    def grid(self) -> list[tuple[RepRow, list[GridCell]]]:
        """The rows with their cells, one per ``grid_columns``."""
        columns = self.grid_columns
        index = {c: i for i, c in enumerate(self.columns)}
        return [(row, [row.cell(c, index) for c in columns]) for row in self.rows]

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(s, status_label(s)) for s in STATUS_ORDER]

    @property
    def sorts(self) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in SORTS.items()]


def team_page(
    unit: Unit,
    today: dt.date,
    *,
    exclude: int | None = None,
    filters: GridFilters | None = None,
) -> TeamPage:
    """The page of ``unit`` (and everything below it) on ``today``; ``exclude`` drops the
    manager looking at it from the grid; ``filters`` sort and filter the grid."""
    cal = work_calendar()
    units = sorted(subtree_ids([unit.pk]))
    members = members_on(units, today)
    rep_ids = set(
        Role.objects.filter(kind=Role.Kind.REP, person__in=members).values_list(
            "person_id", flat=True
        )
    )
    reps = sorted((p for p in members if p.pk in rep_ids and p.pk != exclude), key=str)
    earlier = today - dt.timedelta(days=TREND_DAYS)
    tomorrow = today + dt.timedelta(days=1)
    rep_pks = [p.pk for p in reps]
    all_goals = list(goals_overlapping(earlier, tomorrow, person_ids=rep_pks, unit_ids=units))
    goals = [g for g in all_goals if g.period_start <= today < g.period_end]
    results = goal_progress(goals, today)
    cards = cards_for(results, cal)
    page = TeamPage(unit, today, filters=filters or GridFilters())
    page.unit_cards = [c for c in cards if c.goal.unit_id]
    page.risks = risk_list(results, today)
    subtree = list(Unit.objects.filter(pk__in=units))
    team_of = dict(
        Membership.objects.filter(person_id__in=rep_pks, unit_id__in=units)
        .on(today)
        .values_list("person_id", "unit_id")
    )
    _health(page, subtree, team_of, all_goals, results, earlier)
    _grid(page, reps, [c for c in cards if c.goal.person_id], subtree, team_of)
    trend_of = top_priority_trends(rep_pks, today)
    for row in page.rows:
        row.trend = trend_of.get(row.person.pk)
    page.board, page.board_label = team_board(units, today)
    return page


def _health(
    page: TeamPage,
    subtree: list[Unit],
    team_of: dict[int, int],
    all_goals: list[Goal],
    results: list[GoalProgress],
    earlier: dt.date,
) -> None:
    """Each unit's health now and a week ago (one more ``goal_progress``)."""
    org = OrgSettings.load()
    top, wait = org.risk_top_goals, Fraction(org.risk_wait_share, 100)
    before_goals = [
        g for g in all_goals if g.person_id and g.period_start <= earlier < g.period_end
    ]
    before = rep_paces(goal_progress(before_goals, earlier), earlier, top, wait)
    now = rep_paces(results, page.today, top, wait)
    page.health = unit_health(page.unit, subtree, team_of, now, before)


def _grid(page: TeamPage, reps: list[Person], person_cards: list[GoalCard],
          subtree: list[Unit], team_of: dict[int, int]) -> None:  # fmt: skip
    """The reps × goals grid, filtered and sorted as ``page.filters`` asks."""
    f = page.filters
    units = {u.pk: u for u in subtree}
    page.teams = sorted({units[t] for t in team_of.values()}, key=lambda u: u.name)
    slots: dict[Slot, int] = {}
    for c in person_cards:
        slot = (c.goal.metric, c.goal.period_kind, c.goal.kind)
        slots[slot] = min(slots.get(slot, 99), c.goal.priority)
    ordered = sorted(slots, key=lambda s: (slots[s], s))
    page.metrics = sorted({(s[0], metric_label(s[0])) for s in ordered}, key=lambda m: m[1])
    metric = f.metric if any(s[0] == f.metric for s in ordered) else ""  # unknown: ignored
    if metric:
        ordered = [s for s in ordered if s[0] == metric]
    page.columns = [Column(s, metric_label(s[0]), period_kind_label(s[1])) for s in ordered]
    by_person: dict[int | None, dict[Slot, GoalCard]] = {p.pk: {} for p in reps}
    for c in person_cards:
        by_person[c.goal.person_id][(c.goal.metric, c.goal.period_kind, c.goal.kind)] = c
    rows = [
        RepRow(
            p,
            [by_person[p.pk].get(s) for s in ordered],
            [c for s, c in by_person[p.pk].items() if not metric or s[0] == metric],
            units.get(team_of.get(p.pk, 0)),
        )
        for p in reps
    ]
    page.total_rows = len(rows)
    if f.team is not None:
        keep = subtree_ids([f.team]) if f.team in units else set()
        rows = [r for r in rows if r.team is not None and r.team.pk in keep]
    if f.status:
        rows = [r for r in rows if any(c.status == f.status for c in r.cards)]
    page.rows = sorted(rows, key=_sort_key(f.sort))


def _sort_key(sort: str) -> Callable[[RepRow], tuple]:
    if sort == "rep":
        return lambda r: (r.person.full_name, r.person.pk)
    if sort == "team":
        return lambda r: ((r.team.name if r.team else ""), r.sort_key)
    return lambda r: r.sort_key
