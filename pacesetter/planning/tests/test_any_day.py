"""Calendar and pace properties over random "today"s, 1990 to 2100: any date must do.

Awkward days are mixed in on purpose; week starts, working weekdays (none at all included),
holidays and fiscal years vary too."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from pacesetter.planning import (
    CENT,
    Period,
    WorkCalendar,
    day_period,
    days_of,
    elapsed_fraction,
    expected_to_date,
    is_on_pace,
    is_working_day,
    month_of,
    months_of,
    parse_period,
    per_remaining_day,
    projected_end,
    quarter_of,
    quarters_of,
    to_cents,
    week_of,
    week_period,
    weeks_of,
    working_day_count,
    working_days,
)
from pacesetter.planning.calendar import fiscal_year_of, weeks_in_year

from .support import PROPERTY, cents

# Leap days (2100 is no leap year), the first and last days of years and quarters (2026
# has 53 ISO weeks), years opening on a Sunday (2034, 2023) or a Saturday (2022), and the
# days around the America/New_York clock changes of 2027 (14 March, 7 November).
_AWKWARD = """
    2028-02-29 2000-02-29 1996-02-29 2100-02-28 2100-03-01 1990-01-01 2026-01-01 2027-01-01
    2020-12-31 2026-12-31 2027-12-31 2100-12-31 2027-03-31 2027-06-30 2027-09-30 2028-03-31
    2034-01-01 2023-01-01 2022-01-01 2027-03-13 2027-03-14 2027-03-15 2027-11-06 2027-11-07
    2027-11-08
