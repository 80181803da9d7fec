"""M2 waterfalls: step a target up (or down) gradually; G1 increments; G3 rate goals."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pacesetter.planning import (
    Step,
    WorkCalendar,
    adaptive_next,
    baseline_from,
    increments,
    rate_target,
    waterfall,
)

from .support import PROPERTY

MONDAY_7_DECEMBER_2026 = date(2026, 12, 7)


def test_fifty_emails_a_week_step_up_by_ten_to_one_hundred_from_monday_7_december_2026() -> None:
    steps = waterfall(50, 100, step=10, every="week", start=MONDAY_7_DECEMBER_2026)

    assert [step.target for step in steps] == [60, 70, 80, 90, 100]
    assert [step.start for step in steps] == [
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 28),
        date(2027, 1, 4),
    ]
    assert steps[-1].end == date(2027, 1, 11)


def test_a_step_that_does_not_divide_the_distance_ends_with_a_shorter_last_step() -> None:
    steps = waterfall(50, 95, step=10, start=MONDAY_7_DECEMBER_2026)

    assert [step.target for step in steps] == [60, 70, 80, 90, 95]


def test_percent_steps_compound_and_the_last_is_capped_at_the_target() -> None:
    # 50 * 1.1 = 55, * 1.1 = 60.5 → 61, 66.55 → 67, 73.205 → 73, 80.5 → 81, 88.6 → 89,
    # 97.4 → 97, then 107.2 is past 100, so the last step is exactly 100.
    steps = waterfall(50, 100, percent=10, start=MONDAY_7_DECEMBER_2026)

    assert [step.target for step in steps] == [55, 61, 67, 73, 81, 89, 97, 100]


def test_a_number_of_steps_gives_equal_increments_by_month() -> None:
    steps = waterfall(
        Decimal("10000"), Decimal("13000"), steps=3, every="month", start=date(2027, 4, 1)
    )

    assert steps == [
        Step(date(2027, 4, 1), date(2027, 5, 1), Decimal("11000")),
        Step(date(2027, 5, 1), date(2027, 6, 1), Decimal("12000")),
        Step(date(2027, 6, 1), date(2027, 7, 1), Decimal("13000")),
    ]


def test_lower_is_better_targets_step_down_the_same_way() -> None:
    # Days from lead to customer: 60 → 40 in steps of 5 days.
    steps = waterfall(60, 40, step=5, start=MONDAY_7_DECEMBER_2026)
    assert [step.target for step in steps] == [55, 50, 45, 40]

    shrinking = waterfall(100, 50, percent=10, start=MONDAY_7_DECEMBER_2026)
    assert [step.target for step in shrinking] == [90, 81, 73, 66, 59, 53, 50]


def test_weekly_steps_follow_the_calendars_week_start() -> None:
    sunday_weeks = WorkCalendar(week_start=6)
    steps = waterfall(1, 3, step=1, start=date(2026, 12, 6), cal=sunday_weeks)

    assert steps[0].start == date(2026, 12, 6)
    with pytest.raises(ValueError, match="must start on a Monday"):
        waterfall(1, 3, step=1, start=date(2026, 12, 6))
    with pytest.raises(ValueError, match="1st of a month"):
        waterfall(1, 3, step=1, every="month", start=date(2026, 12, 6))


def test_a_waterfall_needs_exactly_one_way_to_step() -> None:
    with pytest.raises(ValueError, match="exactly one of step, percent or steps"):
        waterfall(50, 100, step=10, percent=5, start=MONDAY_7_DECEMBER_2026)
    with pytest.raises(ValueError, match="exactly one"):
        waterfall(50, 100, start=MONDAY_7_DECEMBER_2026)
    with pytest.raises(ValueError, match="step must be more than 0"):
        waterfall(50, 100, step=0, start=MONDAY_7_DECEMBER_2026)
    with pytest.raises(ValueError, match="baseline above 0"):
        waterfall(0, 100, percent=10, start=MONDAY_7_DECEMBER_2026)
    with pytest.raises(ValueError, match="target must not be negative"):
        waterfall(50, -100, step=10, start=MONDAY_7_DECEMBER_2026)


def test_the_baseline_is_the_mean_of_the_last_n_periods() -> None:
    weekly_emails = [10, 40, 50, 55, 45]

    assert baseline_from(weekly_emails, last_n=3) == Decimal("50.00")
    with pytest.raises(ValueError, match="needs 6 of them, got 5"):
        baseline_from(weekly_emails, last_n=6)


def test_g1_revenue_three_four_and_five_thousand_over_a_ten_thousand_baseline() -> None:
    targets = increments(Decimal("10000"), {"Q2": 3000, "Q3": 4000, "Q4": 5000})

    assert targets == {
        "Q2": Decimal("13000.00"),
        "Q3": Decimal("14000.00"),
        "Q4": Decimal("15000.00"),
    }


def test_g3_close_rate_up_five_points_from_last_quarter_and_never_above_100_percent() -> None:
    assert rate_target(Decimal("22.5"), Decimal("5")) == Decimal("27.50")
    assert rate_target(Decimal("98"), Decimal("5")) == Decimal("100.00")
    with pytest.raises(ValueError, match="percent from 0 to 100"):
        rate_target(Decimal("120"), Decimal("1"))


def test_adaptive_steps_hold_while_missed_and_move_on_once_met() -> None:
    steps = waterfall(50, 100, step=10, start=MONDAY_7_DECEMBER_2026)

    assert adaptive_next(steps, []) == 0  # aim at 60 first
    assert adaptive_next(steps, [62]) == 1  # met 60 → aim at 70
    assert adaptive_next(steps, [62, 65]) == 1  # missed 70 → 70 again
    assert adaptive_next(steps, [62, 65, 71]) == 2
    assert adaptive_next(steps, [60, 70, 80, 90, 100, 120]) == 4  # stays on the last step


def test_adaptive_steps_down_count_results_at_or_under_the_step_as_met() -> None:
    steps = waterfall(60, 40, step=10, start=MONDAY_7_DECEMBER_2026)  # 50, 40

    assert adaptive_next(steps, [52]) == 0
    assert adaptive_next(steps, [49]) == 1


amounts = st.integers(min_value=0, max_value=100_000).map(Decimal)


@PROPERTY
@given(
    baseline=amounts,
    target=amounts,
    mode=st.sampled_from(["step", "percent", "steps"]),
    size=st.integers(min_value=1, max_value=60),
    every=st.sampled_from(["week", "month"]),
)
def test_waterfall_steps_are_monotone_contiguous_and_end_exactly_at_the_target(
    baseline: Decimal, target: Decimal, mode: str, size: int, every: str
) -> None:
    if mode == "percent":
        # Keeps the count of steps realistic; 1 % a week from 1 to 100,000 is refused.
        assume(baseline >= 10 and size >= 5)
    if mode == "step":
        assume(abs(target - baseline) / size <= 500)
    start = date(2027, 3, 1)  # a Monday and a 1st

    if mode == "step":
        steps = waterfall(baseline, target, step=size, every=every, start=start)
    elif mode == "percent":
        steps = waterfall(baseline, target, percent=size, every=every, start=start)
    else:
        steps = waterfall(baseline, target, steps=size, every=every, start=start)

    values = [baseline, *(step.target for step in steps)]
    assert steps[-1].target == target
    assert values == sorted(values) or values == sorted(values, reverse=True)
    assert steps[0].start == start
    assert all(a.end == b.start for a, b in pairwise(steps))
