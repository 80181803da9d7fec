"""Capacity: ramp by month of tenure, proration by working days, and training drag."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    DEFAULT_RAMP,
    Member,
    RampSchedule,
    Rep,
    Seat,
    TrainingDrag,
    WorkCalendar,
    capacity,
    month_of,
    month_period,
)
from pacesetter.planning.calendar import add_months

from .support import PROPERTY, ascii_signs, dates

CAL = WorkCalendar()
NO_RAMP = RampSchedule(())
TEN_PERCENT_FOR_TWO_MONTHS = TrainingDrag(Decimal("0.10"), 2)
VETERAN = Rep("alice", "east", date(2020, 1, 6))


def test_the_default_ramp_climbs_a_quarter_a_month_from_zero_in_the_hire_month() -> None:
    erin = Rep("erin", "east", date(2027, 9, 1))
    by_month = [capacity(erin, month_period(2027, m), CAL).value for m in range(9, 13)]

    assert by_month == [Decimal("0"), Decimal("0.25"), Decimal("0.5"), Decimal("0.75")]
    assert capacity(erin, month_period(2028, 1), CAL).value == 1
    assert str(capacity(erin, month_period(2027, 11), CAL).reason) == "ramp month 3 (0.50)"


def test_a_rep_hired_on_16_march_works_12_of_marchs_23_working_days() -> None:
    hired_mid_march = Rep("frank", "east", date(2027, 3, 16))

    march = capacity(hired_mid_march, month_period(2027, 3), CAL, ramp=NO_RAMP)

    assert march.value == Decimal("0.521739")  # 12 / 23
    assert str(march.reason) == "prorated 12/23 working days"


def test_a_rep_leaving_on_friday_12_march_carries_10_of_23_days_and_nothing_after() -> None:
    leaving = Rep("gina", "west", date(2019, 5, 1), leave_date=date(2027, 3, 12))

    assert capacity(leaving, month_period(2027, 3), CAL).value == Decimal("0.434783")  # 10/23
    april = capacity(leaving, month_period(2027, 4), CAL)
    assert (april.value, str(april.reason)) == (Decimal(0), "left on 2027-03-12")


def test_nobody_has_capacity_before_they_start() -> None:
    later = Rep("hank", "east", date(2027, 6, 1))

    may = capacity(later, month_period(2027, 5), CAL)
    assert (may.value, str(may.reason)) == (Decimal(0), "not started yet")


def test_existing_reps_lose_ten_percent_for_two_months_from_a_newcomers_first_month() -> None:
    newcomer = Rep("erin", "east", date(2027, 9, 1))
    team = [VETERAN, newcomer]

    def alice_in(month: int) -> Decimal:
        period = month_period(2027, month)
        return capacity(VETERAN, period, CAL, drag=TEN_PERCENT_FOR_TWO_MONTHS, teammates=team).value

    assert [alice_in(m) for m in (8, 9, 10, 11)] == [1, Decimal("0.9"), Decimal("0.9"), 1]
    september = capacity(
        VETERAN, month_period(2027, 9), CAL, drag=TEN_PERCENT_FOR_TWO_MONTHS, teammates=team
    )
    assert ascii_signs(september.reason) == "training drag -10 %"


def test_overlapping_drags_add_up_but_capacity_never_goes_below_zero() -> None:
    two_newcomers = [Seat("s1", "east", date(2027, 9, 1)), Seat("s2", "east", date(2027, 10, 1))]
    heavy = TrainingDrag(Decimal("0.6"), 2)
    team: list[Member] = [VETERAN, *two_newcomers]

    october = capacity(VETERAN, month_period(2027, 10), CAL, drag=heavy, teammates=team)

    assert october.value == 0
    assert ascii_signs(october.reason) == "training drag -120 %; floored at 0"
    light = capacity(
        VETERAN, month_period(2027, 10), CAL, drag=TEN_PERCENT_FOR_TWO_MONTHS, teammates=team
    )
    assert light.value == Decimal("0.8")


def test_drag_only_hits_existing_reps_of_the_newcomers_own_team() -> None:
    newcomer = Rep("erin", "east", date(2027, 9, 1))
    same_month = Rep("ivan", "east", date(2027, 9, 1))
    other_team = Rep("carol", "west", date(2019, 5, 1))
    everyone = [VETERAN, newcomer, same_month, other_team]
    september = month_period(2027, 9)

    def drag_of(rep: Rep) -> str:
        found = capacity(rep, september, CAL, NO_RAMP, TEN_PERCENT_FOR_TWO_MONTHS, everyone)
        return str(found.reason)

    assert drag_of(other_team) == "full capacity"
    assert drag_of(same_month) == "full capacity"
    assert "training drag -20 %" in ascii_signs(drag_of(VETERAN))


def test_a_seat_is_a_hire_on_the_first_of_its_month() -> None:
    seat = Seat("east-seat-1", "east", date(2027, 10, 1))

    assert str(capacity(seat, month_period(2027, 10), CAL).reason) == "ramp month 1 (0.00)"
    assert capacity(seat, month_period(2027, 12), CAL).value == Decimal("0.5")
    with pytest.raises(ValueError, match="must start on the 1st"):
        Seat("bad", "east", date(2027, 10, 2))


def test_a_ramp_must_stay_between_zero_and_one_and_never_go_down() -> None:
    with pytest.raises(ValueError, match="must not go down"):
        RampSchedule((Decimal("0.5"), Decimal("0.25")))
    with pytest.raises(ValueError, match="between 0 and 1"):
        RampSchedule((Decimal("1.5"),))


def test_leaving_before_starting_is_refused() -> None:
    with pytest.raises(ValueError, match="leaves"):
        Rep("x", "east", date(2027, 5, 1), leave_date=date(2027, 4, 30))


ramps = st.lists(st.decimals(min_value=0, max_value=1, places=2), max_size=8).map(
    lambda values: RampSchedule(tuple(sorted(values)))
)


@PROPERTY
@given(ramp=ramps)
def test_any_valid_ramp_is_monotone_non_decreasing_by_tenure(ramp: RampSchedule) -> None:
    factors = [ramp.factor(month) for month in range(0, 15)]

    assert factors == sorted(factors)
    assert factors[0] == 0
    assert factors[-1] == 1


@PROPERTY
@given(hired=dates, ramp=ramps)
def test_a_rep_who_stays_never_loses_capacity_from_one_month_to_the_next(
    hired: date, ramp: RampSchedule
) -> None:
    rep = Rep("r", "t", hired)
    months = [month_of(add_months(hired.replace(day=1), i)) for i in range(-1, 8)]

    values = [capacity(rep, month, CAL, ramp).value for month in months]

    assert values == sorted(values)
    assert all(0 <= value <= 1 for value in values)


@PROPERTY
@given(hired=dates, stay=st.integers(0, 400), offset=st.integers(-24, 24))
def test_capacity_is_zero_in_any_month_before_hire_or_after_leaving(
    hired: date, stay: int, offset: int
) -> None:
    rep = Rep("r", "t", hired, leave_date=hired + timedelta(days=stay))
    month = month_of(add_months(hired.replace(day=1), offset))

    value = capacity(rep, month, CAL, DEFAULT_RAMP, TEN_PERCENT_FOR_TWO_MONTHS).value

    if month.end <= hired or (rep.leave_date and month.start > rep.leave_date):
        assert value == 0
    assert 0 <= value <= 1
