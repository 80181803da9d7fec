"""Month targets per working day and week, and months summed into quarters."""

from datetime import date
from decimal import Decimal

import pytest

from pacesetter.planning import (
    WorkCalendar,
    by_quarter,
    by_week,
    by_working_day,
    day_period,
    month_period,
)

CAL = WorkCalendar()


def test_march_2027_spreads_one_thousand_dollars_over_23_working_days_earliest_first() -> None:
    # 1,000 / 23 = 43.478…: 43.47 a day is 999.81, so the first 19 days get one cent more.
    days = by_working_day(Decimal("1000"), month_period(2027, 3), CAL)

    assert len(days) == 23
    assert sum(days.values()) == Decimal("1000")
    assert days[date(2027, 3, 1)] == Decimal("43.48")
    assert days[date(2027, 3, 31)] == Decimal("43.47")
    assert list(days.values()).count(Decimal("43.48")) == 19


def test_weeks_add_up_their_working_days_including_the_part_week_at_the_end() -> None:
    weeks = by_week(Decimal("1000"), month_period(2027, 3), CAL)

    assert list(weeks) == ["2027-W09", "2027-W10", "2027-W11", "2027-W12", "2027-W13"]
    assert weeks["2027-W09"] == Decimal("217.40")  # five days at 43.48
    assert weeks["2027-W13"] == Decimal("130.41")  # Mon 29 to Wed 31 March at 43.47
    assert sum(weeks.values()) == Decimal("1000")


def test_months_add_up_into_fiscal_quarters() -> None:
    monthly = {f"2026-{m:02d}": Decimal("100") for m in range(4, 13)}
    april_year = WorkCalendar(fiscal_year_start_month=4)

    assert by_quarter(monthly, april_year) == {
        "FY2027-Q1": Decimal("300"),
        "FY2027-Q2": Decimal("300"),
        "FY2027-Q3": Decimal("300"),
    }
    assert by_quarter(monthly, CAL)["2026-Q2"] == Decimal("300")


def test_a_target_on_a_day_without_work_cannot_be_placed() -> None:
    with pytest.raises(ValueError, match="no working day"):
        by_working_day(Decimal("10"), day_period(date(2027, 3, 6)), CAL)
