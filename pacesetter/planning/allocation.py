"""Split an amount into cents that add up exactly: the largest-remainder method.

Every share is first rounded down to the cent; the cents still missing go one each to the
shares that lost the most in that rounding. Ties go to the key that sorts first by
``str(key)``, so the same inputs give the same cents whatever order they arrive in.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from .errors import PlanningError
from .money import CENT, Number, as_decimal

K = TypeVar("K", bound=Hashable)


def _key_order(key: object) -> tuple[str, str]:
    return str(key), repr(key)


def _units(amount: Decimal, quantum: Decimal, what: str) -> int:
    ratio = Fraction(amount) / Fraction(quantum)
    if ratio.denominator != 1:
        raise PlanningError("allocation.not_whole", what=what, amount=amount, quantum=quantum)
    return ratio.numerator


def allocate(
    total: Number,
    weights: Mapping[K, Number],
    overrides: Mapping[K, Number] | None = None,
    *,
    quantum: Decimal = CENT,
) -> dict[K, Decimal]:
    """Split ``total`` by ``weights`` into multiples of ``quantum`` that sum exactly to it.

    Overrides are kept as given and the rest is spread over the other keys by weight
    (equally when all their weights are 0). Negative input or overrides above ``total``
    raise ValueError. Result: the keys of ``weights`` and ``overrides``, ordered by str(key).
    """
    overrides = overrides or {}
    total_d = as_decimal(total, "total")
    if total_d < 0:
        raise PlanningError("allocation.negative_total", total=total_d)
    total_units = _units(total_d, quantum, "total")

    fixed: dict[K, int] = {}
    for key, value in overrides.items():
        amount = as_decimal(value, f"override for {key!r}")
        if amount < 0:
            raise PlanningError("allocation.negative_override", key=repr(key), amount=amount)
        fixed[key] = _units(amount, quantum, f"override for {key!r}")
    fixed_units = sum(fixed.values())
    if fixed_units > total_units:
        raise PlanningError("allocation.overrides_over", fixed=fixed_units * quantum, total=total_d)

    free_weights: dict[K, Fraction] = {}
    for key, value in weights.items():
        weight = as_decimal(value, f"weight for {key!r}")
        if weight < 0:
            raise PlanningError("allocation.negative_weight", key=repr(key), weight=weight)
        if key not in fixed:
            free_weights[key] = Fraction(weight)

    to_spread = total_units - fixed_units
    if to_spread and not free_weights:
        raise PlanningError("allocation.nothing_takes_it", left=to_spread * quantum)
    spread = _largest_remainder(to_spread, free_weights)

    combined = {key: units * quantum for key, units in spread.items()}
    combined.update({key: units * quantum for key, units in fixed.items()})
    return dict(sorted(combined.items(), key=lambda item: _key_order(item[0])))


def _largest_remainder(units: int, weights: dict[K, Fraction]) -> dict[K, int]:
    if not weights:
        return {}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        weights = dict.fromkeys(weights, Fraction(1))
        weight_sum = Fraction(len(weights))
    exact = {key: units * weight / weight_sum for key, weight in weights.items()}
    floors = {key: math.floor(share) for key, share in exact.items()}
    missing = units - sum(floors.values())
    by_loss = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), _key_order(key)))
    for key in by_loss[:missing]:
        floors[key] += 1
    return floors
