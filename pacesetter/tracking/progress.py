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
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Day
from pacesetter.planning.status import ACHIEVED, AT_RISK, BEHIND, ON_TRACK
from pacesetter.presentation import (
    METRIC_LABELS,
    currency_symbol,
    metric_value,
    percent,
    plain,
    status_label,
)
from pacesetter.tracking.selectors import attach_assignees

STATUS_ORDER = {BEHIND: 0, AT_RISK: 1, ON_TRACK: 2, ACHIEVED: 3}
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
    notes: list[planning.Explanation] = field(default_factory=list)
    currency: str = "$"

    def show(self, value: Decimal | None) -> str:
        """A value of this goal's metric as people read it ($1,200.00, 21, 75.0 %)."""
        return metric_value(value, self.metric.unit, self.currency)

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
        return attainment_of(self.actual, self.target, self.metric.lower_is_better)

    @property
    def attainment_text(self) -> str:
        """The attainment as people read it: "14.3 %", "—" without data."""
        return percent(self.attainment, 1)

    @property
    def pace_percent(self) -> Decimal:
        """Where the pace marker sits on a progress bar: expected-to-date as % of target."""
        return (Decimal(self.elapsed.numerator) / Decimal(self.elapsed.denominator) * 100).quantize(
            Decimal("0.1")
        )

    @property
    def status_label(self) -> str:
        """The status in the reader's language: "on track", "进展正常"."""
        return status_label(self.status)

    @property
    def metric_label(self) -> str:
        """The metric's name in the reader's language: "Demos held", "产品演示"."""
        label = METRIC_LABELS.get(self.metric.name)
        return self.metric.label if label is None else str(label)

    @property
    def assignee(self) -> str:
        goal = self.goal
        if goal.person is not None:
            return goal.person.full_name
        assert goal.unit is not None  # a goal is a person's or a unit's
        return goal.unit.name


def attainment_of(actual: Decimal | None, target: Decimal, lower_is_better: bool) -> Decimal | None:
    """Percent of the target reached, to a tenth (for lower-is-better: target ÷ actual)."""
    if actual is None:
        return None
    if lower_is_better:
        if not actual:
            return Decimal(100) if target else None
        return (target / actual * 100).quantize(Decimal("0.1"))
    if not target:
        return Decimal(100)
    return (actual / target * 100).quantize(Decimal("0.1"))


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
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
    with without_cycle_collection():
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
        values, unit_vals = assignee_values(
            metric, window, people, units, scopes.get(window), today, org
        )
        # Thousands of goals share a handful of periods: each period's pace clock and rules
        # are worked out once, not per goal.
        judges = {}
        for kind in {g.period_kind for _, g in members}:
            clock = pace_clock(kind, start, end, today, cal)
            judges[kind] = _Judge(metric, end, today, clock, thresholds, symbol)
        for position, g in members:
            if g.person_id:
                actual = values.get(g.person_id)
            else:
                assert g.unit_id is not None  # a goal is a person's or a unit's
                actual = unit_vals.get(g.unit_id)
            results[position] = judges[g.period_kind].progress(g, actual)
    done: list[GoalProgress] = results  # type: ignore[assignment]  # every place filled
    _roll_weeks_into_months(done, today)
    return done


