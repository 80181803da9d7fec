"""Progress of goals: actual, attainment, pace, projection, status, and what is still needed.

``goal_progress`` takes any number of goals and asks the engine for one value set per
metric and period — so a dashboard of 2,000 reps' goals costs a handful of queries.

Pace is working-day aware: on the 10th working day of 20, a monthly goal of 40 demos
expects 20. Cumulative metrics (counts, sums) are paced; level metrics (rates, medians,
coverage) are compared with the target itself, since half a month does not halve a rate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import (
    UnitScope,
    Window,
    person_parts,
    person_values,
    unit_scope,
    unit_values,
    values_of,
)
from pacesetter.metrics.formatting import currency_symbol, format_value
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.selectors import attach_assignees

ACHIEVED, ON_TRACK, AT_RISK, BEHIND = "achieved", "on_track", "at_risk", "behind"
STATUS_ORDER = {BEHIND: 0, AT_RISK: 1, ON_TRACK: 2, ACHIEVED: 3}
STATUS_LABELS = {
    ACHIEVED: "achieved",
    ON_TRACK: "on track",
    AT_RISK: "at risk",
    BEHIND: "behind",
}
CUMULATIVE = (Metric.Aggregation.COUNT, Metric.Aggregation.SUM)
ZERO, CENT = Decimal(0), Decimal("0.01")


@dataclass(slots=True)
class GoalProgress:
    goal: Goal
    metric: Metric
    actual: Decimal | None
    expected: Decimal
    projected: Decimal | None
    status: str
    elapsed: Fraction
    remaining_days: int
    needed_per_day: Decimal | None
    notes: list[str] = field(default_factory=list)
    currency: str = "$"

    def show(self, value: Decimal | None) -> str:
        """A value of this goal's metric as people read it ($1,200.00, 21, 75.0 %)."""
        return format_value(value, self.metric.unit, self.currency)

    @property
    def actual_text(self) -> str:
        return self.show(self.actual)

    @property
    def target_text(self) -> str:
        return self.show(self.target)

    @property
    def needed_text(self) -> str:
        return "" if self.needed_per_day is None else self.show(self.needed_per_day)

    @property
    def target(self) -> Decimal:
        return self.goal.target

    @property
    def attainment(self) -> Decimal | None:
        """Percent of the target reached (for lower-is-better: target ÷ actual)."""
        if self.actual is None:
            return None
        if self.metric.lower_is_better:
            if not self.actual:
                return Decimal(100) if self.target else None
            return (self.target / self.actual * 100).quantize(Decimal("0.1"))
        if not self.target:
            return Decimal(100)
        return (self.actual / self.target * 100).quantize(Decimal("0.1"))

    @property
    def pace_percent(self) -> Decimal:
        """Where the pace marker sits on a progress bar: expected-to-date as % of target."""
        return (Decimal(self.elapsed.numerator) / Decimal(self.elapsed.denominator) * 100).quantize(
            Decimal("0.1")
        )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def assignee(self) -> str:
        return self.goal.person.full_name if self.goal.person_id else self.goal.unit.name


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    An org-wide dashboard makes a progress record, a few Decimals and a list for each of
    20,000 goals; none of them form reference cycles (reference counting frees them), yet
    the allocations trigger full collections that walk every object of a long-running
    process: a fifth of the time, measured. The previous state is restored on the way out,
    so nested or concurrent callers never leave the collector off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def goal_progress(goals: Iterable[Goal], today: dt.date) -> list[GoalProgress]:
    """Progress of each goal on ``today`` (in the org's zone), in the order given."""
    with _without_cycle_collection():
        return _goal_progress(list(goals), today)


