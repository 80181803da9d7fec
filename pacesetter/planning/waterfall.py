"""M2: step-up (waterfall) goals, quarterly increments (G1) and rate goals (G3).

A waterfall raises a target gradually — 50 → 60 → 70 … → 100 e-mails a week — so a rep
meets each step instead of failing one big jump. A target below the baseline ("lower is
better", e.g. days from lead to customer) steps down the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .calendar import WorkCalendar, add_months
from .errors import PlanningError
from .explain import Term
from .money import CENT, Number, as_decimal, to_cents

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A step every week for ten years is already more than anyone would follow.
MAX_STEPS = 520


@dataclass(frozen=True)
class Step:
    """Target for ``[start, end)``."""

    start: date
    end: date
    target: Decimal


def waterfall(
    baseline: Number,
    target: Number,
    *,
    step: Number | None = None,
    percent: Number | None = None,
    steps: int | None = None,
    every: str = "week",
    start: date,
    cal: WorkCalendar | None = None,
) -> list[Step]:
    """Steps from ``baseline`` towards ``target``, one per week or month, the last exactly target.

    Give exactly one of ``step`` (fixed amount), ``percent`` (compounding) or ``steps``
    (count of equal increments). Weekly steps start on the calendar's week start, monthly
    ones on the 1st. Values are rounded to the finest precision of the inputs (50 and 100 →
    whole numbers).
    """
    cal = cal or WorkCalendar()
    base = _non_negative(baseline, "baseline")
    goal = _non_negative(target, "target")
    chosen = [
        name
        for name, v in (("step", step), ("percent", percent), ("steps", steps))
        if v is not None
    ]
    if len(chosen) != 1:
        raise PlanningError("waterfall.one_of", chosen=chosen or "none")
    _check_start(start, every, cal)

    if base == goal:
        values = [goal]
    elif step is not None:
        amount = _positive(step, "step")
        values = _fixed_steps(base, goal, amount, _finest(base, goal, amount))
    elif percent is not None:
        rate = _positive(percent, "percent")
        values = _percent_steps(base, goal, rate, _finest(base, goal))
    else:
        values = _equal_steps(base, goal, steps or 0, _finest(base, goal))
    return [_step(start, index, every, value) for index, value in enumerate(values)]


def _fixed_steps(base: Decimal, goal: Decimal, amount: Decimal, quantum: Decimal) -> list[Decimal]:
    direction = 1 if goal > base else -1
    # Rounded up: when the distance is not a whole number of steps the last one is shorter.
    count = math.ceil(Fraction(abs(goal - base)) / Fraction(amount))
    _check_count(count)
    values = [_round(base + direction * amount * i, quantum) for i in range(1, count)]
    return [*values, goal]


def _percent_steps(base: Decimal, goal: Decimal, rate: Decimal, quantum: Decimal) -> list[Decimal]:
    if base == 0:
        raise PlanningError("waterfall.percent_from_zero")
    rising = goal > base
    if not rising and rate >= 100:
        raise PlanningError("waterfall.step_down", rate=rate)
    factor = 1 + rate / 100 if rising else 1 - rate / 100
    values: list[Decimal] = []
    exact, previous = base, base
    while True:
        exact *= factor
        value = _round(exact, quantum)
        # Rounding can swallow a small step; every step must still move the target.
        value = max(value, previous + quantum) if rising else min(value, previous - quantum)
        if (value >= goal) if rising else (value <= goal):
            values.append(goal)
            return values
        values.append(value)
        previous = value
        _check_count(len(values) + 1)


def _equal_steps(base: Decimal, goal: Decimal, count: int, quantum: Decimal) -> list[Decimal]:
    if count < 1:
        raise PlanningError("waterfall.steps_count", count=count)
    _check_count(count)
    increment = (goal - base) / count
    return [*(_round(base + increment * i, quantum) for i in range(1, count)), goal]


def _step(start: date, index: int, every: str, value: Decimal) -> Step:
    if every == "week":
        first = start + timedelta(weeks=index)
        return Step(first, first + timedelta(weeks=1), value)
    return Step(add_months(start, index), add_months(start, index + 1), value)


def _check_start(start: date, every: str, cal: WorkCalendar) -> None:
    if every == "week":
        if start.weekday() != cal.week_start:
            raise PlanningError(
                "waterfall.week_start",
                weekday=_weekday(cal.week_start),
                day=start,
                day_weekday=_weekday(start.weekday()),
            )
    elif every == "month":
        if start.day != 1:
            raise PlanningError("waterfall.month_start", day=start)
    else:
        raise PlanningError("waterfall.every", every=repr(every))


def _weekday(number: int) -> Term:
    """A weekday (0 = Monday) as a word the reader's language has."""
    return Term("weekday", WEEKDAYS[number].lower(), WEEKDAYS[number])


