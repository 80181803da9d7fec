"""M7 stretch tiers and eligibility; pace to date and projected period end."""

from decimal import Decimal
from fractions import Fraction

import pytest

from pacesetter.planning import (
    eligible,
    expected_to_date,
    is_on_pace,
    per_remaining_day,
    projected_end,
    stretch_target,
)

from .support import said


def test_the_stretch_tier_of_a_1000_goal_is_1250_by_default() -> None:
    assert stretch_target(Decimal("1000")) == Decimal("1250.00")
    assert stretch_target(Decimal("999.99"), percent=Decimal("150")) == Decimal("1499.99")


def test_a_stretch_tier_must_be_above_the_goal_and_the_goal_not_negative() -> None:
    with pytest.raises(ValueError, match="above 100 %"):
        stretch_target(Decimal("1000"), percent=Decimal("90"))
    with pytest.raises(ValueError, match="goal target must not be negative"):
        stretch_target(Decimal("-1000"))


def test_a_rep_who_met_quota_three_periods_running_may_stretch() -> None:
    assert said(eligible([Decimal(80), Decimal(100), Decimal(104), Decimal(131)])) == (
        True,
        "met 100 % in each of the last 3 periods",
    )


def test_a_single_miss_in_the_last_three_periods_rules_stretch_out() -> None:
    ok, reason = eligible([Decimal(120), Decimal("99.5"), Decimal(110)])

    assert not ok
    assert str(reason) == "missed 100 % in 1 of the last 3 periods (period 2 of 3 at 99.5 %)"


def test_too_little_history_or_being_under_quota_now_rules_stretch_out() -> None:
    assert said(eligible([Decimal(150), Decimal(150)])) == (
        False,
        "only 2 period(s) of history; 3 needed",
    )
    assert said(eligible([Decimal(150)] * 3, current_attainment=Decimal(80))) == (
        False,
        "currently under quota (80 % of 100 %)",
    )
    assert eligible([Decimal(95)] * 2, required_periods=2, threshold=90).eligible


def test_ten_of_twenty_working_days_gone_expects_half_the_target() -> None:
    assert expected_to_date(Decimal("5000"), Fraction(10, 20)) == Decimal("2500.00")
    assert expected_to_date(Decimal("1000"), Fraction(1, 3)) == Decimal("333.33")


def test_the_run_rate_projects_the_period_end_and_says_nothing_before_it_starts() -> None:
    assert projected_end(Decimal("1500"), Fraction(1, 4)) == Decimal("6000.00")
    assert projected_end(Decimal("1500"), Fraction(0)) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        projected_end(Decimal("1"), Fraction(3, 2))


def test_for_lower_is_better_metrics_being_under_the_allowance_is_on_pace() -> None:
    # Discounts budget 1,000 for the month, half gone: 500 allowed so far.
    allowance = expected_to_date(Decimal("1000"), Fraction(1, 2))

    assert is_on_pace(Decimal("450"), allowance, lower_is_better=True)
    assert not is_on_pace(Decimal("450"), allowance)
    assert is_on_pace(Decimal("550"), allowance)


def test_what_is_still_needed_per_day_rounds_up_and_an_allowance_rounds_down() -> None:
    # 1,000 still to sell over 3 working days: 333.333… → 333.34 a day, never short.
    assert per_remaining_day(Decimal("5000"), Decimal("4000"), 3) == Decimal("333.34")
    assert per_remaining_day(Decimal("5000"), Decimal("4000"), 3, lower_is_better=True) == Decimal(
        "333.33"
    )
    assert per_remaining_day(Decimal("5000"), Decimal("6000"), 3) == Decimal("0.00")
