"""Working days, period labels, fiscal years and how much of a period has gone by."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    PlanningError,
    WorkCalendar,
    day_period,
    days_of,
    elapsed_fraction,
    fiscal_year,
    is_working_day,
    month_of,
    month_period,
    months_of,
    parse_period,
    quarter_of,
    week_of,
    week_period,
    weeks_of,
    working_day_count,
    working_days,
)
from pacesetter.planning.calendar import add_months

from .support import PROPERTY, dates

MONDAY_START = WorkCalendar()
SUNDAY_START = WorkCalendar(week_start=6)
GOOD_FRIDAY_2027 = date(2027, 3, 26)


# --- working days -------------------------------------------------------------------------


def test_march_2027_has_twenty_three_weekdays_and_twenty_two_working_days_after_good_friday() -> (
    None
):
    march = month_period(2027, 3)
    with_holiday = WorkCalendar(holidays=frozenset({GOOD_FRIDAY_2027}))

    assert working_day_count(march, MONDAY_START) == 23
    assert working_day_count(march, with_holiday) == 22
    assert GOOD_FRIDAY_2027 not in working_days(march, with_holiday)
    assert not is_working_day(GOOD_FRIDAY_2027, with_holiday)


def test_weekends_are_not_working_days_unless_the_calendar_says_so() -> None:
    saturday = date(2027, 3, 6)
    six_day_week = WorkCalendar(working_weekdays=frozenset(range(6)))

    assert not is_working_day(saturday, MONDAY_START)
    assert is_working_day(saturday, six_day_week)


def test_working_days_accepts_a_start_and_an_exclusive_end() -> None:
    # Monday 1 to Friday 5 March, the end date (Saturday 6th) not included.
    days = working_days((date(2027, 3, 1), date(2027, 3, 6)), MONDAY_START)

    assert days == [date(2027, 3, d) for d in range(1, 6)]


@PROPERTY
@given(
    start=dates,
    length=st.integers(0, 120),
    holidays=st.frozensets(dates, max_size=8),
    weekdays=st.frozensets(st.integers(0, 6)),
)
def test_counting_working_days_agrees_with_listing_them(
    start: date, length: int, holidays: frozenset[date], weekdays: frozenset[int]
) -> None:
    cal = WorkCalendar(working_weekdays=weekdays, holidays=holidays)
    span = (start, start + timedelta(days=length))

    assert working_day_count(span, cal) == len(working_days(span, cal))


# --- weeks --------------------------------------------------------------------------------


def test_sunday_3_january_2027_is_in_the_last_iso_week_of_2026_but_week_1_with_sunday_starts() -> (
    None
):
    sunday = date(2027, 1, 3)

    assert week_of(sunday, MONDAY_START).label == "2026-W53"
    assert week_of(sunday, MONDAY_START).start == date(2026, 12, 28)
    assert week_of(sunday, SUNDAY_START).label == "2027-W01"
    assert week_of(sunday, SUNDAY_START).start == date(2027, 1, 3)


def test_week_1_of_2027_starts_on_monday_4_january_or_sunday_3_january() -> None:
    assert parse_period("2027-W01", MONDAY_START).start == date(2027, 1, 4)
    assert parse_period("2027-W01", SUNDAY_START).start == date(2027, 1, 3)
    assert parse_period("2027-W14", MONDAY_START).start == date(2027, 4, 5)


def test_2026_has_53_iso_weeks_and_a_week_54_is_refused() -> None:
    assert week_period(2026, 53, MONDAY_START).start == date(2026, 12, 28)
    with pytest.raises(ValueError, match="week-year 2026 has weeks 1 to 53"):
        parse_period("2026-W54", MONDAY_START)


@PROPERTY
@given(day=dates)
def test_monday_weeks_are_exactly_iso_8601_weeks(day: date) -> None:
    iso_year, iso_week, _ = day.isocalendar()

    assert week_of(day, MONDAY_START).label == f"{iso_year}-W{iso_week:02d}"


@PROPERTY
@given(day=dates, week_start=st.integers(0, 6))
def test_every_day_lies_in_its_week_which_starts_on_the_week_start_and_round_trips(
    day: date, week_start: int
) -> None:
    cal = WorkCalendar(week_start=week_start)
    week = week_of(day, cal)

    assert day in week
    assert week.start.weekday() == week_start
    assert parse_period(week.label, cal) == week


# --- months, quarters, fiscal years -------------------------------------------------------


def test_a_fiscal_year_starting_in_april_is_named_after_the_year_it_ends_in() -> None:
    april = WorkCalendar(fiscal_year_start_month=4)
    fy = fiscal_year(2027, april)

    assert (fy.start, fy.end, fy.label) == (date(2026, 4, 1), date(2027, 4, 1), "FY2027")
    assert [m.label for m in months_of(fy)][:2] == ["2026-04", "2026-05"]
    assert months_of(fy)[-1].label == "2027-03"
    assert parse_period("FY2027", april) == fy


def test_fiscal_quarters_follow_the_fiscal_year_while_plain_quarters_stay_calendar() -> None:
    april = WorkCalendar(fiscal_year_start_month=4)

    q4 = quarter_of(date(2027, 2, 10), april)
    assert (q4.label, q4.start, q4.end) == ("FY2027-Q4", date(2027, 1, 1), date(2027, 4, 1))
    assert parse_period("FY2027-Q1", april).start == date(2026, 4, 1)
    assert parse_period("2027-Q1", april).start == date(2027, 1, 1)


def test_a_january_fiscal_year_is_just_the_calendar_year() -> None:
    year = fiscal_year(2027, MONDAY_START)

    assert (year.label, year.start, year.end) == ("2027", date(2027, 1, 1), date(2028, 1, 1))
    assert parse_period("FY2027", MONDAY_START) == year
    assert quarter_of(date(2027, 8, 1), MONDAY_START).label == "2027-Q3"


def test_labels_parse_into_the_periods_they_name() -> None:
    assert parse_period("2027-05", MONDAY_START) == month_period(2027, 5)
    assert parse_period(" 2027-05-03 ", MONDAY_START) == day_period(date(2027, 5, 3))
    assert parse_period("2027-q3", MONDAY_START).start == date(2027, 7, 1)


@pytest.mark.parametrize(
    "label", ["2027-13", "2027-Q5", "27-05", "2027-W00", "2027-02-30", "May 2027", ""]
)
def test_a_bad_period_label_is_refused_with_the_label_in_the_message(label: str) -> None:
    with pytest.raises(ValueError, match="bad period label"):
        parse_period(label, MONDAY_START)


def test_splitting_a_month_gives_its_days_and_every_week_touching_it() -> None:
    february = month_period(2027, 2)

    assert len(days_of(february)) == 28
    weeks = weeks_of(february, MONDAY_START)
    assert weeks[0].start == date(2027, 2, 1)
    assert weeks[-1].label == "2027-W08"
    assert months_of(weeks[0]) == [february]


@PROPERTY
@given(day=dates, start_month=st.integers(1, 12))
def test_every_day_lies_in_its_month_quarter_and_fiscal_year(day: date, start_month: int) -> None:
    cal = WorkCalendar(fiscal_year_start_month=start_month)
    quarter = quarter_of(day, cal)

    assert day in month_of(day)
    assert day in quarter
    assert parse_period(quarter.label, cal) == quarter
    assert len(months_of(quarter)) == 3


# --- elapsed fraction ---------------------------------------------------------------------


def test_elapsed_fraction_counts_only_working_days_strictly_before_today() -> None:
    march = month_period(2027, 3)  # 23 working days

    assert elapsed_fraction(march, date(2027, 2, 15), MONDAY_START) == 0
    assert elapsed_fraction(march, date(2027, 3, 1), MONDAY_START) == 0
    assert elapsed_fraction(march, date(2027, 3, 2), MONDAY_START) == Fraction(1, 23)
    # Saturday and Sunday add nothing: Monday 8th still has 5 of 23 behind it.
    assert elapsed_fraction(march, date(2027, 3, 8), MONDAY_START) == Fraction(5, 23)
    assert elapsed_fraction(march, date(2027, 4, 1), MONDAY_START) == 1
    assert elapsed_fraction(march, date(2027, 6, 1), MONDAY_START) == 1


def test_a_period_without_working_days_is_not_started_until_it_ends() -> None:
    saturday = day_period(date(2027, 3, 6))

    assert elapsed_fraction(saturday, date(2027, 3, 6), MONDAY_START) == 0
    assert elapsed_fraction(saturday, date(2027, 3, 7), MONDAY_START) == 1


@PROPERTY
@given(today=dates, later=st.integers(0, 40))
def test_elapsed_fraction_stays_between_zero_and_one_and_never_goes_back(
    today: date, later: int
) -> None:
    month = month_period(2027, 3)
    now = elapsed_fraction(month, today, MONDAY_START)

    assert 0 <= now <= 1
    assert elapsed_fraction(month, today + timedelta(days=later), MONDAY_START) >= now


def test_a_calendar_refuses_impossible_settings() -> None:
    with pytest.raises(ValueError, match="week_start"):
        WorkCalendar(week_start=7)
    with pytest.raises(ValueError, match="fiscal_year_start_month"):
        WorkCalendar(fiscal_year_start_month=13)


@pytest.mark.parametrize(
    ("day", "months"),
    [(date(1, 1, 1), -1), (date(1, 12, 31), -12), (date(9999, 12, 1), 1), (date(9999, 1, 31), 12)],
)
def test_months_beyond_the_calendar_are_a_planning_error(day, months):
    """Not an OverflowError from inside datetime: a refusal the pages can explain (400)."""
    with pytest.raises(PlanningError, match="falls outside the calendar") as caught:
        add_months(day, months)
    assert caught.value.explanation.code == "calendar.out_of_range"


def test_the_calendars_first_and_last_months_still_work():
    assert add_months(date(9999, 11, 30), 1) == date(9999, 12, 30)
    assert add_months(date(1, 2, 28), -1) == date(1, 1, 28)
    assert parse_period("9999-11", MONDAY_START).end == date(9999, 12, 1)


@pytest.mark.parametrize("label", ["9999-12", "9999-12-31", "9999"])
def test_periods_ending_after_the_calendar_are_a_bad_label_not_an_overflow(label):
    """A period's end is the day after it: after 9999-12-31 there is none."""
    with pytest.raises(PlanningError, match=f"bad period label '{label}'"):
        parse_period(label, MONDAY_START)
