"""Realism: the chance of meeting a goal from the rep's own past periods, counted exactly."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    Measure,
    PastPeriod,
    Thresholds,
    WorkCalendar,
    capacity_of,
    chance,
    past_windows,
)
from pacesetter.planning.calendar import working_day_count

from .support import PROPERTY

CAL = WorkCalendar()


def months(values, capacity="20"):
    return [PastPeriod(f"m{i}", Decimal(v), Decimal(capacity)) for i, v in enumerate(values)]


def test_three_of_twelve_past_months_reaching_the_target_is_a_25_percent_chance() -> None:
    # Twelve months of 20 working days; the target month has 20 too, so nothing is scaled.
    history = months([10, 12, 9, 15, 11, 20, 8, 14, 16, 13, 10, 12])
    realism = chance(Decimal(15), history, capacity=Decimal(20), measure=Measure(cumulative=True))
    # 15, 20 and 16 reach 15: three of twelve.
    assert (realism.met, realism.samples) == (3, 12)
    assert realism.probability == Fraction(1, 4)
    assert realism.percent == Decimal(25)
    assert realism.verdict == "realistic"
    assert str(realism.explanation) == "3 of 12 past periods (scaled to 20 working days) reached 15"


def test_past_periods_are_scaled_to_the_target_periods_capacity() -> None:
    # 10 done in 10 working days is 20 in a 20-day month; 18 in 20 days stays 18.
    history = [
        PastPeriod("a", Decimal(10), Decimal(10)),
        PastPeriod("b", Decimal(18), Decimal(20)),
    ]
    realism = chance(
        Decimal(19),
        history,
        capacity=Decimal(20),
        measure=Measure(cumulative=True),
        thresholds=Thresholds(min_history=2),
    )
    assert realism.met == 1 and realism.probability == Fraction(1, 2)


def test_whole_things_are_not_scaled_into_fractions_of_one() -> None:
    # One article shared in each of eight five-day weeks; this week has four working days.
    # Scaled, that is 0.8 of an article — but a rep who shares one a week shares one in a
    # short week too: counts are rounded to whole ones (half up) after scaling.
    weeks = [PastPeriod(f"w{i}", Decimal(1), Decimal(5)) for i in range(8)]
    assert chance(Decimal(1), weeks, capacity=Decimal(4), measure=Measure(cumulative=True)).met == 0
    counted = chance(
        Decimal(1), weeks, capacity=Decimal(4), measure=Measure(cumulative=True, whole_units=True)
    )
    assert counted.met == 8 and counted.verdict == "too_easy"
    # Two demos a week in five days is 1.6 in four: rounds to 2, which reaches 2 — not 3.
    demos = [PastPeriod(f"w{i}", Decimal(2), Decimal(5)) for i in range(8)]
    assert (
        chance(
            Decimal(2),
            demos,
            capacity=Decimal(4),
            measure=Measure(cumulative=True, whole_units=True),
        ).met
        == 8
    )
    assert (
        chance(
            Decimal(3),
            demos,
            capacity=Decimal(4),
            measure=Measure(cumulative=True, whole_units=True),
        ).met
        == 0
    )


def test_rates_are_not_scaled_and_lower_is_better_counts_values_within_the_target() -> None:
    rates = [PastPeriod(str(i), Decimal(v), Decimal(5)) for i, v in enumerate([20, 30, 40, 50])]
    assert (
        chance(
            Decimal(30),
            rates,
            capacity=Decimal(20),
            measure=Measure(cumulative=False),
            thresholds=Thresholds(min_history=4),
        ).met
        == 3
    )
    days = [PastPeriod(str(i), Decimal(v), Decimal(5)) for i, v in enumerate([20, 30, 40, 50])]
    lower = chance(
        Decimal(30),
        days,
        capacity=Decimal(20),
        measure=Measure(cumulative=False, lower_is_better=True),
        thresholds=Thresholds(min_history=4),
    )
    assert lower.met == 2
    assert str(lower.explanation) == "2 of 4 past periods stayed within 30"


def test_below_the_unlikely_threshold_is_unlikely_above_the_easy_one_too_easy() -> None:
    history = months([10] * 9 + [30])  # 1 in 10 reaches 25; all 10 reach 5
    assert chance(25, history, capacity=20, measure=Measure(cumulative=True)).verdict == "unlikely"
    assert chance(5, history, capacity=20, measure=Measure(cumulative=True)).verdict == "too_easy"
    # Exactly on a threshold is not past it: 1 of 10 is 10 %, unlikely only below 10 %.
    assert (
        chance(
            25,
            history,
            capacity=20,
            measure=Measure(cumulative=True),
            thresholds=Thresholds(unlikely_below=10),
        ).verdict
        == "realistic"
    )
    assert (
        chance(
            5,
            history,
            capacity=20,
            measure=Measure(cumulative=True),
            thresholds=Thresholds(too_easy_above=100),
        ).verdict
        == "realistic"
    )


def test_too_little_history_gives_no_number_at_all() -> None:
    history = [
        *months([10, 20, 30]),
        PastPeriod("before hire", Decimal(0), Decimal(0)),
        PastPeriod("nothing closed", None, Decimal(20)),
    ]
    realism = chance(
        15, history, capacity=20, measure=Measure(cumulative=True), period_word="months"
    )
    assert realism.verdict == "not_enough_history"
    assert realism.probability is None and realism.percent is None
    assert str(realism.explanation) == "only 3 past months with data; 6 needed"


def test_past_windows_step_back_by_the_periods_kind() -> None:
    assert past_windows("month", date(2026, 11, 1), date(2026, 12, 1), 3) == [
        (date(2026, 8, 1), date(2026, 9, 1)),
        (date(2026, 9, 1), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2026, 11, 1)),
    ]
    assert past_windows("week", date(2026, 11, 16), date(2026, 11, 23), 2) == [
        (date(2026, 11, 2), date(2026, 11, 9)),
        (date(2026, 11, 9), date(2026, 11, 16)),
    ]
    assert past_windows("quarter", date(2026, 10, 1), date(2027, 1, 1), 1) == [
        (date(2026, 7, 1), date(2026, 10, 1))
    ]
    with pytest.raises(ValueError, match="no history rule"):
        past_windows("fortnight", date(2026, 1, 1), date(2026, 1, 15), 1)


def test_capacity_counts_working_days_employed_times_the_ramp() -> None:
    # November 2026 has 21 working days.
    nov = (date(2026, 11, 1), date(2026, 12, 1))
    assert capacity_of(*nov, CAL) == 21
    assert capacity_of(*nov, CAL, hired=date(2020, 1, 1)) == 21
    # Hired 1 September: November is ramp month 3 (50 %).
    assert capacity_of(*nov, CAL, hired=date(2026, 9, 1)) == Decimal("10.5")
    # Left on Friday the 13th: 10 working days.
    assert capacity_of(*nov, CAL, left=date(2026, 11, 13)) == 10
    # Not yet hired, or the hire month itself (ramp 0): nothing to learn from.
    assert capacity_of(*nov, CAL, hired=date(2026, 12, 1)) == 0
    assert capacity_of(*nov, CAL, hired=date(2026, 11, 1)) == 0
    assert capacity_of(*nov, CAL, hired=date(2026, 11, 1), ramp=None) == 21
    assert working_day_count(nov, CAL) == 21


# --- properties --------------------------------------------------------------------------------

past = st.builds(
    PastPeriod,
    label=st.just("p"),
    value=st.none() | st.decimals(min_value=0, max_value=10**6, places=2),
    capacity=st.decimals(min_value=0, max_value=23, places=2),
)
targets = st.decimals(min_value=0, max_value=10**6, places=2)
capacities = st.decimals(min_value=0, max_value=23, places=2)


@PROPERTY
@given(st.lists(past, max_size=15), targets, capacities, st.booleans(), st.booleans())
def test_the_chance_is_a_probability_or_nothing(history, target, cap, cumulative, lower) -> None:
    realism = chance(
        target,
        history,
        capacity=cap,
        measure=Measure(cumulative=cumulative, lower_is_better=lower),
        thresholds=Thresholds(min_history=3),
    )
    usable = sum(1 for p in history if p.value is not None and p.capacity > 0)
    if usable < 3:
        assert realism.probability is None and realism.verdict == "not_enough_history"
    else:
        assert 0 <= realism.probability <= 1
        assert realism.samples == usable and 0 <= realism.met <= usable


@PROPERTY
@given(st.lists(past, min_size=1, max_size=15), targets, targets, capacities, st.booleans())
def test_a_higher_target_is_never_more_likely(history, a, b, cap, cumulative) -> None:
    low, high = sorted((a, b))
    easier = chance(
        low,
        history,
        capacity=cap,
        measure=Measure(cumulative=cumulative),
        thresholds=Thresholds(min_history=1),
    )
    harder = chance(
        high,
        history,
        capacity=cap,
        measure=Measure(cumulative=cumulative),
        thresholds=Thresholds(min_history=1),
    )
    if easier.probability is not None:
        assert harder.probability <= easier.probability
        # Where lower is better, a higher ceiling is the easier goal.
        loose = chance(
            high,
            history,
            capacity=cap,
            measure=Measure(cumulative=cumulative, lower_is_better=True),
            thresholds=Thresholds(min_history=1),
        )
        tight = chance(
            low,
            history,
            capacity=cap,
            measure=Measure(cumulative=cumulative, lower_is_better=True),
            thresholds=Thresholds(min_history=1),
        )
        assert loose.probability >= tight.probability


@PROPERTY
@given(st.lists(past, min_size=6, max_size=15), targets, capacities)
def test_the_same_history_always_gives_the_same_answer(history, target, cap) -> None:
    first = chance(target, history, capacity=cap, measure=Measure(cumulative=True))
    assert chance(target, list(history), capacity=cap, measure=Measure(cumulative=True)) == first