def _goal_progress(goals: list[Goal], today: dt.date) -> list[GoalProgress]:
    if not goals:
        return []
    attach_assignees(goals)
    org = OrgSettings.load()
    cal = work_calendar(org)
    metrics = {m.name: m for m in Metric.objects.filter(name__in={g.metric for g in goals})}
    # Goals of one metric and period share one query, one pace clock and one set of rules;
    # each keeps its place in the list it came in.
    groups: dict[tuple[str, dt.date, dt.date], list[tuple[int, Goal]]] = defaultdict(list)
    units_by_window: dict[Window, set[int]] = defaultdict(set)
    for position, goal in enumerate(goals):
        groups[(goal.metric, goal.period_start, goal.period_end)].append((position, goal))
        if goal.unit_id:
            units_by_window[Window(goal.period_start, goal.period_end)].add(goal.unit_id)
    # Who belongs to which unit is the same for every metric of a period: work it out once.
    scopes: dict[Window, UnitScope] = {w: unit_scope(w, u) for w, u in units_by_window.items()}
    thresholds = Decimal(org.pace_on_track) / 100, Decimal(org.pace_at_risk) / 100
    symbol = currency_symbol(org.currency)
    results: list[GoalProgress | None] = [None] * len(goals)
    for (name, start, end), members in groups.items():
        metric = metrics.get(name)
        if metric is None:
            raise ValueError(f"goal {members[0][1].pk} measures unknown metric {name!r}")
        window = Window(start, end)
        people = [g.person_id for _, g in members if g.person_id]
        units = [g.unit_id for _, g in members if g.unit_id]
        values: dict[int, Decimal | None] = {}
        unit_vals: dict[int, Decimal | None] = {}
        if units:
            # The units' members and the people with goals are mostly the same people: one
            # query for all of them.
            scope = scopes[window]
            asked = set(people) | scope.members(units)
            parts = person_parts(metric, window, asked, as_of=today, zone=org.zone)
            values = values_of(metric, parts, people)
            unit_vals = unit_values(
                metric, window, units, as_of=today, zone=org.zone, scope=scope, known=parts
            )
        elif people:
            values = person_values(metric, window, people, as_of=today, zone=org.zone)
        # Thousands of goals share a handful of periods: each period's pace clock and rules
        # are worked out once, not per goal.
        judges = {}
        for kind in {g.period_kind for _, g in members}:
            clock = _pace_clock(kind, start, end, today, cal)
            judges[kind] = _Judge(metric, end, today, clock, thresholds, symbol)
        for position, g in members:
            actual = values.get(g.person_id) if g.person_id else unit_vals.get(g.unit_id)
            results[position] = judges[g.period_kind].progress(g, actual)
    done: list[GoalProgress] = results  # type: ignore[assignment]  # every place filled
    _roll_weeks_into_months(done, today)
    return done


class _Judge:
    """Judges every goal of one metric and period on one day: whatever depends only on the
    metric, the period and the day (the pace clock, the rules, what a target is expected to
    be by now) is worked out once for the thousands of goals that share them."""

    __slots__ = ("at_risk", "count", "cumulative", "currency", "elapsed", "expected_of",
                 "lower", "metric", "money", "on_track", "over", "remaining")  # fmt: skip

    def __init__(
        self,
        metric: Metric,
        period_end: dt.date,
        today: dt.date,
        clock: tuple[Fraction, int],
        thresholds: tuple[Decimal, Decimal],
        currency: str,
    ) -> None:
        self.metric = metric
        self.cumulative = metric.aggregation in CUMULATIVE
        self.count = metric.unit == Metric.Unit.COUNT
        self.money = metric.unit == Metric.Unit.MONEY
        self.lower = metric.lower_is_better
        self.over = today >= period_end
        self.elapsed, self.remaining = clock
        self.on_track, self.at_risk = thresholds
        self.currency = currency
        self.expected_of: dict[Decimal, Decimal] = {}  # target → expected by today

    def expected(self, target: Decimal) -> Decimal:
        """The target times the share of working days gone (whole units for counts)."""
        found = self.expected_of.get(target)
        if found is None:
            found = _scaled(target, self.elapsed.numerator, self.elapsed.denominator)
            if self.count:
                # Nobody shares three quarters of an article: pace counts whole ones.
                found = Decimal(math.floor(found))
            self.expected_of[target] = found
        return found

    def progress(self, goal: Goal, actual: Decimal | None) -> GoalProgress:
        over, target, cumulative = self.over, goal.target, self.cumulative
        elapsed, remaining = self.elapsed, self.remaining
        notes: list[str] = []
        if cumulative:
            expected = self.expected(target)
            projected = (
                _scaled(actual or ZERO, elapsed.denominator, elapsed.numerator) if elapsed else None
            )
        else:
            expected, projected = target, actual

        if actual is None:
            status = BEHIND if over else ON_TRACK
            notes.append("no data yet")
        elif self.lower:
            met = actual <= (expected if cumulative and not over else target)
            if cumulative and actual > target:
                status = BEHIND
            elif over:
                status = ACHIEVED if actual <= target else BEHIND
            elif met:
                status = ON_TRACK
            else:
                slack = 2 - self.at_risk
                allowance = expected * slack if cumulative else target * slack
                status = AT_RISK if actual <= allowance else BEHIND
        elif cumulative and actual >= target:
            status = ACHIEVED
        elif not cumulative and actual >= target:
            status = ACHIEVED if over else ON_TRACK
        elif over:
            status = BEHIND
        elif cumulative and expected == 0:
            status = ON_TRACK
        else:
            ratio = actual / expected if expected else ZERO
            status = (
                ON_TRACK if ratio >= self.on_track else AT_RISK if ratio >= self.at_risk else BEHIND
            )

        needed = None
        if cumulative and not self.lower and status != ACHIEVED and remaining:
            per_day = (target - (actual or 0)) / remaining
            if self.money:
                needed = per_day.quantize(CENT, rounding=ROUND_CEILING)
            else:
                needed = Decimal(math.ceil(per_day))
        return GoalProgress(
            goal, self.metric, actual, expected, projected, status, elapsed, remaining, needed,
            notes, self.currency,
        )  # fmt: skip


