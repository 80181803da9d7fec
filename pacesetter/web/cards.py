"""A goal as a page shows it: its progress bar, pace marker, status colour and what it needs.

Built from ``tracking.progress.GoalProgress`` (computed once per page for all goals), so a
card costs no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pacesetter import planning
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings
from pacesetter.presentation import (
    currency_symbol,
    metric_value,
    percent,
    period_kind_label,
    status_label,
)
from pacesetter.tracking.progress import CUMULATIVE, GoalProgress
from pacesetter.tracking.selectors import period_label
from pacesetter.tracking.trends import Trend
from pacesetter.web.labels import KIND_LABELS, metric_label


@dataclass
class GoalCard:
    progress: GoalProgress
    period: str
    streak: int | None = None
    stretch: GoalCard | None = None
    awaiting_checkin: bool = False
    notes: list[str] = field(default_factory=list)
    trend: Trend | None = None  # month-over-month attainment (``tracking.trends``)

    @property
    def goal(self) -> Goal:
        return self.progress.goal

    @property
    def label(self) -> str:
        return metric_label(self.progress.metric)

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def status_label(self) -> str:
        return status_label(self.progress.status)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.goal.kind, self.goal.kind))

    @property
    def period_kind_label(self) -> str:
        return period_kind_label(self.goal.period_kind)

    @property
    def cumulative(self) -> bool:
        return self.progress.metric.aggregation in CUMULATIVE

    @property
    def bar_percent(self) -> Decimal:
        """How full the bar is: attainment, capped at 100 (an over-achiever fills it)."""
        attainment = self.progress.attainment
        return Decimal(0) if attainment is None else min(Decimal(100), max(Decimal(0), attainment))

    @property
    def pace_percent(self) -> Decimal | None:
        """Where the pace marker sits (only paced, cumulative goals have one)."""
        return self.progress.pace_percent if self.cumulative else None

    @property
    def attainment_text(self) -> str:
        return percent(self.progress.attainment, 0)

    def show(self, value: Decimal | None) -> str:
        return metric_value(value, self.progress.metric.unit, self.progress.currency)

    @property
    def actual_text(self) -> str:
        return self.show(self.progress.actual)

    @property
    def target_text(self) -> str:
        return self.show(self.progress.target)

    @property
    def needed_text(self) -> str:
        return (
            "" if self.progress.needed_per_day is None else self.show(self.progress.needed_per_day)
        )

    @property
    def expected_text(self) -> str:
        return self.show(self.progress.expected)

    @property
    def projected_text(self) -> str:
        """Where the run rate ends; a count in whole units (nobody books 38.50 meetings)."""
        projected = self.progress.projected
        if not self.cumulative:
            return ""
        if projected is not None and self.progress.metric.unit == Metric.Unit.COUNT:
            projected = projected.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return self.show(projected)

    @property
    def lower_is_better(self) -> bool:
        return self.progress.metric.lower_is_better


def cards_for(
    results: list[GoalProgress],
    cal: planning.WorkCalendar,
    *,
    streaks: dict[int, int] | None = None,
    awaiting: set[int] | None = None,
    trends: Mapping[int, Trend] | None = None,
) -> list[GoalCard]:
    """Cards in the order given; a stretch tier rides on the card of the goal it stretches.
    ``trends``: the sparklines by goal id, from ``tracking.trends.goal_trends`` called once
    for all the goals of the page."""
    cards = {r.goal.pk: GoalCard(r, period_label(r.goal, cal)) for r in results}
    shown: list[GoalCard] = []
    for card in cards.values():
        base = cards.get(card.goal.tier_of_id) if card.goal.tier_of_id else None
        if base is not None and card.goal.kind == Goal.Kind.STRETCH:
            base.stretch = card
            continue
        card.streak = (streaks or {}).get(card.goal.pk)
        card.awaiting_checkin = card.goal.pk in (awaiting or set())
        card.trend = (trends or {}).get(card.goal.pk)
        shown.append(card)
    return shown


@dataclass(frozen=True)
class HistoryRow:
    """One change of a target, its values shown in the goal's metric unit."""

    change: GoalChange
    label: str
    old_text: str
    new_text: str


def history_rows(changes: Iterable[GoalChange]) -> list[HistoryRow]:
    """The rows of a goal history (their goals already loaded), plus one query for metrics."""
    changes = list(changes)
    metrics = {m.name: m for m in Metric.objects.filter(name__in={c.goal.metric for c in changes})}
    symbol = currency_symbol(OrgSettings.load().currency)
    rows = []
    for c in changes:
        metric = metrics.get(c.goal.metric)
        unit = metric.unit if metric else Metric.Unit.COUNT
        old = "" if c.old_target is None else metric_value(c.old_target, unit, symbol)
        label = metric_label(metric or c.goal.metric)
        rows.append(HistoryRow(c, label, old, metric_value(c.new_target, unit, symbol)))
    return rows
