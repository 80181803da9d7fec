"""Closing advice: how likely a goal is to be met, judged from the rep's own history.

The estimate is an exact bootstrap over the rep's past periods of the same kind (the last
12 months for a monthly goal, the last 13 weeks for a weekly one …): each past period's
value is one equally likely way the coming period could go. Resampling one period from
that empirical distribution has an exact answer — the share of past periods that would
have met the target — so no random numbers are drawn and a test can count by hand.

Cumulative metrics (counts, sums) are scaled by capacity first: a past month of 18
working days is stretched to the 21 of the target month, a month in the hire's ramp to
full productivity. Level metrics (rates, medians) are not scaled: half a month does not
halve a close rate. The chance is a property of the goal as it was set — judged from the
start of its period with the history before it — so it does not move with the days'
progress (pace and status say how a running goal is doing).

Too little history (fewer usable past periods than ``min_history``) gives the verdict
"not enough history" and no number at all: a made-up percentage would be worse than none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .calendar import WorkCalendar, add_months, working_day_count
from .capacity import DEFAULT_RAMP, RampSchedule
from .errors import PlanningError
from .explain import Explanation, Term
from .money import Number, as_decimal

UNLIKELY = "unlikely"
REALISTIC = "realistic"
TOO_EASY = "too_easy"
NOT_ENOUGH_HISTORY = "not_enough_history"
VERDICT_LABELS = {
    UNLIKELY: "unlikely",
    REALISTIC: "realistic",
    TOO_EASY: "too easy",
    NOT_ENOUGH_HISTORY: "not enough history",
}

# How many past periods to look at, and how many must be usable, by period kind.
HISTORY = {"day": 40, "week": 13, "month": 12, "quarter": 8, "year": 3}
MIN_HISTORY = {"day": 15, "week": 8, "month": 6, "quarter": 4, "year": 3}
PERIOD_WORDS = {"day": "days", "week": "weeks", "month": "months", "quarter": "quarters",
                "year": "years"}  # fmt: skip
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}
_DAYS_PER = {"week": 7, "day": 1}


@dataclass(frozen=True)
class PastPeriod:
    """What the rep did in one past period, and how much of a full rep they were then
    (working days employed × ramp; 0 when not employed: the period tells nothing)."""

    label: str
    value: Decimal | None  # None: undefined (a close rate with nothing closed)
    capacity: Decimal


@dataclass(frozen=True)
class Realism:
    """The estimated chance of meeting a goal, the verdict, and how it was counted."""

    verdict: str
    probability: Fraction | None
    met: int
    samples: int
    explanation: Explanation

    @property
    def percent(self) -> Decimal | None:
        """The chance in whole percent (None without enough history)."""
        if self.probability is None:
            return None
        exact = Decimal(self.probability.numerator) * 100 / Decimal(self.probability.denominator)
        return exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def flagged(self) -> bool:
        """Worth a word with the rep: very unlikely or trivially easy."""
        return self.verdict in (UNLIKELY, TOO_EASY)


def past_windows(kind: str, start: date, end: date, count: int) -> list[tuple[date, date]]:
    """The ``count`` periods of the same kind and shape before ``[start, end)``, oldest first.

    Months, quarters and years step back by calendar months (a goal from the 10th to the
    10th keeps that shape); weeks by 7 days, days by 1.
    """
    if kind in _MONTHS_PER:
        step = _MONTHS_PER[kind]
        windows = [
            (add_months(start, -step * i), add_months(end, -step * i)) for i in range(1, count + 1)
        ]
    elif kind in _DAYS_PER:
        days = timedelta(days=_DAYS_PER[kind])
        windows = [(start - days * i, end - days * i) for i in range(1, count + 1)]
    else:
        raise PlanningError("realism.period_kind", kind=repr(kind))
    return windows[::-1]


def capacity_of(
    start: date,
    end: date,
    cal: WorkCalendar,
    *,
    hired: date | None = None,
    left: date | None = None,
    ramp: RampSchedule | None = DEFAULT_RAMP,
) -> Decimal:
    """Working days of ``[start, end)`` the rep was employed (``left`` is their last day),
    times their ramp factor in the month the span starts (1 once ramped up, or without a
    ramp or a hire date)."""
    first = max(start, hired) if hired else start
    stop = min(end, left + timedelta(days=1)) if left else end
    if first >= stop:
        return Decimal(0)
    days = Decimal(working_day_count((first, stop), cal))
    if ramp is None or hired is None:
        return days
    tenure = (start.year - hired.year) * 12 + start.month - hired.month + 1
    # A span that starts before the hire month is judged by the hire month's ramp.
    return days * ramp.factor(max(1, tenure))


@dataclass(frozen=True)
class Measure:
    """How a metric's past values compare with a target.

    ``cumulative`` values (counts, sums) are scaled by capacity, level values (rates,
    medians) are not; ``lower_is_better``: a past value at most the target meets it;
    ``whole_units``: the metric counts whole things, so a scaled past value is rounded to
    the nearest whole one — a rep who shared one article a week would share one in a
    four-day week too, not 0.8 of one.
    """

    cumulative: bool
    lower_is_better: bool = False
    whole_units: bool = False


@dataclass(frozen=True)
class Thresholds:
    """When a chance is a verdict: at least ``min_history`` usable past periods; below
    ``unlikely_below`` % the goal is unlikely, above ``too_easy_above`` % too easy."""

    min_history: int = 6
    unlikely_below: Number = 20
    too_easy_above: Number = 90


DEFAULT_THRESHOLDS = Thresholds()


def chance(
    target: Number,
    history: Sequence[PastPeriod],
    *,
    capacity: Number,
    measure: Measure,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    period_word: str = "periods",
    target_text: str | None = None,
) -> Realism:
    """The chance of meeting ``target``: the share of usable past periods that would have.

    ``capacity`` is the target period's (working days × ramp). Past periods without
    capacity or without a value are not usable.
    ``target_text``: the target as the explanation writes it, e.g. in the metric's unit
    ("$22,045.00"); plain digits ("22045") when not given, since planning knows no units.
    """
    cumulative, lower_is_better = measure.cumulative, measure.lower_is_better
    min_history = thresholds.min_history
    goal = Fraction(as_decimal(target, "target"))
    room = Fraction(as_decimal(capacity, "capacity"))
    if room < 0:
        raise PlanningError("realism.negative_capacity", capacity=capacity)
    usable = [p for p in history if p.value is not None and p.capacity > 0]
    if len(usable) < max(1, min_history):
        return Realism(
            NOT_ENOUGH_HISTORY,
            None,
            0,
            len(usable),
            Explanation(
                "realism.not_enough_history",
                {"usable": len(usable), "periods": Term("periods", period_word),
                 "needed": min_history},
            ),
        )  # fmt: skip
    met = 0
    for past in usable:
        value = Fraction(past.value)  # type: ignore[arg-type]  # filtered above
        if cumulative:
            value = value * room / Fraction(past.capacity)
            if measure.whole_units:
                value = Fraction(math.floor(value + Fraction(1, 2)))  # half up
        met += value <= goal if lower_is_better else value >= goal
    probability = Fraction(met, len(usable))
    verdict = _verdict(probability, thresholds.unlikely_below, thresholds.too_easy_above)
    params: dict[str, object] = {
        "met": met,
        "usable": len(usable),
        "periods": Term("periods", period_word),
        "target": as_decimal(target, "target") if target_text is None else target_text,
    }
    code = "realism.stayed_within" if lower_is_better else "realism.reached"
    if cumulative:
        code += "_scaled"
        params["days"] = as_decimal(capacity, "capacity").quantize(Decimal("0.01"))
    return Realism(verdict, probability, met, len(usable), Explanation(code, params))


def _verdict(probability: Fraction, unlikely_below: Number, too_easy_above: Number) -> str:
    low = Fraction(as_decimal(unlikely_below, "unlikely threshold")) / 100
    high = Fraction(as_decimal(too_easy_above, "too-easy threshold")) / 100
    if low > high:
        raise PlanningError("realism.thresholds", low=unlikely_below)
    if probability < low:
        return UNLIKELY
    if probability > high:
        return TOO_EASY
    return REALISTIC
