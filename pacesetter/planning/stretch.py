"""M7: stretch goals — a tier above the main goal, offered only to reps who have earned it.

A stretch tier is a reward for reps already beating quota; offering it to someone who is
struggling only adds pressure, so eligibility looks at a run of met periods and at now.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from .errors import PlanningError
from .explain import Explanation
from .money import Number, as_decimal, to_cents

DEFAULT_STRETCH_PERCENT = Decimal("125")


def stretch_target(goal_target: Number, percent: Number = DEFAULT_STRETCH_PERCENT) -> Decimal:
    """The stretch tier: ``percent`` of the goal (125 % by default), to the cent."""
    target = as_decimal(goal_target, "goal target")
    if target < 0:
        raise PlanningError("stretch.negative_goal", target=target)
    share = as_decimal(percent, "stretch percent")
    if share <= 100:
        raise PlanningError("stretch.not_above", share=share)
    return to_cents(target * share / 100)


class Eligibility(NamedTuple):
    """Whether a rep may take a stretch goal, and why (unpacks as ``ok, reason``)."""

    eligible: bool
    reason: Explanation


def eligible(
    history_attainments: Sequence[Number],
    required_periods: int = 3,
    threshold: Number = 100,
    current_attainment: Number | None = None,
) -> Eligibility:
    """Eligible only if each of the last ``required_periods`` attainments (percent, oldest
    first) reached ``threshold`` and the current attainment, when given, is not below it.
    """
    if required_periods < 1:
        raise PlanningError("stretch.required_periods", value=required_periods)
    bar = as_decimal(threshold, "threshold")
    history = [as_decimal(value, "attainment") for value in history_attainments]
    if len(history) < required_periods:
        return Eligibility(
            False,
            Explanation(
                "stretch.short_history", {"have": len(history), "needed": required_periods}
            ),
        )
    recent = history[-required_periods:]
    missed = [(i, value) for i, value in enumerate(recent, start=1) if value < bar]
    if missed:
        position, value = missed[-1]
        return Eligibility(
            False,
            Explanation(
                "stretch.missed",
                {"bar": bar, "missed": len(missed), "needed": required_periods,
                 "position": position, "value": value},
            ),
        )  # fmt: skip
    if current_attainment is not None:
        now = as_decimal(current_attainment, "current attainment")
        if now < bar:
            return Eligibility(False, Explanation("stretch.under_quota", {"now": now, "bar": bar}))
    return Eligibility(True, Explanation("stretch.met", {"bar": bar, "needed": required_periods}))