"""
AWKWARD = [date.fromisoformat(text) for text in _AWKWARD.split()]
wide = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
days = st.sampled_from(AWKWARD) | wide
week_starts = st.integers(0, 6)
fiscal_starts = st.integers(1, 12)
weekday_sets = st.frozensets(st.integers(0, 6))  # the empty set included: nobody works
MONDAY, SUNDAY = 0, 6


@st.composite
def calendars(draw: st.DrawFn, near: date | None = None) -> WorkCalendar:
    """Any week start, working weekdays and fiscal year, with holidays around ``near``."""
    around = near or draw(days)
    offsets = st.integers(-120, 400)
    holidays = draw(st.frozensets(offsets, max_size=12))
    return WorkCalendar(
        week_start=draw(week_starts),
        working_weekdays=draw(weekday_sets),
        holidays=frozenset(around + timedelta(days=o) for o in holidays),
        fiscal_year_start_month=draw(fiscal_starts),
    )


@st.composite
def periods(draw: st.DrawFn, day: date, cal: WorkCalendar) -> Period:
    """The day, week, month, quarter or fiscal year holding ``day``."""
    make = draw(st.sampled_from([day_period, month_of, week_of, quarter_of, fiscal_year_of]))
    return make(day) if make in (day_period, month_of) else make(day, cal)


def shift(day: date, n: int) -> date:
    return day + timedelta(days=n)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def assert_tiles(parts: list[Period], start: date, end: date) -> None:
    assert parts[0].start == start
    assert parts[-1].end == end
    assert all(a.end == b.start for a, b in pairwise(parts))


# --- weeks --------------------------------------------------------------------------------


@PROPERTY
@given(day=days, week_start=week_starts)
@example(day=date(2034, 1, 1), week_start=SUNDAY)
@example(day=date(2023, 1, 1), week_start=SUNDAY)
@example(day=date(2023, 1, 1), week_start=MONDAY)
@example(day=date(2028, 2, 29), week_start=SUNDAY)
@example(day=date(2027, 12, 31), week_start=MONDAY)
@example(day=date(2027, 3, 14), week_start=SUNDAY)
@example(day=date(2027, 11, 7), week_start=SUNDAY)
def test_a_week_holds_its_day_starts_on_the_week_start_and_its_label_round_trips(
    day: date, week_start: int
) -> None:
    cal = WorkCalendar(week_start=week_start)
    week = week_of(day, cal)
    week_year, number = int(week.label[:4]), int(week.label[6:])

    assert day in week
    assert (week.end - week.start).days == 7
    assert week.start.weekday() == week_start
    assert parse_period(week.label, cal) == week
    assert 1 <= number <= weeks_in_year(week_year, cal) <= 53
    assert week_period(week_year, number, cal) == week
    following = week_of(week.end, cal)
    assert following.start == week.end
    if number == weeks_in_year(week_year, cal):
        assert following.label == f"{week_year + 1:04d}-W01"
    else:
        assert following.label == f"{week_year:04d}-W{number + 1:02d}"


@PROPERTY
@given(day=days, week_start=week_starts)
@example(day=date(2034, 1, 1), week_start=SUNDAY)
@example(day=date(2022, 1, 1), week_start=SUNDAY)
@example(day=date(2020, 12, 31), week_start=MONDAY)
def test_week_one_is_the_first_week_with_four_days_in_the_new_year(
    day: date, week_start: int
) -> None:
    # An independent reading of the rule: a week belongs to the year holding most of its
    # days, and week 1 is the first such week of that year.
    week = week_of(day, WorkCalendar(week_start=week_start))
    in_start_year = sum(1 for i in range(7) if shift(week.start, i).year == week.start.year)
    owner = week.start.year if in_start_year >= 4 else week.start.year + 1
    first = next(
        d
        for d in (shift(date(owner - 1, 12, 25), i) for i in range(14))
        if d.weekday() == week_start and sum(shift(d, i).year == owner for i in range(7)) >= 4
    )

    assert week.label == f"{owner:04d}-W{(week.start - first).days // 7 + 1:02d}"
    if week_start == MONDAY:
        iso_year, iso_week, _ = day.isocalendar()
        assert week.label == f"{iso_year:04d}-W{iso_week:02d}"


# --- months, quarters, fiscal years ------------------------------------------------------


@PROPERTY
@given(day=days, start_month=fiscal_starts)
@example(day=date(2028, 2, 29), start_month=3)
@example(day=date(2000, 2, 29), start_month=2)
@example(day=date(2027, 12, 31), start_month=1)
@example(day=date(2027, 1, 1), start_month=12)
@example(day=date(2027, 3, 31), start_month=4)
@example(day=date(2100, 12, 31), start_month=7)
def test_month_quarter_and_fiscal_year_hold_the_day_tile_and_round_trip(
    day: date, start_month: int
) -> None:
    cal = WorkCalendar(fiscal_year_start_month=start_month)
    month, quarter, year = month_of(day), quarter_of(day, cal), fiscal_year_of(day, cal)

    for period, next_of in (
        (month, month_of),
        (quarter, lambda d: quarter_of(d, cal)),
        (year, lambda d: fiscal_year_of(d, cal)),
    ):
        assert day in period
        assert period.start.day == period.end.day == 1
        assert parse_period(period.label, cal) == period
        assert next_of(period.end).start == period.end
        assert next_of(shift(period.start, -1)).end == period.start
    assert (month.kind, quarter.kind, year.kind) == ("month", "quarter", "year")
    assert months_between(quarter.start, quarter.end) == 3
    assert months_between(year.start, year.end) == 12
    assert year.start.month == start_month
    assert quarter_of(quarter, cal) == quarter  # a period stands for its first day
    assert month.start <= day < month.end and year.start <= quarter.start < quarter.end <= year.end

    quarter_months = months_of(quarter)
    assert len(quarter_months) == 3
    assert_tiles(quarter_months, quarter.start, quarter.end)
    assert len(months_of(year)) == 12
    assert_tiles(months_of(year), year.start, year.end)
    year_quarters = quarters_of(year, cal)
    assert len(year_quarters) == 4
    assert_tiles(year_quarters, year.start, year.end)
    assert [q.label[-2:] for q in year_quarters] == ["Q1", "Q2", "Q3", "Q4"]
    assert quarter in year_quarters


@PROPERTY
@given(day=days, week_start=week_starts)
@example(day=date(2028, 2, 29), week_start=SUNDAY)
@example(day=date(2027, 2, 1), week_start=MONDAY)  # February 2027 is exactly four weeks
@example(day=date(2023, 1, 1), week_start=SUNDAY)
def test_the_weeks_of_a_month_cover_it_and_only_the_first_and_last_stick_out(
    day: date, week_start: int
) -> None:
    cal = WorkCalendar(week_start=week_start)
    month = month_of(day)
    weeks = weeks_of(month, cal)

    assert weeks[0].start <= month.start < weeks[0].end
    assert weeks[-1].start < month.end <= weeks[-1].end
    assert_tiles(weeks, weeks[0].start, weeks[-1].end)
    assert all(month.start <= w.start and w.end <= month.end for w in weeks[1:-1])
    assert 4 <= len(weeks) <= 6
    assert week_of(day, cal) in weeks


# --- days and working days ---------------------------------------------------------------


@PROPERTY
@given(data=st.data(), day=days)
def test_days_of_a_period_are_its_days_and_working_days_are_among_them(
    data: st.DataObject, day: date
) -> None:
    cal = data.draw(calendars(near=day))
    period = data.draw(periods(day, cal))
    listed = days_of(period)
    working = working_days(period, cal)

    assert len(listed) == (period.end - period.start).days
    assert all(d.kind == "day" and (d.end - d.start).days == 1 for d in listed)
    assert_tiles(listed, period.start, period.end)
    assert working == sorted(working)
    assert set(working) <= {d.start for d in listed}
    assert working == [d.start for d in listed if is_working_day(d.start, cal)]
    assert not set(working) & cal.holidays
    assert working_day_count(period, cal) == len(working)


@PROPERTY
@given(data=st.data(), start=days, length=st.integers(0, 800), days_off=st.integers(0, 10))
@example(data=None, start=date(2027, 3, 8), length=7, days_off=7)  # a week of holidays
@example(data=None, start=date(2027, 11, 6), length=3, days_off=0)
def test_counting_working_days_agrees_with_listing_them_on_any_span(
    data: st.DataObject | None, start: date, length: int, days_off: int
) -> None:
    # ``days_off`` consecutive holidays from ``start`` on, so whole weeks off come up too.
    cal = data.draw(calendars(near=start)) if data else WorkCalendar()
    time_off = cal.holidays | {shift(start, i) for i in range(days_off)}
    cal = WorkCalendar(cal.week_start, cal.working_weekdays, time_off)
    end = shift(start, length)
    listed = working_days((start, end), cal)

    assert working_day_count((start, end), cal) == len(listed)
    assert all(start <= d < end and is_working_day(d, cal) for d in listed)
    assert len(listed) <= max(0, length - days_off)
    if not cal.working_weekdays:
        assert listed == []


# --- elapsed fraction --------------------------------------------------------------------


def _scenario(data: st.DataObject, day: date) -> tuple[Period, WorkCalendar]:
    cal = data.draw(calendars(near=day), label="cal")
    if data.draw(st.booleans(), label="holiday week"):
        # Every day of a week off: a period (the week, or a day in it) with no working day.
        week = week_of(day, cal)
        cal = WorkCalendar(
            cal.week_start,
            cal.working_weekdays,
            cal.holidays | {d.start for d in days_of(week)},
            cal.fiscal_year_start_month,
        )
        return data.draw(st.sampled_from([week, day_period(day)]), label="period"), cal
    return data.draw(periods(day, cal), label="period"), cal


def _todays(data: st.DataObject, period: Period) -> list[date]:
    length = (period.end - period.start).days
    offset = st.integers(-15, length + 15)
    edges = st.sampled_from([0, -1, 1, length - 1, length, length + 1])
    return sorted(shift(period.start, n) for n in data.draw(st.lists(edges | offset, max_size=6)))


@PROPERTY
@given(data=st.data(), day=days)
def test_elapsed_fraction_is_the_share_of_working_days_before_today_and_only_grows(
    data: st.DataObject, day: date
) -> None:
    period, cal = _scenario(data, day)
    total = working_day_count(period, cal)
    edges = [shift(period.start, -1), period.start, period.end, shift(period.end, 1)]
    todays = sorted({*edges, *_todays(data, period)})
    fractions = [elapsed_fraction(period, today, cal) for today in todays]

    assert fractions == sorted(fractions)
    for today, fraction in zip(todays, fractions, strict=True):
        assert 0 <= fraction <= 1
        if today <= period.start:
            assert fraction == 0
        if today >= period.end:
            assert fraction == 1
        elif total == 0:
            assert fraction == 0
        else:
            done = sum(1 for d in working_days(period, cal) if d < today)
            assert fraction == Fraction(done, total)


@PROPERTY
@given(data=st.data(), day=days)
def test_each_working_day_moves_the_elapsed_fraction_by_one_share_and_other_days_not_at_all(
    data: st.DataObject, day: date
) -> None:
    cal = data.draw(calendars(near=day))
    period = data.draw(st.sampled_from([week_of(day, cal), month_of(day)]))
    total = working_day_count(period, cal)
    for d in days_of(period):
        moved = elapsed_fraction(period, d.end, cal) - elapsed_fraction(period, d.start, cal)
        if total == 0:
            # Nothing to do in the period: it is not started until it has ended.
            assert moved == (1 if d.end == period.end else 0)
        else:
            assert moved == (Fraction(1, total) if is_working_day(d.start, cal) else 0)


# --- pace --------------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), day=days, target=cents, actual=cents)
def test_expected_to_date_climbs_from_zero_to_the_target_on_any_day(
    data: st.DataObject, day: date, target: Decimal, actual: Decimal
) -> None:
    period, cal = _scenario(data, day)
    todays = sorted({period.start, *_todays(data, period), period.end})
    shares = [elapsed_fraction(period, today, cal) for today in todays]
    expected = [expected_to_date(target, share) for share in shares]

    assert expected == sorted(expected)
    assert expected[0] == 0
    assert expected[-1] == target
    for today, share, bar in zip(todays, shares, expected, strict=True):
        assert 0 <= bar <= target
        assert bar.as_tuple().exponent == -2
        assert abs(Fraction(bar) - Fraction(target) * share) <= Fraction(1, 200)
        if today >= period.end:
            assert bar == target
        assert is_on_pace(actual, bar) is (actual >= bar)
        assert is_on_pace(actual, bar, lower_is_better=True) is (actual <= bar)
        assert is_on_pace(bar, bar) and is_on_pace(bar, bar, lower_is_better=True)


@PROPERTY
@given(data=st.data(), day=days, actual=cents)
def test_the_projection_is_the_run_rate_carried_to_the_end_and_none_before_any_time_passed(
    data: st.DataObject, day: date, actual: Decimal
) -> None:
    period, cal = _scenario(data, day)
    for today in [*_todays(data, period), period.start, period.end]:
        share = elapsed_fraction(period, today, cal)
        projection = projected_end(actual, share)
        if share == 0:
            assert projection is None
            continue
        assert projection is not None
        assert projection >= actual
        # Rounded to the cent, so carried back it is within half a cent of the actual.
        assert abs(Fraction(projection) * share - Fraction(actual)) <= Fraction(1, 200)
        if share == 1:
            assert projection == actual


@PROPERTY
@given(data=st.data(), day=days, target=cents, actual=cents, lower=st.booleans())
def test_what_is_needed_per_remaining_day_covers_the_gap_and_an_allowance_never_overshoots(
    data: st.DataObject, day: date, target: Decimal, actual: Decimal, lower: bool
) -> None:
    period, cal = _scenario(data, day)
    for today in [*_todays(data, period), period.end]:
        start = min(max(today, period.start), period.end)
        left_days = working_day_count((start, period.end), cal)
        per_day = per_remaining_day(target, actual, left_days, lower_is_better=lower)
        gap = target - actual

        assert per_day >= 0 and per_day.as_tuple().exponent == -2
        if gap <= 0 or (lower and left_days == 0):
            assert per_day == 0
        elif left_days == 0:
            assert per_day == to_cents(gap)  # the whole gap, due on the last day there is
        elif lower:
            assert per_day * left_days <= gap < (per_day + CENT) * left_days
        else:
            assert (per_day - CENT) * left_days < gap <= per_day * left_days