def assignee_values(
    metric: Metric,
    window: Window,
    people: list[int],
    units: list[int],
    scope: UnitScope | None,
    today: dt.date,
    org: OrgSettings,
) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    """The values of ``metric`` in ``window`` of the people, and of the units (``scope``:
    who is in them)."""
    values: dict[int, Decimal | None] = {}
    unit_vals: dict[int, Decimal | None] = {}
    if units:
        assert scope is not None  # every window with unit goals has its scope
        # The units' members and the people with goals are mostly the same people: one
        # query for all of them.
        asked = set(people) | scope.members(units)
        parts = person_parts(metric, window, asked, as_of=today, zone=org.zone)
        values = values_of(metric, parts, people)
        unit_vals = unit_values(
            metric, window, units, as_of=today, zone=org.zone, scope=scope, known=parts
        )
    elif people:
        values = person_values(metric, window, people, as_of=today, zone=org.zone)
    return values, unit_vals


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
        notes: list[planning.Explanation] = []
        if cumulative:
            expected = self.expected(target)
            projected = (
                _scaled(actual or ZERO, elapsed.denominator, elapsed.numerator) if elapsed else None
            )
        else:
            expected, projected = target, actual

        if actual is None:
            status = BEHIND if over else ON_TRACK
            notes.append(planning.Explanation("progress.no_data"))
        elif self.lower:
            status = self._status_lower(actual, target, expected)
        else:
            status = self._status_higher(actual, target, expected)
        needed = self._needed(target, actual, status)
        return GoalProgress(
            goal, self.metric, actual, expected, projected, status, elapsed, remaining, needed,
            notes, self.currency,
        )  # fmt: skip

    def _status_lower(self, actual: Decimal, target: Decimal, expected: Decimal) -> str:
        """Lower is better: at most the target by the end (a cumulative one at most what is
        expected by now), with the at-risk threshold's slack above it."""
        over, cumulative = self.over, self.cumulative
        met = actual <= (expected if cumulative and not over else target)
        if cumulative and actual > target:
            return BEHIND
        if over:
            return ACHIEVED if actual <= target else BEHIND
        if met:
            return ON_TRACK
        slack = 2 - self.at_risk
        allowance = expected * slack if cumulative else target * slack
        return AT_RISK if actual <= allowance else BEHIND

    def _status_higher(self, actual: Decimal, target: Decimal, expected: Decimal) -> str:
        """Higher is better: the share of what is expected by now decides."""
        cumulative = self.cumulative
        if cumulative and actual >= target:
            return ACHIEVED
        if not cumulative and actual >= target:
            return ACHIEVED if self.over else ON_TRACK
        if self.over:
            return BEHIND
        if cumulative and expected == 0:
            return ON_TRACK
        ratio = actual / expected if expected else ZERO
        return ON_TRACK if ratio >= self.on_track else AT_RISK if ratio >= self.at_risk else BEHIND

    def _needed(self, target: Decimal, actual: Decimal | None, status: str) -> Decimal | None:
        """What a cumulative, higher-is-better goal not achieved yet needs per working day
        left (whole units, or cents rounded up for money)."""
        remaining = self.remaining
        if not (self.cumulative and not self.lower and status != ACHIEVED and remaining):
            return None
        per_day = (target - (actual or 0)) / remaining
        if self.money:
            return per_day.quantize(CENT, rounding=ROUND_CEILING)
        return Decimal(math.ceil(per_day))


def _scaled(value: Decimal, numerator: int, denominator: int) -> Decimal:
    """``value × numerator ÷ denominator`` to the cent, rounded half up.

    The same figure as ``planning.expected_to_date`` / ``projected_end`` (which go through
    ``Fraction``), in plain Decimal arithmetic: an org-wide dashboard does this for every goal.
    """
    return (value * numerator / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=512)
def pace_clock(
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
                    planning.Explanation(
                        "progress.missed_week",
                        {"day": Day(week.goal.period_start, "day_month"),
                         "actual": plain(week.actual), "target": plain(week.target)},
                    )
                )  # fmt: skip


def sort_for_attention(results: list[GoalProgress]) -> list[GoalProgress]:
    """Behind first, then at risk, then on track, then achieved; the furthest behind first.
    Ties go by assignee, then in priority order, whatever order the goals came in."""

    def key(r: GoalProgress) -> tuple:
        g = r.goal
        return (STATUS_ORDER[r.status], r.attainment or ZERO, r.assignee, g.priority,
                g.period_start, g.metric, g.pk)  # fmt: skip

    return sorted(results, key=key)
