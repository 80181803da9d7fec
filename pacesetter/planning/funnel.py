"""M4: the reverse funnel — from a revenue goal back to the deals, demos and calls it takes.

Each stage is rounded UP before it is converted into the stage above, because a rep cannot
hold half a demo and rounding down anywhere would plan for less revenue than the goal.
The source example comes out exactly: $4,000 at $1,000 a deal → 4 deals; 50 % of demos
close → 8 demos; 30 % of calls become demos → 26.67 → 27 calls.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from .errors import PlanningError
from .explain import Explanation, Items, Money, Percent, Term, joined
from .money import Number, as_decimal, to_cents

BOTTOM_STAGE = "deal"
RATE_QUANTUM = Decimal("0.000001")


class Conversion(NamedTuple):
    """Share of ``from_stage`` items that become ``to_stage`` items (0 < rate <= 1)."""

    from_stage: str
    to_stage: str
    rate: Decimal


# A rate may arrive missing (None) from a form or an import row; validation names the stage.
RateInput = Conversion | tuple[str, str, Number | None] | str

_RATE_TEXT = re.compile(r"\s*([\w -]+?)\s*:\s*([\w -]+?)\s*=\s*([0-9.]+)\s*(%?)\s*")


def parse_conversion(text: str) -> Conversion:
    """Read ``"demo:deal=0.5"`` (or ``=50%``) as demo → deal at 0.5."""
    match = _RATE_TEXT.fullmatch(text)
    if not match:
        raise PlanningError("funnel.bad_conversion", text=repr(text))
    rate = as_decimal(match[3], f"rate in {text!r}")
    return Conversion(match[1], match[2], rate / 100 if match[4] else rate)


def _parts(item: RateInput) -> tuple[str, str, Number | None]:
    if isinstance(item, str):
        return parse_conversion(item)
    from_stage, to_stage, rate = item
    return from_stage, to_stage, rate


def _conversions(rates: Sequence[RateInput]) -> list[Conversion]:
    """Validate that rates chain upward from the deal stage and are usable fractions."""
    chain: list[Conversion] = []
    seen: set[str] = set()
    for position, item in enumerate(rates, start=1):
        from_stage, to_stage, given = _parts(item)
        name = Explanation(
            "funnel.stage_step", {"from": Term("stage", from_stage), "to": Term("stage", to_stage)}
        )
        if chain and to_stage != chain[-1].from_stage:
            raise PlanningError(
                "funnel.not_chained",
                position=position,
                name=name,
                stage=Term("stage", chain[-1].from_stage),
            )
        if given is None:
            raise PlanningError("funnel.missing_rate", name=name)
        rate = as_decimal(given, f"rate for stage {from_stage}→{to_stage}")
        if rate <= 0:
            raise PlanningError("funnel.rate_not_positive", name=name, rate=rate)
        if rate > 1:
            raise PlanningError("funnel.rate_over_one", name=name, rate=rate)
        if from_stage in seen or from_stage == to_stage:
            raise PlanningError("funnel.stage_twice", stage=repr(from_stage))
        seen.update((from_stage, to_stage))
        chain.append(Conversion(from_stage, to_stage, rate))
    return chain


@dataclass(frozen=True)
class FunnelResult:
    """Whole counts per stage, bottom (deals) first, and one explanation line per stage."""

    needed: dict[str, int]
    explanation: tuple[Explanation, ...]

    @property
    def top(self) -> str:
        """The stage furthest from the deal, where the work starts."""
        return list(self.needed)[-1]


def reverse_funnel(
    revenue: Number, deal_size: Number, rates: Sequence[RateInput], currency: str = "$"
) -> FunnelResult:
    """Counts needed at each stage to reach ``revenue``, rounding up at every stage.

    ``rates`` go from the deal upward, e.g. ``["demo:deal=0.5", "call:demo=0.3"]``;
    ValueError names the stage for a zero, negative, missing or unchained rate.
    """
    amount = as_decimal(revenue, "revenue")
    if amount < 0:
        raise PlanningError("funnel.negative_revenue", amount=amount)
    size = as_decimal(deal_size, "deal size")
    if size <= 0:
        raise PlanningError("funnel.deal_size", size=size)
    chain = _conversions(rates)

    bottom = chain[0].to_stage if chain else BOTTOM_STAGE
    deals = Fraction(amount) / Fraction(size)
    count = math.ceil(deals)
    needed = {bottom: count}
    lines = [
        Explanation(
            "funnel.deals" if deals == count else "funnel.deals_rounded",
            {
                "stage": Term("stage", bottom),
                "stages": Term("stages", bottom),
                "count": count,
                "revenue": Money(amount, currency),
                "deal_size": Money(size, currency),
            },
        )
    ]
    for conversion in chain:
        exact = Fraction(count) / Fraction(conversion.rate)
        previous, count = count, math.ceil(exact)
        needed[conversion.from_stage] = count
        params = {
            "stage": Term("stage", conversion.from_stage),
            "stages": Term("stages", conversion.from_stage),
            "next": Term("stages", conversion.to_stage),
            "count": count,
            "previous": previous,
            "rate": _rounded_rate(conversion.rate),
        }
        if exact == count:
            lines.append(Explanation("funnel.stage", params))
        else:
            lines.append(
                Explanation("funnel.stage_rounded", {**params, "exact": _two_places(exact)})
            )
    return FunnelResult(needed, tuple(lines))


def _rounded_rate(rate: Decimal) -> Percent:
    """A rate as people read it: whole percents (16 %), one decimal under 10 % (2.5 %)."""
    step = Decimal("0.01") if rate >= Decimal("0.1") else Decimal("0.001")
    return Percent(Decimal(rate).quantize(step, rounding=ROUND_HALF_UP), None)


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def per_period(needed: Mapping[str, int], periods: int) -> dict[str, int]:
    """Split counts over ``periods`` weeks or days, rounding up so the total is never short."""
    if periods < 1:
        raise PlanningError("funnel.periods", periods=periods)
    return {stage: -(-count // periods) for stage, count in needed.items()}


def spread_count(count: int, periods: int) -> tuple[int, int]:
    """``count`` spread over ``periods`` as people plan it, never short: (how many, every
    how many periods). 27 calls in 21 days → (2, 1), two a day; 6 deals in 18 days →
    (1, 3), one every third day; 7 in 18 → (1, 2)."""
    if periods < 1:
        raise PlanningError("funnel.periods", periods=periods)
    if count >= periods or count <= 0:
        return -(-count // periods), 1
    return 1, periods // count


@dataclass(frozen=True)
class FunnelHistory:
    """Observed rates and average deal size, with how many deals they rest on."""

    rates: tuple[RateInput, ...]
    deal_size: Decimal | None
    n_observations: int = 0


@dataclass(frozen=True)
class BlendedFunnel:
    """Rates and deal size to plan with, and how much of them is the rep's own history."""

    rates: tuple[Conversion, ...]
    deal_size: Decimal
    own_weight: Fraction
    explanation: Explanation


