"""Org-wide progress: every goal of a period judged set-wise; ``GoalProgress`` on demand.

``goal_progress`` loads a ``Goal`` and builds a ``GoalProgress`` for each goal: right for a
page of a hundred goals, and most of the time of an org-wide report of twenty thousand.
``org_progress`` reads the goals as rows (id, assignee, metric, period, target in cents),
asks the engine the same one query per metric and period, and judges the goals of each
(metric, period) column by column (``planning.status``). The result, an ``OrgProgress``,
holds the columns; the per-goal records, explanations included, are built for the goals a
caller shows (``progress_of``). Its figures are ``goal_progress``'s, to the cent (tested).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, connections
from django.db.models import CharField, DateField, Field, QuerySet
from django.db.models.functions import Cast

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import UnitScope, Window, driver_rows, person_cents, unit_scope
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Day
from pacesetter.planning.status import (
    AT_RISK,
    BEHIND,
    ON_TRACK,
    Clock,
    Rules,
    judge_cumulative,
    judge_levels,
)
from pacesetter.presentation import currency_symbol, plain
from pacesetter.tracking.progress import (
    CUMULATIVE,
    STATUS_ORDER,
    ZERO,
    GoalProgress,
    assignee_values,
    attainment_of,
    pace_clock,
    without_cycle_collection,
)
from pacesetter.tracking.selectors import attach_assignees, by_id

# What a goal row is read as: straight from the database driver, targets in cents. SQLite's
# driver turns each date into a date in Python (twice per goal): there the period's days are
# read as text and turned into dates once per period; psycopg's loader is quicker than text.
ROW = ("id", "metric", "person_id", "unit_id", "period_kind", "first_day", "day_after",
       "target", "priority", "kind")  # fmt: skip
NO_DATA = planning.Explanation("progress.no_data")


@dataclass(slots=True)
class Block:
    """The goals of one metric and period, as columns: one entry per goal."""

    metric: Metric
    kind: str
    start: dt.date
    end: dt.date
    clock: Clock
    ids: tuple[int, ...]
    people: tuple[int | None, ...]
    units: tuple[int | None, ...]
    targets: tuple[int, ...]  # cents
    priorities: tuple[int, ...]
    goal_kinds: tuple[str, ...]  # standard, stretch, collective…
    values: dict[int, Decimal | None] = field(default_factory=dict)  # the engine's, per person
    unit_values: dict[int, Decimal | None] = field(default_factory=dict)  # per unit
    # A count's or a sum's people without unit goals: their values in cents, and whether
    # those are whole numbers (counts) rather than amounts (``engine.person_cents``).
    cents: dict[int, int] | None = None
    whole: bool = False
    status: list[str] = field(default_factory=list)
    # Cumulative metrics only (a level's expected is its target, its projection its actual).
    expected: list[int] | None = None  # cents
    projected: list[int | None] | None = None  # cents
    needed: list[int | None] | None = None  # cents
    # Goals with a week missed (index → the weeks' notes), filled after judging.
    missed: dict[int, list[planning.Explanation]] = field(default_factory=dict)

    @property
    def cumulative(self) -> bool:
        return self.metric.aggregation in CUMULATIVE

    def actual(self, i: int) -> Decimal | None:
        person = self.people[i]
        if person is not None and self.cents is not None:
            cents = self.cents.get(person)
            if cents is None:  # no data: nothing, as ``person_values`` says it
                return ZERO
            return Decimal(cents // 100) if self.whole else Decimal(cents).scaleb(-2)
        if person is not None:
            return self.values.get(person)
        unit = self.units[i]
        assert unit is not None  # a goal is a person's or a unit's
        return self.unit_values.get(unit)


@dataclass(slots=True)
class OrgProgress:
    """Every goal's standing on ``today``, by (metric, period); records on demand."""

    today: dt.date
    currency: str
    blocks: list[Block]
    _where: dict[int, tuple[Block, int]] | None = None

    def __len__(self) -> int:
        return sum(len(b.ids) for b in self.blocks)

    def statuses(self) -> Counter[str]:
        """How many goals are achieved, on track, at risk, behind."""
        counts: Counter[str] = Counter()
        for block in self.blocks:
            counts.update(block.status)
        return counts

    def goal_ids(self, *statuses: str) -> list[int]:
        """The goals in any of these statuses (every goal without one)."""
        wanted = set(statuses)
        return [
            goal_id
            for b in self.blocks
            for goal_id, status in zip(b.ids, b.status, strict=True)
            if not wanted or status in wanted
        ]

    def status_of(self, goal_id: int) -> str:
        block, i = self._index()[goal_id]
        return block.status[i]

    def progress_of(self, goal_ids: Iterable[int] | None = None) -> list[GoalProgress]:
        """The full record of these goals (every goal without ids), in the order given: the
        figures as judged, the notes that explain them. One query for the goals, two for
        their people and units."""
        where = self._index()
        ids = list(where) if goal_ids is None else list(goal_ids)
        goals = by_id(Goal.objects.defer("created_at", "updated_at").order_by(), set(ids))
        ordered = [goals[i] for i in ids]
        attach_assignees(ordered)
        return [self._record(g, *where[g.pk]) for g in ordered]

    def _index(self) -> dict[int, tuple[Block, int]]:
        if self._where is None:
            self._where = {goal_id: (b, i) for b in self.blocks for i, goal_id in enumerate(b.ids)}
        return self._where

    def rows(self) -> list[ProgressRow]:
        """Every goal's figures as plain rows with the assignee's name, no model objects:
        for reports of every goal (two queries: the people's and the units' names)."""
        people, units = _names(self.blocks)
        rows = []
        for b in self.blocks:
            metric, kind, start, end = b.metric, b.kind, b.start, b.end
            for i, goal_id in enumerate(b.ids):
                person, unit = b.people[i], b.units[i]
                name = people[person] if person is not None else units[unit]  # type: ignore[index]
                rows.append(ProgressRow(
                    goal_id, metric, person, unit, name, b.goal_kinds[i], b.priorities[i], kind,
                    start, end, _cents(b.targets[i]), *_figures(b, i),
                ))  # fmt: skip
        return rows

    def _record(self, goal: Goal, block: Block, i: int) -> GoalProgress:
        actual, expected, projected, status, needed, notes = _figures(block, i)
        clock = block.clock
        return GoalProgress(
            goal, block.metric, actual, expected, projected, status, clock.elapsed,
            clock.remaining, needed, notes, self.currency,
        )  # fmt: skip


