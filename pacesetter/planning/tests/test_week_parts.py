"""A week cut where a month begins: weekly numbers count in the month they happened in."""

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from pacesetter.planning import WorkCalendar, month_of, week_of, week_part_of, week_parts

from .support import PROPERTY, dates

MONDAY_START = WorkCalendar()
SUNDAY_START = WorkCalendar(week_start=6)


def test_a_week_inside_one_month_is_one_part() -> None:
    week = week_of(date(2026, 12, 9), MONDAY_START)
    assert week_parts(week) == [(date(2026, 12, 7), date(2026, 12, 14))]


def test_the_week_of_30_november_2026_is_monday_in_november_and_the_rest_in_december() -> None:
    week = week_of(date(2026, 12, 6), MONDAY_START)
    assert week_parts(week) == [
        (date(2026, 11, 30), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2026, 12, 7)),
    ]
    assert week_part_of(date(2026, 11, 30), MONDAY_START) == (date(2026, 11, 30), date(2026, 12, 1))
    assert week_part_of(date(2026, 12, 6), MONDAY_START) == (date(2026, 12, 1), date(2026, 12, 7))


def test_with_sunday_weeks_the_new_year_cuts_the_week_of_27_december_2026() -> None:
    week = week_of(date(2027, 1, 1), SUNDAY_START)
    assert week_parts(week) == [
        (date(2026, 12, 27), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 1, 3)),
    ]


def test_a_leap_day_week_is_cut_on_1_march() -> None:
    assert week_part_of(date(2028, 2, 29), MONDAY_START) == (date(2028, 2, 28), date(2028, 3, 1))


@given(day=dates, week_start=st.integers(0, 6))
@example(day=date(2028, 2, 29), week_start=0)
@example(day=date(2027, 12, 31), week_start=6)
@PROPERTY
def test_parts_tile_the_week_and_each_lies_in_one_month(day: date, week_start: int) -> None:
    cal = WorkCalendar(week_start=week_start)
    week = week_of(day, cal)
    parts = week_parts(week)
    assert parts[0][0] == week.start and parts[-1][1] == week.end
    assert all(a[1] == b[0] for a, b in pairwise(parts))
    assert 1 <= len(parts) <= 2
    for start, end in parts:
        assert start < end and month_of(start) == month_of(end - timedelta(days=1))
    first, end = week_part_of(day, cal)
    assert (first, end) in parts and first <= day < end