def blend(own: FunnelHistory, team: FunnelHistory, full_credibility_n: int = 30) -> BlendedFunnel:
    """Mix a rep's own rates with the team's, trusting own history in proportion to its size.

    Own history weighs ``min(1, n / full_credibility_n)``: 21 deals of 30 → 70 % own, 30 % team.
    Stages the rep has no rate for use the team's.
    """
    if full_credibility_n < 1:
        raise PlanningError("funnel.credibility", value=full_credibility_n)
    if own.n_observations < 0:
        raise PlanningError("funnel.observations", value=own.n_observations)
    if team.deal_size is None:
        raise PlanningError("funnel.no_team_deal_size")
    team_chain = _conversions(team.rates)
    own_rates = {
        (from_stage, to_stage): rate for from_stage, to_stage, rate in map(_parts, own.rates)
    }
    unknown = set(own_rates) - {(c.from_stage, c.to_stage) for c in team_chain}
    if unknown:
        raise PlanningError("funnel.unknown_own", rates=sorted(unknown))

    weight = min(Fraction(1), Fraction(own.n_observations, full_credibility_n))
    blended = []
    team_only = []
    for conversion in team_chain:
        mine = own_rates.get((conversion.from_stage, conversion.to_stage))
        if mine is None:
            team_only.append(
                Explanation(
                    "funnel.step",
                    {
                        "from": Term("stage", conversion.from_stage),
                        "to": Term("stage", conversion.to_stage),
                    },
                )
            )
            blended.append(conversion)
            continue
        mixed = _mix(weight, as_decimal(mine, "own rate"), conversion.rate)
        blended.append(Conversion(conversion.from_stage, conversion.to_stage, _rate(mixed)))
    _conversions(blended)  # a blend of valid rates is valid; this guards own zero rates

    if own.deal_size is None:
        deal_size = to_cents(team.deal_size)
    else:
        deal_size = to_cents(_mix(weight, as_decimal(own.deal_size, "deal size"), team.deal_size))
    return BlendedFunnel(
        tuple(blended), deal_size, weight, _blend_text(weight, own.n_observations, team_only)
    )


def _mix(weight: Fraction, own: Decimal, team: Decimal) -> Fraction:
    return weight * Fraction(own) + (1 - weight) * Fraction(team)


def _rate(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(RATE_QUANTUM, rounding=ROUND_HALF_EVEN).normalize()


def _blend_text(weight: Fraction, deals: int, team_only: list[Explanation]) -> Explanation:
    own_pct = round(weight * 100)
    if deals == 0:
        return Explanation("funnel.team_only")
    if own_pct == 100:
        text = Explanation("funnel.own", {"deals": deals})
    else:
        text = Explanation("funnel.mixed", {"own": own_pct, "deals": deals, "team": 100 - own_pct})
    if team_only:
        stages = Items(tuple(team_only), "comma")
        return joined([text, Explanation("funnel.team_rate_for", {"stages": stages})])
    return text