def _check_count(count: int) -> None:
    if count > MAX_STEPS:
        raise PlanningError("waterfall.too_many", count=count, max=MAX_STEPS)


def _finest(*values: Decimal) -> Decimal:
    exponent = min(min(int(v.as_tuple().exponent), 0) for v in values)
    return Decimal(1).scaleb(exponent)


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _non_negative(value: Number, what: str) -> Decimal:
    number = as_decimal(value, what)
    if number < 0:
        raise PlanningError("waterfall.negative", what=Term("waterfall_input", what), value=number)
    return number


def _positive(value: Number, what: str) -> Decimal:
    number = as_decimal(value, what)
    if number <= 0:
        raise PlanningError(
            "waterfall.not_positive", what=Term("waterfall_input", what), value=number
        )
    return number


def baseline_from(actuals: Sequence[Number], last_n: int) -> Decimal:
    """Mean of the last ``last_n`` periods' actuals (oldest first), to the cent."""
    if last_n < 1:
        raise PlanningError("waterfall.last_n", value=last_n)
    if len(actuals) < last_n:
        raise PlanningError("waterfall.baseline_count", n=last_n, count=len(actuals))
    recent = [as_decimal(value, "actual") for value in actuals[-last_n:]]
    return to_cents(sum(recent, Decimal(0)) / last_n)


def increments(baseline: Number, by_period: Mapping[str, Number]) -> dict[str, Decimal]:
    """G1: targets as baseline plus an increment per period, e.g. ``{"Q2": 3000}`` → 13,000."""
    base = as_decimal(baseline, "baseline")
    result = {}
    for label, increment in by_period.items():
        value = to_cents(base + as_decimal(increment, f"increment for {label}"))
        if value < 0:
            raise PlanningError("waterfall.negative_target", label=label, value=value)
        result[label] = value
    return result


def rate_target(baseline_percent: Number, points: Number) -> Decimal:
    """G3: a rate goal ``points`` percentage points above the baseline, capped at 100 %.

    Negative points lower a rate (for rates where lower is better); the floor is 0 %.
    """
    base = as_decimal(baseline_percent, "baseline rate")
    if not 0 <= base <= 100:
        raise PlanningError("waterfall.baseline_rate", value=base)
    raised = base + as_decimal(points, "points")
    return min(Decimal(100), max(Decimal(0), raised)).quantize(CENT, rounding=ROUND_HALF_UP)


def adaptive_next(
    steps: Sequence[Step], results: Sequence[Number], *, lower_is_better: bool | None = None
) -> int:
    """Index of the step to aim at after ``results`` (one per period, oldest first).

    A met step moves on to the next one; a missed step is repeated. Direction is read from
    the steps (falling targets mean lower is better) unless given.
    """
    if not steps:
        raise PlanningError("waterfall.no_steps")
    if lower_is_better is None:
        lower_is_better = steps[-1].target < steps[0].target
    current = 0
    for result in results:
        value = as_decimal(result, "result")
        target = steps[current].target
        met = value <= target if lower_is_better else value >= target
        if met:
            current = min(current + 1, len(steps) - 1)
    return current
