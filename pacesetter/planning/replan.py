"""After the cascade: one node's targets picked out of its lines, and a mid-year re-plan that
spreads what is left of the annual target over the months not yet closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .allocation import allocate
from .cascade import PlanLine
from .errors import PlanningError
from .money import Number, as_decimal, to_cents


def monthly_targets(
    lines: Iterable[PlanLine], level: str, unit_id: str, person_id: str | None = None
) -> dict[str, Decimal]:
    """One node's targets by month (``YYYY-MM`` → amount), picked out of cascade lines."""
    return {
        line.month: line.target
        for line in lines
        if line.level == level and line.unit_id == unit_id and line.person_id == person_id
    }


def re_plan(
    targets: Mapping[str, Number] | Iterable[PlanLine],
    actuals: Mapping[str, Number],
    annual_target: Number,
    remaining_months: Iterable[str],
) -> dict[str, Decimal]:
    """Spread what is left of the annual target over ``remaining_months`` (``YYYY-MM``).

    The remaining months keep their original proportions; closed months' actuals plus the
    result add up exactly to the annual target (all zeros once actuals exceed it). Actuals of
    remaining months are ignored: those months are re-planned whole. Feed closed actuals and
    the result to ``cascade`` as company month overrides to re-plan the whole org.
    """
    if isinstance(targets, Mapping):
        original = {month: as_decimal(v, f"target for {month}") for month, v in targets.items()}
    else:
        original = {line.month: line.target for line in targets if line.level == "company"}
    remaining = sorted(set(remaining_months))
    unknown = [month for month in remaining if month not in original]
    if unknown:
        raise PlanningError("replan.unknown_months", months=unknown)
    annual = as_decimal(annual_target, "annual target")
    if annual < 0:
        raise PlanningError("plan.negative_annual", annual=annual)
    done = sum(
        (as_decimal(v, f"actual for {m}") for m, v in actuals.items() if m not in remaining),
        Decimal(0),
    )
    left = max(Decimal(0), to_cents(annual - done))
    return allocate(left, {month: original[month] for month in remaining})
