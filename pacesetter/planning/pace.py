"""Pace: where a goal should be by now, and where the current run rate will end.

These are for cumulative metrics (revenue, calls, e-mails), which grow through a period.
Level metrics — a close rate, a retention %, a median number of days — are not prorated:
their target applies on any day, so compare the actual with the target directly.

For cumulative metrics where lower is better (discounts given, complaints) the same
numbers read the other way round: ``expected_to_date`` is the allowance used so far, being
at or under it is on pace, and what remains is headroom rather than work still needed.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from .errors import PlanningError
from .money import CENT, Number, as_decimal, to_cents

Share = Fraction | Decimal


def _fraction(value: Share) -> Fraction:
    share = Fraction(value)
    if not 0 <= share <= 1:
        raise PlanningError("pace.elapsed", value=value)
    return share


def expected_to_date(target: Number, fraction: Share) -> Decimal:
    """Target times the elapsed share of the period (``elapsed_fraction``), to the cent."""
    return to_cents(Fraction(as_decimal(target, "target")) * _fraction(fraction))


def projected_end(actual: Number, fraction: Share) -> Decimal | None:
    """Period-end value if the run rate so far continues; None before any time has elapsed."""
    share = _fraction(fraction)
    if share == 0:
        return None
    return to_cents(Fraction(as_decimal(actual, "actual")) / share)


def is_on_pace(actual: Number, expected: Number, *, lower_is_better: bool = False) -> bool:
    """At or ahead of the expected value; for lower-is-better, at or under the allowance."""
    value, bar = as_decimal(actual, "actual"), as_decimal(expected, "expected")
    return value <= bar if lower_is_better else value >= bar


def per_remaining_day(
    target: Number, actual: Number, working_days_left: int, *, lower_is_better: bool = False
) -> Decimal:
    """What is still needed per remaining working day, rounded up so it is never short.

    For lower-is-better metrics: the allowance per remaining day, rounded down so following
    it never overshoots the limit. Nothing left → 0; no working day left → the whole gap
    (or a 0 allowance).
    """
    left = as_decimal(target, "target") - as_decimal(actual, "actual")
    if left <= 0:
        return Decimal("0.00")
    if working_days_left < 1:
        if lower_is_better:
            return Decimal("0.00")
        # The whole gap is due on the last day there is.
        return left.quantize(CENT, rounding=ROUND_CEILING)
    rounding = ROUND_FLOOR if lower_is_better else ROUND_CEILING
    return (left / working_days_left).quantize(CENT, rounding=rounding)
