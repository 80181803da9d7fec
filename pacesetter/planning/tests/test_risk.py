"""Risk: a running goal's chance of still being met, counted by hand."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from pacesetter.planning.realism import PastPeriod
from pacesetter.planning.risk import (
    at_stake,
    daily_rates,
    finish_chance,
    needed_by,
    poisson_at_least,
)


def test_poisson_tail_matches_the_formula():
    # P(N >= 2) for a mean of 1: 1 - e^-1 (1 + 1).
    assert poisson_at_least(2, 1.0) == pytest.approx(1 - 2 * math.exp(-1))
    assert poisson_at_least(0, 0.0) == 1.0
    assert poisson_at_least(1, 0.0) == 0.0
    # A huge mean and need do not overflow: about a half at the mean.
    assert 0.45 < poisson_at_least(10_000, 10_000.0) < 0.51


def test_daily_rates_skip_periods_without_capacity_or_value():
    history = [
        PastPeriod("2026-W40", Decimal(5), Decimal(5)),
        PastPeriod("2026-W41", Decimal(4), Decimal(4)),  # a holiday week
        PastPeriod("2026-W42", Decimal(0), Decimal(0)),  # not employed
        PastPeriod("2026-W43", None, Decimal(5)),
    ]
    assert daily_rates(history) == [Fraction(1), Fraction(1)]


def test_a_count_is_judged_by_the_chance_of_enough_whole_things_in_the_days_left():
    # 3 of 5 demos done, one working day left, one demo a day in the past: P(N >= 2), N ~ Po(1).
    outlook = finish_chance(
        target=5, done=3, capacity_left=1, rates=[Fraction(1)] * 9, whole_units=True
    )
    assert outlook.probability == pytest.approx(1 - 2 * math.exp(-1))
    assert outlook.percent == 26
    assert outlook.typical_more == 1 and outlook.samples == 9


def test_a_sum_counts_the_past_rates_that_would_cover_what_is_left():
    rates = [Fraction(100), Fraction(200), Fraction(300), Fraction(400)]  # $ per working day
    outlook = finish_chance(
        target=Decimal("5000"), done=Decimal("3000"), capacity_left=8, rates=rates,
        whole_units=False,
    )  # fmt: skip
    # 2,000 left in 8 days: 250 a day; two of four past rates did that.
    assert outlook.probability == 0.5 and outlook.percent == 50
    assert outlook.typical_more == Decimal("2400.00")  # the upper median, 300 × 8


def test_met_is_certain_and_no_days_left_is_lost():
    met = finish_chance(target=5, done=6, capacity_left=0, rates=[], whole_units=True)
    assert met.probability == 1.0
    over = finish_chance(target=5, done=4, capacity_left=0, rates=[Fraction(3)], whole_units=True)
    assert over.probability == 0.0
    with pytest.raises(ValueError):
        finish_chance(target=5, done=4, capacity_left=2, rates=[], whole_units=True)


def test_the_one_thing_to_do_is_what_brings_the_goal_back_on_pace_by_the_checkpoint():
    # 20 demos a month, 4 done, by Friday 10 of 20 working days will have gone: 6 more.
    assert needed_by(target=20, done=4, share_by_then=Fraction(1, 2), whole_units=True) == 6
    # Ahead of pace by then still asks for one more, never more than is left.
    assert needed_by(target=20, done=15, share_by_then=Fraction(1, 2), whole_units=True) == 1
    assert needed_by(target=20, done=19, share_by_then=Fraction(1), whole_units=True) == 1
    assert needed_by(target=20, done=20, share_by_then=Fraction(1), whole_units=True) == 0
    money = needed_by(
        target=Decimal("1000"), done=Decimal("100"), share_by_then=Fraction(1, 3),
        whole_units=False,
    )  # fmt: skip
    assert money == Decimal("233.34")  # 333.333… rounded up to the cent, less 100


def test_what_is_at_stake_grows_with_the_miss_and_the_priority():
    big = at_stake(probability=0.1, left=90, target=100, priority=1)
    small = at_stake(probability=0.1, left=10, target=100, priority=1)
    minor = at_stake(probability=0.1, left=90, target=100, priority=9)
    assert big == pytest.approx(0.81)
    assert big > small and big > minor
