"""The forecast of a revenue goal at period end, and its pipeline coverage, from the ledger.

The arithmetic is ``planning.forecast``; this module reads what it needs, in five queries
whatever the number of deals: the rep's team on the day (two), the deals closed in the last
12 whole months (won and lost counts from the monthly rollups; the days each win took from
the deals) and the open deals. A unit's goal pools its members: their deals, their history.

A revenue goal is one whose metric sums the amounts of deals (``revenue_won`` and any
metric an admin built the same way, its segment filter applied to the pipeline too).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from pacesetter import planning
from pacesetter.ledger.models import Deal, DealMonth
from pacesetter.metrics.engine import DaysBetween
from pacesetter.metrics.filters import MetricFilters, filters_of
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership
from pacesetter.org.selectors import subtree_ids, unit_of
from pacesetter.planning.calendar import add_months
from pacesetter.planning.forecast import (
    DealHistory,
    Forecast,
    OpenDeal,
    Outlook,
    cycle_time,
    forecast,
    win_rate,
)
from pacesetter.presentation import money
from pacesetter.tracking.progress import GoalProgress

LOOKBACK_MONTHS = 12


def is_revenue(metric: Metric) -> bool:
    """Does the metric add up the amounts of deals (revenue won, or one like it)?"""
    return (
        metric.source == Metric.Source.DEALS
        and metric.aggregation == Metric.Aggregation.SUM
        and metric.unit == Metric.Unit.MONEY
    )


@dataclass(frozen=True)
class GoalForecast:
    """A goal's forecast as the goal page shows it: the figures and how they came about."""

    forecast: Forecast
    currency: str

    def _money(self, amount: Decimal) -> str:
        return money(amount, self.currency)

    @property
    def total_text(self) -> str:
        return self._money(self.forecast.total)

    @property
    def won_text(self) -> str:
        return self._money(self.forecast.won)

    @property
    def run_rate_text(self) -> str:
        return self._money(self.forecast.run_rate)

    @property
    def pipeline_text(self) -> str:
        return self._money(self.forecast.pipeline)

    @property
    def open_text(self) -> str:
        return self._money(self.forecast.open_amount)

    @property
    def remaining_text(self) -> str:
        return self._money(self.forecast.remaining)

    @property
    def coverage_text(self) -> str:
        """ "2.4×", or "—" when nothing is left to win."""
        ratio = self.forecast.coverage_ratio
        return "—" if ratio is None else f"{ratio}×"

    @property
    def explanations(self) -> tuple[planning.Explanation, ...]:
        return self.forecast.explanations


def goal_forecast(progress: GoalProgress, today: dt.date) -> GoalForecast | None:
    """The forecast of a revenue goal whose period is running on ``today``; None for any
    other goal (another metric, a period not started or over)."""
    goal, metric = progress.goal, progress.metric
    if not is_revenue(metric) or not goal.period_start <= today < goal.period_end:
        return None
    own_ids, team_ids = _people(progress, today)
    f = filters_of(metric)
    histories = _histories(f, own_ids | team_ids, today)
    own = sum((histories[p] for p in own_ids if p in histories), DealHistory())
    team = sum((histories[p] for p in team_ids if p in histories), DealHistory())
    rate = win_rate(own, team)
    cycle = cycle_time(own, team)
    outlook = Outlook(
        today=today,
        period_end=goal.period_end,
        days_left=progress.remaining_days,
        target=goal.target,
        won=progress.actual or Decimal(0),
        projected=progress.projected,
    )
    deals = _open_deals(f, own_ids)
    found = forecast(outlook, deals, rate, cycle, progress.currency)
    return GoalForecast(found, progress.currency)


def _people(progress: GoalProgress, today: dt.date) -> tuple[set[int], set[int]]:
    """Whose deals the goal counts, and whose history stands in when theirs is short: a
    rep and the rep's team on ``today``; a unit's members (and its sub-units') twice."""
    goal = progress.goal
    if goal.person is not None:
        unit = unit_of(goal.person, today)
        team = _members({unit.pk}, today) if unit is not None else set()
        return {goal.person.pk}, team | {goal.person.pk}
    assert goal.unit_id is not None  # a goal is a person's or a unit's
    members = _members(subtree_ids([goal.unit_id]), today)
    return members, members


def _members(unit_ids: set[int], day: dt.date) -> set[int]:
    rows = Membership.objects.filter(unit_id__in=unit_ids).on(day)
    return set(rows.values_list("person_id", flat=True))


def _lookback(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last ``LOOKBACK_MONTHS`` whole months before today's: [start, end)."""
    end = today.replace(day=1)
    return add_months(end, -LOOKBACK_MONTHS), end


def _histories(f: MetricFilters, people: set[int], today: dt.date) -> dict[int, DealHistory]:
    """Each person's won and lost deals (the monthly rollups) and days to each win (the
    deals) over the look-back: two queries for everyone."""
    start, end = _lookback(today)
    matching = f.deals(by_status=False)
    counts = (
        DealMonth.objects.filter(month__gte=start, month__lt=end, person_id__in=people, **matching)
        .values_list("person_id")
        .annotate(
            won=Sum("count", filter=Q(status="won")), lost=Sum("count", filter=Q(status="lost"))
        )
        .order_by()
    )
    days: dict[int, list[int]] = defaultdict(list)
    wins = Deal.objects.filter(
        status="won", closed_on__gte=start, closed_on__lt=end, created_on__isnull=False,
        owner_id__in=people, **matching,
    )  # fmt: skip
    for owner, n in (
        wins.annotate(days=DaysBetween("created_on", "closed_on"))
        .values_list("owner_id", "days")
        .order_by()
    ):
        days[owner].append(n)
    found = {p: DealHistory(int(w or 0), int(lost or 0)) for p, w, lost in counts}
    for p, taken in days.items():
        known = found.get(p, DealHistory())
        found[p] = DealHistory(known.won, known.lost, tuple(sorted(taken)))
    return found


def _open_deals(f: MetricFilters, people: set[int]) -> list[OpenDeal]:
    rows = Deal.objects.filter(status="open", owner_id__in=people, **f.deals(by_status=False))
    return [
        OpenDeal(amount, created) for amount, created in rows.values_list("amount", "created_on")
    ]
