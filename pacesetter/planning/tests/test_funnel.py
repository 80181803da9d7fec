"""M4 reverse funnel: from a revenue goal back to deals, demos and calls."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    Conversion,
    FunnelHistory,
    blend,
    parse_conversion,
    per_period,
    reverse_funnel,
    spread_count,
)

from .support import PROPERTY

SOURCE_RATES = [("demo", "deal", Decimal("0.5")), ("call", "demo", Decimal("0.3"))]


def test_four_thousand_dollars_needs_four_deals_eight_demos_twenty_seven_calls() -> None:
    # 4,000 / 1,000 = 4 deals; 4 / 50 % = 8 demos; 8 / 30 % = 26.67, rounded up to 27 calls.
    result = reverse_funnel(Decimal("4000"), Decimal("1000"), SOURCE_RATES)

    assert result.needed == {"deal": 4, "demo": 8, "call": 27}
    assert list(result.needed) == ["deal", "demo", "call"]
    assert result.top == "call"
    assert tuple(map(str, result.explanation)) == (
        "$4,000.00 ÷ $1,000.00 a deal → 4 deals won",
        "4 deals won ÷ a 50 % conversion rate → 8 demos",
        "8 demos ÷ a 30 % conversion rate → 27 calls (rounded up)",
    )


def test_the_explanation_is_in_plain_words_with_rates_rounded_for_people() -> None:
    """Issue 15: not "⌈6 ÷ 16.3552 %⌉" but whole percents (one decimal under 10 %)."""
    rates = ["demo:deal=0.163552", "call:demo=0.025"]
    result = reverse_funnel(Decimal("55000"), Decimal("10000"), rates)

    assert result.needed == {"deal": 6, "demo": 37, "call": 1480}
    assert tuple(map(str, result.explanation)) == (
        "$55,000.00 ÷ $10,000.00 a deal → 6 deals won (rounded up)",
        "6 deals won ÷ a 16 % conversion rate → 37 demos (rounded up)",
        "37 demos ÷ a 2.5 % conversion rate → 1480 calls",
    )
    assert not any("⌈" in str(line) for line in result.explanation)


@pytest.mark.parametrize(
    ("count", "periods", "expected"),
    [(27, 21, (2, 1)), (21, 21, (1, 1)), (6, 18, (1, 3)), (7, 18, (1, 2)), (1, 20, (1, 20)),
     (0, 20, (0, 1))],
)  # fmt: skip
def test_a_pace_below_one_a_day_reads_as_one_every_few_days(count, periods, expected) -> None:
    how_many, every = spread_count(count, periods)

    assert (how_many, every) == expected
    assert how_many * (periods // every) >= count  # never short of the month's count


def test_rates_written_as_text_give_the_same_funnel() -> None:
    result = reverse_funnel(Decimal("4000"), Decimal("1000"), ["demo:deal=0.5", "call:demo=30%"])

    assert result.needed == {"deal": 4, "demo": 8, "call": 27}
    assert parse_conversion("call : demo = 0.3") == Conversion("call", "demo", Decimal("0.3"))


def test_a_part_deal_of_revenue_still_needs_a_whole_deal() -> None:
    assert reverse_funnel(Decimal("4000.01"), Decimal("1000"), []).needed == {"deal": 5}


def test_per_week_and_per_day_counts_round_up_so_the_month_is_never_short() -> None:
    needed = {"deal": 4, "demo": 8, "call": 27}

    assert per_period(needed, 4) == {"deal": 1, "demo": 2, "call": 7}  # 27 / 4 = 6.75 → 7
    assert per_period(needed, 21) == {"deal": 1, "demo": 1, "call": 2}
    with pytest.raises(ValueError, match="at least 1"):
        per_period(needed, 0)


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ([("demo", "deal", Decimal("0"))], "rate for stage demo→deal must be more than 0"),
        ([("demo", "deal", Decimal("-0.5"))], "rate for stage demo→deal must be more than 0"),
        ([("demo", "deal", None)], "missing rate for stage demo→deal"),
        ([("demo", "deal", Decimal("50"))], "must be a fraction up to 1"),
        (
            [("demo", "deal", Decimal("0.5")), ("call", "meeting", Decimal("0.3"))],
            "rate 2 \\(call→meeting\\) does not chain: it must lead into 'demo'",
        ),
        (["demo-deal-0.5"], "bad conversion"),
    ],
)
def test_unusable_rates_are_refused_naming_the_stage(rates: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reverse_funnel(Decimal("4000"), Decimal("1000"), rates)


def test_a_zero_deal_size_is_refused_rather_than_divided_by() -> None:
    with pytest.raises(ValueError, match="average deal size must be more than 0"):
        reverse_funnel(Decimal("4000"), Decimal("0"), SOURCE_RATES)
    with pytest.raises(ValueError, match="revenue must not be negative"):
        reverse_funnel(Decimal("-1"), Decimal("1000"), SOURCE_RATES)


def test_21_own_deals_of_30_for_full_credibility_blend_70_percent_own_and_30_percent_team() -> None:
    own = FunnelHistory((("demo", "deal", Decimal("0.6")),), Decimal("1200"), n_observations=21)
    team = FunnelHistory(tuple(SOURCE_RATES), Decimal("1000"))

    blended = blend(own, team, full_credibility_n=30)

    # demo→deal: 0.7 * 0.6 + 0.3 * 0.5 = 0.57; deal size 0.7 * 1,200 + 0.3 * 1,000 = 1,140.
    assert blended.rates == (
        Conversion("demo", "deal", Decimal("0.57")),
        Conversion("call", "demo", Decimal("0.3")),
    )
    assert blended.deal_size == Decimal("1140.00")
    assert str(blended.explanation) == (
        "70 % own history (21 deals), 30 % team; team rate only for call→demo"
    )


def test_a_rep_with_no_history_plans_with_team_rates_and_a_veteran_with_their_own() -> None:
    team = FunnelHistory(tuple(SOURCE_RATES), Decimal("1000"))
    newcomer = FunnelHistory((), None, n_observations=0)
    veteran = FunnelHistory(tuple(SOURCE_RATES[:1]), Decimal("900"), n_observations=45)

    assert str(blend(newcomer, team).explanation) == "100 % team (no own history)"
    assert blend(newcomer, team).deal_size == Decimal("1000.00")
    assert blend(veteran, team).deal_size == Decimal("900.00")
    assert str(blend(veteran, team).explanation).startswith("100 % own history (45 deals)")


rates = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2)


@PROPERTY
@given(
    revenue=st.decimals(min_value=0, max_value=10**7, places=2),
    deal_size=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
    chain=st.lists(rates, max_size=5),
)
def test_the_funnel_never_under_delivers_the_revenue_at_the_given_rates(
    revenue: Decimal, deal_size: Decimal, chain: list[Decimal]
) -> None:
    stages = ["deal", *(f"stage{i}" for i in range(len(chain)))]
    conversions = [(stages[i + 1], stages[i], rate) for i, rate in enumerate(chain)]

    needed = reverse_funnel(revenue, deal_size, conversions).needed

    top = needed[stages[-1]]
    delivered = Fraction(top) * math.prod(map(Fraction, chain)) * Fraction(deal_size)
    assert delivered >= Fraction(revenue)
    # And not a whole deal more than needed at the bottom.
    assert (needed["deal"] - 1) * deal_size < revenue or needed["deal"] == 0