class ProgressRow(NamedTuple):
    """One goal's progress without its model objects (``OrgProgress.rows``)."""

    goal_id: int
    metric: Metric
    person_id: int | None
    unit_id: int | None
    assignee: str
    goal_kind: str
    priority: int
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    target: Decimal
    actual: Decimal | None
    expected: Decimal
    projected: Decimal | None
    status: str
    needed_per_day: Decimal | None
    notes: list[planning.Explanation]

    @property
    def attainment(self) -> Decimal | None:
        return attainment_of(self.actual, self.target, self.metric.lower_is_better)


def rows_for_attention(rows: Iterable[ProgressRow]) -> list[ProgressRow]:
    """``sort_for_attention``'s order for rows: behind first, the furthest behind first;
    ties by assignee, then priority, period, metric and id."""

    def key(r: ProgressRow) -> tuple:
        return (STATUS_ORDER[r.status], r.attainment or ZERO, r.assignee, r.priority,
                r.period_start, r.metric.name, r.goal_id)  # fmt: skip

    return sorted(rows, key=key)


def _figures(b: Block, i: int) -> tuple:
    """Goal ``i`` of a block as ``GoalProgress`` holds it: actual, expected, projected,
    status, needed per day (Decimals written as the per-goal judge writes them), notes."""
    actual = b.actual(i)
    metric = b.metric
    if b.expected is not None:
        assert b.projected is not None and b.needed is not None  # cumulative
        whole = metric.unit == Metric.Unit.COUNT
        expected = _units(b.expected[i]) if whole else _cents(b.expected[i])
        projected, needed = b.projected[i], b.needed[i]
        shown_projected = None if projected is None else _cents(projected)
        shown_needed = (
            None if needed is None
            else _cents(needed) if metric.unit == Metric.Unit.MONEY else _units(needed)
        )  # fmt: skip
    else:
        expected, shown_projected, shown_needed = _cents(b.targets[i]), actual, None
    notes = [NO_DATA] if actual is None else []
    notes += b.missed.get(i, ())
    return actual, expected, shown_projected, b.status[i], shown_needed, notes


def _names(blocks: list[Block]) -> tuple[dict[int, str], dict[int, str]]:
    """The names of the people and units the goals belong to: one query each."""
    people = {p for b in blocks for p in b.people if p is not None}
    units = {u for b in blocks for u in b.units if u is not None}
    return (
        {pk: p.full_name for pk, p in by_id(Person.objects.only("full_name"), people).items()},
        {pk: u.name for pk, u in by_id(Unit.objects.only("name"), units).items()},
    )


