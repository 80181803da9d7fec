"""Goals judged column by column: the thresholds' edges, and pace to the cent exactly as
``expected_to_date`` and ``projected_end`` give it (negative actuals too)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import expected_to_date, projected_end
from pacesetter.planning.status import (
    ACHIEVED,
    AT_RISK,
    BEHIND,
    ON_TRACK,
    Clock,
    Rules,
    expected_cents,
    judge_cumulative,
    judge_levels,
)

HALF_WAY = Clock(Fraction(10, 21), remaining=11, over=False)  # 21 × 10/21 = 10 expected
HIGHER = Rules(lower_is_better=False, whole_units=False, money=True, on_track=95, at_risk=75)
LOWER = Rules(lower_is_better=True, whole_units=False, money=True, on_track=95, at_risk=75)


@pytest.mark.parametrize(
    ("actual", "status"),
    [(2100, ACHIEVED), (950, ON_TRACK), (949, AT_RISK), (750, AT_RISK), (749, BEHIND),
     (None, ON_TRACK)],
)  # fmt: skip
def test_higher_is_better_goes_by_the_share_of_the_pace(actual, status):
    paced = judge_cumulative([2100], [actual], HALF_WAY, HIGHER)
    assert paced.status == [status]
    assert paced.expected == [1000]


@pytest.mark.parametrize(
    ("actual", "status"),
    [(1000, ON_TRACK), (1250, AT_RISK), (1251, BEHIND), (2101, BEHIND)],
)
def test_lower_is_better_allows_the_at_risk_slack_above_the_pace(actual, status):
    assert judge_cumulative([2100], [actual], HALF_WAY, LOWER).status == [status]
    assert judge_cumulative([2100], [actual], HALF_WAY, LOWER).needed == [None]


def test_when_the_period_is_over_only_the_target_counts():
    over = Clock(Fraction(1), remaining=0, over=True)
    assert judge_cumulative([2100] * 3, [2100, 2099, None], over, HIGHER).status == [
        ACHIEVED, BEHIND, BEHIND,
    ]  # fmt: skip
    assert judge_cumulative([2100, 2100], [2100, 2101], over, LOWER).status == [ACHIEVED, BEHIND]
    levels = [Decimal("50.0"), Decimal("49.9"), None]
    assert judge_levels([Decimal("50.00")] * 3, levels, True, HIGHER) == [
        ACHIEVED, BEHIND, BEHIND,
    ]  # fmt: skip


def test_needed_per_day_rounds_up_to_the_cent_or_the_whole_unit():
    money = judge_cumulative([1_200_000], [100_000], HALF_WAY, HIGHER)
    assert money.needed == [100_000]  # 11,000.00 over 11 days: 1,000.00
    counts = Rules(False, whole_units=True, money=False, on_track=95, at_risk=75)
    assert judge_cumulative([2100], [800], HALF_WAY, counts).needed == [200]  # 13 / 11 → 2
    assert judge_cumulative([2100], [2100], HALF_WAY, counts).needed == [None]  # achieved


def test_a_level_is_compared_with_the_target_itself():
    rules = HIGHER
    targets = [Decimal("40.0")] * 4
    actuals = [Decimal("40.0"), Decimal("38.0"), Decimal("30.0"), Decimal("29.9")]
    assert judge_levels(targets, actuals, False, rules) == [ON_TRACK, ON_TRACK, AT_RISK, BEHIND]
    days = [Decimal(20), Decimal(25), Decimal("25.5")]
    assert judge_levels([Decimal(20)] * 3, days, False, LOWER) == [ON_TRACK, AT_RISK, BEHIND]


@given(
    target=st.integers(min_value=0, max_value=10**13),
    actual=st.integers(min_value=-(10**11), max_value=10**13),
    worked=st.integers(min_value=0, max_value=260),
    extra=st.integers(min_value=0, max_value=260),
)
def test_pace_in_cents_is_the_planning_functions_to_the_cent(target, actual, worked, extra):
    if worked + extra == 0:
        return
    share = Fraction(worked, worked + extra)
    as_money = Decimal(target).scaleb(-2)
    assert Decimal(expected_cents(target, share, False)).scaleb(-2) == expected_to_date(
        as_money, share
    )
    clock = Clock(share, remaining=extra, over=False)
    (projected,) = judge_cumulative([target], [actual], clock, HIGHER).projected
    found = projected_end(Decimal(actual).scaleb(-2), share)
    assert (None if projected is None else Decimal(projected).scaleb(-2)) == found
