"""Seasonality: twelve monthly weights that say how the year's target falls across months.

Weights are keyed by CALENDAR month number, 1 = January … 12 = December, whatever month the
fiscal year starts in: a seasonal pattern belongs to the month (December is slow), not to
its position in the fiscal year. Every function returns weights normalised to sum exactly
to 1, each a multiple of ``WEIGHT_QUANTUM``; the last digits are placed by the same
largest-remainder rule as money, so a flat year is as flat as twelve digits allow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from .allocation import allocate
from .errors import PlanningError
from .money import Number, as_decimal

# Fine enough that a flat year gives identical cents for targets up to trillions.
WEIGHT_QUANTUM = Decimal("1e-15")
MONTHS = tuple(range(1, 13))


def _normalised(raw: Mapping[int, Decimal]) -> dict[int, Decimal]:
    weights = allocate(Decimal(1), raw, quantum=WEIGHT_QUANTUM)
    return {month: weights[month] for month in MONTHS}


def flat() -> dict[int, Decimal]:
    """Every month weighs the same (1/12 each, summing exactly to 1)."""
    return _normalised(dict.fromkeys(MONTHS, Decimal(1)))


def explicit(weights: Sequence[Number] | Mapping[int, Number]) -> dict[int, Decimal]:
    """Normalise 12 given weights (a list January-first, or a mapping keyed 1..12).

    ValueError for the wrong number of months, a negative weight, or all zeros.
    """
    if isinstance(weights, Mapping):
        if sorted(weights) != list(MONTHS):
            raise PlanningError("seasonality.keys", keys=sorted(weights))
        raw = {month: as_decimal(weights[month], f"weight for month {month}") for month in MONTHS}
    else:
        if len(weights) != 12:
            raise PlanningError("seasonality.count", count=len(weights))
        raw = {
            month: as_decimal(value, f"weight for month {month}")
            for month, value in zip(MONTHS, weights, strict=True)
        }
    for month, weight in raw.items():
        if weight < 0:
            raise PlanningError("seasonality.negative", month=month, weight=weight)
    if not any(raw.values()):
        raise PlanningError("seasonality.all_zero")
    return _normalised(raw)


def learned(actuals: Mapping[tuple[int, int], Number]) -> dict[int, Decimal]:
    """Learn weights from past actuals keyed ``(year, month)``: each month's average share.

    A month's share of its year is averaged over the years that recorded that month; a year
    whose total is 0 tells nothing about shape and is ignored. A month never recorded gets
    the mean share of the months that were, i.e. it is assumed to be an ordinary month rather
    than an empty one. ValueError if no year has a positive total or an amount is negative.
    """
    by_year: dict[int, dict[int, Fraction]] = {}
    for (year, month), value in actuals.items():
        if month not in MONTHS:
            raise PlanningError("seasonality.month", month=month, year=year)
        amount = as_decimal(value, f"actual for {year}-{month:02d}")
        if amount < 0:
            raise PlanningError(
                "seasonality.negative_actual", month=f"{year}-{month:02d}", amount=amount
            )
        by_year.setdefault(year, {})[month] = Fraction(amount)

    shares: dict[int, list[Fraction]] = {}
    for months in by_year.values():
        year_total = sum(months.values(), Fraction(0))
        if year_total == 0:
            continue
        for month, part in months.items():
            shares.setdefault(month, []).append(part / year_total)
    if not shares:
        raise PlanningError("seasonality.no_year")

    average = {month: sum(values, Fraction(0)) / len(values) for month, values in shares.items()}
    ordinary = sum(average.values(), Fraction(0)) / len(average)
    raw = {month: average.get(month, ordinary) for month in MONTHS}
    return _normalised({month: _to_decimal(share) for month, share in raw.items()})


def _to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