def _scaled(value: Decimal, numerator: int, denominator: int) -> Decimal:
    """``value × numerator ÷ denominator`` to the cent, rounded half up.

    The same figure as ``planning.expected_to_date`` / ``projected_end`` (which go through
    ``Fraction``), in plain Decimal arithmetic: an org-wide dashboard does this for every goal.
    """
    return (value * numerator / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=512)
def _pace_clock(
    kind: str, start: dt.date, end: dt.date, today: dt.date, cal: planning.WorkCalendar
) -> tuple[Fraction, int]:
    """Share of the period's working days gone, and working days left (today included).

    Thousands of goals share a handful of periods: counted once per period, not per goal.
    """
    period = planning.Period(kind, start, end, "")
    elapsed = planning.elapsed_fraction(period, today, cal)
    from_day = min(max(today, start), end)
    return elapsed, planning.working_day_count((from_day, end), cal)


def _roll_weeks_into_months(results: list[GoalProgress], today: dt.date) -> None:
    """A missed weekly goal puts its month at risk while the month can still be saved."""
    missed: dict[tuple, list[GoalProgress]] = defaultdict(list)
    for r in results:
        g = r.goal
        if g.period_kind == "week" and g.period_end <= today and r.status == BEHIND:
            key = (g.metric, g.person_id, g.unit_id, g.period_start.year, g.period_start.month)
            missed[key].append(r)
    for r in results:
        g = r.goal
        if g.period_kind != "month" or r.status not in (ON_TRACK,):
            continue
        weeks = missed.get((g.metric, g.person_id, g.unit_id, g.period_start.year,
                            g.period_start.month))  # fmt: skip
        if weeks:
            r.status = AT_RISK
            for week in weeks:
                r.notes.append(
                    f"missed the week of {week.goal.period_start:%d %b}: "
                    f"{_plain(week.actual)} of {_plain(week.target)}"
                )


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def sort_for_attention(results: list[GoalProgress]) -> list[GoalProgress]:
    """Behind first, then at risk, then on track, then achieved; the furthest behind first.
    Ties go by assignee, then in priority order, whatever order the goals came in."""

    def key(r: GoalProgress) -> tuple:
        g = r.goal
        return (STATUS_ORDER[r.status], r.attainment or ZERO, r.assignee, g.priority,
                g.period_start, g.metric, g.pk)  # fmt: skip

    return sorted(results, key=key)
