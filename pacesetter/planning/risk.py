"""Risk: the chance that a running goal is still met by its period's end.

Realism (``planning.realism``) judges a goal as it was set, from the start of its period.
Risk judges it *now*: what is already done, what is left, and the working days (capacity)
left. Each usable past period of the rep (or of the rep's team, for a newcomer) gives one
daily rate — its value divided by its capacity — and so one equally likely way the days
left could go:

- a count (whole things: demos, calls) arrives one at a time, so the days left bring a
  Poisson number of them with the mean ``rate × capacity left``; the chance is the share
  of past rates weighted by the chance of at least the amount still needed;
- a sum (money) counts as met under a past rate when ``rate × capacity left`` covers what
  is left (the share of such periods, as realism counts it).

Pure: stdlib only, no Django. Money and amounts are Decimal; the chance is a float in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

from .money import Number, as_decimal
from .realism import PastPeriod

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Outlook:
    """A running goal's chance of being met, and what the rates it came from would bring."""

    probability: float
    typical_more: Decimal  # what the days left bring at the median past rate
    samples: int  # past periods the chance was counted over (0: the period so far)

    @property
    def percent(self) -> int:
        """The chance in whole percent, half up."""
        exact = Decimal(repr(self.probability)) * 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def poisson_at_least(k: int, mean: float) -> float:
    """P(N ≥ k) for N ~ Poisson(mean): the chance of at least ``k`` whole things when
    ``mean`` are expected."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    # Sum the terms below k in log space (no overflow for large means or k).
    below = 0.0
    log_mean = math.log(mean)
    for i in range(k):
        below += math.exp(-mean + i * log_mean - math.lgamma(i + 1))
        if below >= 1.0:
            return 0.0
    return max(0.0, 1.0 - below)


def daily_rates(history: Sequence[PastPeriod]) -> list[Fraction]:
    """Each usable past period's value per unit of capacity (a working day of a full rep)."""
    return [
        Fraction(p.value) / Fraction(p.capacity)
        for p in history
        if p.value is not None and p.capacity > 0
    ]


def finish_chance(
    *,
    target: Number,
    done: Number,
    capacity_left: Number,
    rates: Sequence[Fraction],
    whole_units: bool,
) -> Outlook:
    """The chance of adding ``target - done`` in ``capacity_left`` under each of ``rates``
    (equally likely). Met already: 1. No capacity left and something left: 0."""
    left = as_decimal(target, "target") - as_decimal(done, "done")
    room = Fraction(as_decimal(capacity_left, "capacity"))
    if left <= 0:
        return Outlook(1.0, ZERO, len(rates))
    if not rates:
        raise ValueError("finish_chance needs at least one rate")
    means = sorted(r * room for r in rates)
    median = means[len(means) // 2]
    typical = Decimal(median.numerator) / Decimal(median.denominator)
    typical = typical.quantize(Decimal(1) if whole_units else CENT, rounding=ROUND_HALF_UP)
    if room <= 0:
        return Outlook(0.0, ZERO, len(rates))
    need = Fraction(left)
    if whole_units:
        k = math.ceil(need)
        chances = [poisson_at_least(k, float(m)) for m in means]
    else:
        chances = [1.0 if m >= need else 0.0 for m in means]
    return Outlook(math.fsum(chances) / len(chances), typical, len(rates))


def needed_by(
    *, target: Number, done: Number, share_by_then: Fraction, whole_units: bool
) -> Decimal:
    """What must be added by a checkpoint to be back on pace there (``share_by_then``: the
    share of the period's working days gone by the checkpoint's end): at least one whole
    thing (or a cent), at most all that is left."""
    goal = as_decimal(target, "target")
    have = as_decimal(done, "done")
    left = goal - have
    if left <= 0:
        return ZERO
    on_pace = _amount(Fraction(goal) * share_by_then, whole_units) - have
    least = Decimal(1) if whole_units else CENT
    return min(left, max(least, on_pace))


def at_stake(*, probability: float, left: Number, target: Number, priority: int) -> float:
    """How much a likely miss matters, to rank them: the share of the target still missing
    times the chance it stays missing, divided by the goal's priority (1 is the most
    important)."""
    goal = as_decimal(target, "target")
    share = float(as_decimal(left, "left") / goal) if goal > 0 else 1.0
    return (1.0 - probability) * min(1.0, max(0.0, share)) / max(1, priority)


def _amount(value: Fraction, whole_units: bool) -> Decimal:
    """An amount rounded up to whole things or to the cent."""
    if whole_units:
        return Decimal(math.ceil(value))
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(CENT, rounding=ROUND_CEILING)