def _day(read: str | dt.date) -> dt.date:
    return read if isinstance(read, dt.date) else dt.date.fromisoformat(read[:10])


def _cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _units(cents: int) -> Decimal:
    return Decimal(cents // 100)


def org_progress(goals: QuerySet[Goal], today: dt.date) -> OrgProgress:
    """Progress of every goal of ``goals`` on ``today`` (in the org's zone), judged set-wise:
    one query for the goals, one per metric and period for the values."""
    with without_cycle_collection():
        return _org_progress(goals, today)


def _org_progress(goals: QuerySet[Goal], today: dt.date) -> OrgProgress:
    as_read: Field[Any, Any] = CharField() if connection.vendor == "sqlite" else DateField()
    rows = driver_rows(
        goals.annotate(
            first_day=Cast("period_start", as_read), day_after=Cast("period_end", as_read)
        ).values_list(*ROW)
    )
    org = OrgSettings.load()
    result = OrgProgress(today, currency_symbol(org.currency), [])
    if not rows:
        return result
    grouped: dict[tuple[str, str, str | dt.date, str | dt.date], list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[(row[1], row[4], row[5], row[6])].append(row)
    names = {name for name, _, _, _ in grouped}
    metrics = {m.name: m for m in Metric.objects.filter(name__in=names)}
    for (name, *_), block_rows in grouped.items():
        if name not in metrics:
            raise ValueError(f"goal {block_rows[0][0]} measures unknown metric {name!r}")
    units_by_window: dict[Window, set[int]] = defaultdict(set)
    for (_, _, start, end), block_rows in grouped.items():
        window = Window(_day(start), _day(end))
        units_by_window[window].update(r[3] for r in block_rows if r[3] is not None)
    # Who belongs to which unit is the same for every metric of a period: worked out once.
    scopes = {w: unit_scope(w, u) for w, u in units_by_window.items() if u}
    judge = _Judging(org, today, scopes)
    work = [
        (metrics[name], kind, _day(start), _day(end), block_rows)
        for (name, kind, start, end), block_rows in grouped.items()
    ]
    result.blocks = _judged(judge, work)
    _roll_weeks_into_months(result.blocks, today)
    return result


def _judged(judge: _Judging, work: list[tuple]) -> list[Block]:
    """Each (metric, period) block judged, in order. Outside a transaction, a second thread
    with its own database connection takes blocks from the same queue: one block's query
    runs in the database while the other's rows are judged in Python (``sqlite3`` and
    ``psycopg`` let go of the interpreter while they wait). Inside a transaction (a test,
    a caller's atomic block) another connection would not see its rows: one thread then.
    ``settings.PROGRESS_THREADS`` (1: one thread) sets how many."""
    threads = min(settings.PROGRESS_THREADS, len(work))
    if threads <= 1 or connection.in_atomic_block:
        return [judge.block(*item) for item in work]
    queue = iter(sorted(range(len(work)), key=lambda i: -_cost(work[i])))
    lock = threading.Lock()
    blocks: list[Block | None] = [None] * len(work)

    def take() -> None:
        while True:
            with lock:
                i = next(queue, None)
            if i is None:
                return
            blocks[i] = judge.block(*work[i])

    def helper() -> None:
        try:
            take()
        finally:
            connections.close_all()  # this thread's own connection, not the caller's

    with ThreadPoolExecutor(max_workers=threads - 1) as pool:
        helpers = [pool.submit(helper) for _ in range(threads - 1)]
        take()
        for done in helpers:
            done.result()  # a helper's error is the caller's
    return [b for b in blocks if b is not None]


def _cost(item: tuple) -> int:
    """Blocks that ask the ledger for levels (coverage, lead time, retention) first: they
    take longest, and the quick ones fill in around them."""
    metric = item[0]
    return len(item[4]) + (100_000 if metric.aggregation not in CUMULATIVE else 0)


class _Judging:
    """What is shared by the blocks of one call: the settings, the calendar, the unit
    scopes, and the values already asked for (one query per metric and window)."""

    def __init__(self, org: OrgSettings, today: dt.date, scopes: dict[Window, UnitScope]):
        self.org, self.today, self.scopes = org, today, scopes
        self.cal = work_calendar(org)
        self.on_track, self.at_risk = org.pace_on_track, org.pace_at_risk

    def block(
        self, metric: Metric, kind: str, start: dt.date, end: dt.date, rows: list[tuple]
    ) -> Block:
        ids, _, people, units, _, _, _, targets, priorities, goal_kinds = zip(*rows, strict=True)
        elapsed, remaining = pace_clock(kind, start, end, self.today, self.cal)
        clock = Clock(elapsed, remaining, self.today >= end)
        block = Block(metric, kind, start, end, clock, ids, people, units, targets, priorities,
                      goal_kinds)  # fmt: skip
        rules = Rules(
            lower_is_better=metric.lower_is_better,
            whole_units=metric.unit == Metric.Unit.COUNT,
            money=metric.unit == Metric.Unit.MONEY,
            on_track=self.on_track,
            at_risk=self.at_risk,
        )
        asked_people = [p for p in people if p is not None]
        asked_units = [u for u in units if u is not None]
        window = Window(start, end)
        if block.cumulative and not asked_units:
            # People's counts and sums: their totals in cents, no Decimal per person (every
            # goal of the block is a person's).
            block.cents, block.whole = person_cents(metric, window, asked_people,
                                                    zone=self.org.zone)  # fmt: skip
            actuals = [block.cents.get(p, 0) for p in asked_people]
            self._pace(block, actuals, rules)
            return block
        block.values, block.unit_values = assignee_values(
            metric, window, asked_people, asked_units, self.scopes.get(window), self.today,
            self.org,
        )  # fmt: skip
        if block.cumulative:
            self._pace(block, _actual_cents(block), rules)
        else:
            levels = [block.actual(i) for i in range(len(ids))]
            block.status = judge_levels([_cents(t) for t in targets], levels, clock.over, rules)
        return block

    @staticmethod
    def _pace(block: Block, actuals: Sequence[int | None], rules: Rules) -> None:
        paced = judge_cumulative(block.targets, actuals, block.clock, rules)
        block.status, block.expected = paced.status, paced.expected
        block.projected, block.needed = paced.projected, paced.needed


def _actual_cents(block: Block) -> list[int | None]:
    """The actual of each goal of a count or a sum, in cents (the engine's Decimals are
    whole units or cents: converted once per person, not per goal)."""
    cents_of: dict[Decimal, int] = {}

    def cents(value: Decimal | None) -> int | None:
        if value is None:
            return None
        found = cents_of.get(value)
        if found is None:
            scaled = value.scaleb(2)
            found = int(scaled)
            if found != scaled:
                raise ValueError(f"{block.metric.name}: {value} is finer than a cent")
            cents_of[value] = found
        return found

    by_person = {p: cents(v) for p, v in block.values.items()}
    by_unit = {u: cents(v) for u, v in block.unit_values.items()}
    return [
        by_person.get(p) if p is not None else by_unit.get(u)  # type: ignore[arg-type]
        for p, u in zip(block.people, block.units, strict=True)
    ]


_Week = tuple[dt.date, Block, int]  # a missed week: its first day, where its goal is


def _roll_weeks_into_months(blocks: list[Block], today: dt.date) -> None:
    """A missed weekly goal puts its month at risk while the month can still be saved
    (``tracking.progress``'s rule, on the columns; weeks noted in calendar order)."""
    missed = _missed_weeks(blocks, today)
    if not missed:
        return
    for b in blocks:
        if b.kind != "month":
            continue
        for i, status in enumerate(b.status):
            if status != ON_TRACK:
                continue
            weeks = missed.get((b.metric.name, b.people[i], b.units[i], b.start.year,
                                b.start.month))  # fmt: skip
            if weeks:
                b.status[i] = AT_RISK
                b.missed[i] = [_missed_week(*week) for week in sorted(weeks, key=_first)]


def _missed_weeks(blocks: list[Block], today: dt.date) -> dict[tuple, list[_Week]]:
    """The weeks over and behind, by (metric, person, unit, year, month of their start)."""
    missed: dict[tuple, list[_Week]] = defaultdict(list)
    for b in blocks:
        if b.kind != "week" or b.end > today:
            continue
        for i, status in enumerate(b.status):
            if status == BEHIND:
                key = (b.metric.name, b.people[i], b.units[i], b.start.year, b.start.month)
                missed[key].append((b.start, b, i))
    return missed


def _first(week: _Week) -> dt.date:
    return week[0]


def _missed_week(start: dt.date, week: Block, i: int) -> planning.Explanation:
    return planning.Explanation(
        "progress.missed_week",
        {"day": Day(start, "day_month"), "actual": plain(week.actual(i)),
         "target": plain(_cents(week.targets[i]))},
    )  # fmt: skip
