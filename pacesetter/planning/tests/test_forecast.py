"""Forecast of a revenue goal: won + run rate + open deals weighted by the win rate, only
those expected to close in the period; coverage = open pipeline ÷ what is still to win."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from pacesetter.planning.forecast import (
    NONE,
    OWN,
    TEAM,
    DealHistory,
    OpenDeal,
    Outlook,
    cycle_time,
    expected_close,
    forecast,
    win_rate,
)

TODAY = date(2026, 11, 18)  # a Wednesday: 9 working days left in November, today included
NOVEMBER_END = date(2026, 12, 1)


def test_the_reps_own_win_rate_once_they_closed_enough_deals() -> None:
    rate = win_rate(DealHistory(won=6, lost=4), DealHistory(won=10, lost=30))
    assert (rate.value, rate.source) == (Fraction(3, 5), OWN)
    assert str(rate.why) == "own: 6 won of 10 closed in the last 12 months"


def test_the_teams_win_rate_when_the_rep_closed_too_few() -> None:
    rate = win_rate(DealHistory(won=1, lost=2), DealHistory(won=10, lost=10))
    assert (rate.value, rate.source) == (Fraction(1, 2), TEAM)
    assert str(rate.why) == (
        "the team's: 10 won of 20 closed in the last 12 months; only 3 closed of one's own, "
        "5 needed"
    )


def test_no_win_rate_without_any_closed_deal() -> None:
    rate = win_rate(DealHistory(), DealHistory())
    assert (rate.value, rate.source) == (None, NONE)


def test_cycle_time_is_the_median_of_the_reps_wins_else_the_teams_rounded_half_up() -> None:
    assert cycle_time(DealHistory(3, 0, (10, 30, 20)), DealHistory()).days == 20
    team = cycle_time(DealHistory(1, 0, (10,)), DealHistory(4, 0, (10, 20, 31, 40)))
    assert (team.days, team.source) == (26, TEAM)  # median 25.5
    assert cycle_time(DealHistory(), DealHistory()).source == NONE


def test_a_deal_is_expected_at_its_crm_date_else_creation_plus_cycle_never_before_today() -> None:
    assert expected_close(OpenDeal(Decimal(1), date(2026, 11, 1)), 20, TODAY) == date(2026, 11, 21)
    late = OpenDeal(Decimal(1), date(2026, 9, 1))
    assert expected_close(late, 20, TODAY) == TODAY
    given = OpenDeal(Decimal(1), date(2026, 11, 1), close_date=date(2026, 12, 15))
    assert expected_close(given, 20, TODAY) == date(2026, 12, 15)
    assert expected_close(OpenDeal(Decimal(1), None), 20, TODAY) is None
    assert expected_close(OpenDeal(Decimal(1), date(2026, 11, 1)), None, TODAY) is None


def _november(won: str = "20000", projected: str | None = "40000") -> Outlook:
    return Outlook(
        today=TODAY,
        period_end=NOVEMBER_END,
        days_left=9,
        target=Decimal("50000"),
        won=Decimal(won),
        projected=None if projected is None else Decimal(projected),
    )


DEALS = [
    OpenDeal(Decimal("10000"), date(2026, 11, 1)),  # expected 21 Nov: counted
    OpenDeal(Decimal("5000"), date(2026, 10, 1)),  # expected 21 Oct, still open: counted now
    OpenDeal(Decimal("8000"), date(2026, 11, 15)),  # expected 5 Dec: after the period
    OpenDeal(Decimal("2000"), None),  # no creation day: nothing to expect
    OpenDeal(Decimal("3000"), date(2026, 6, 1), close_date=date(2026, 11, 25)),  # CRM date
]


def test_forecast_adds_won_run_rate_and_the_weighted_deals_expected_in_the_period() -> None:
    rate = win_rate(DealHistory(6, 4), DealHistory())
    cycle = cycle_time(DealHistory(3, 0, (10, 20, 30)), DealHistory())
    f = forecast(_november(), DEALS, rate, cycle)
    assert (f.won, f.run_rate) == (Decimal("20000"), Decimal("20000"))
    assert (f.counted, f.left_out, f.open_amount) == (3, 2, Decimal("18000"))
    assert f.pipeline == Decimal("10800.00")  # 18,000 × 60 %
    assert f.total == Decimal("50800.00")
    assert f.remaining == Decimal("30000")
    assert f.coverage == Fraction(3, 5) and f.coverage_ratio == Decimal("0.6")
    total, pipeline, left_out, coverage = (str(e) for e in f.explanations)
    assert total == (
        "$50,800.00 = $20,000.00 won so far + $20,000.00 more at the run rate over the 9 "
        "working days left + $10,800.00 expected from open deals"
    )
    assert pipeline.startswith(
        "$10,800.00 = $18,000.00 in 3 open deals expected to close by 30 Nov × win rate 60.0 % "
        "(own: 6 won of 10 closed in the last 12 months); a deal is expected to close on its "
        "CRM close date, else 20 days after it was created (the median of one's own 3 wins"
    )
    assert left_out.startswith("open deals left out: 2, expected to close after 30 Nov")
    assert coverage == (
        "coverage 0.6× = $18,000.00 open pipeline expected in the period ÷ $30,000.00 still "
        "to win (target $50,000.00 − $20,000.00 won)"
    )


def test_no_run_rate_before_a_working_day_has_passed_and_no_weight_without_a_rate() -> None:
    rate = win_rate(DealHistory(), DealHistory())
    cycle = cycle_time(DealHistory(3, 0, (10, 20, 30)), DealHistory())
    f = forecast(_november(won="0", projected=None), DEALS, rate, cycle)
    assert (f.run_rate, f.pipeline, f.total) == (Decimal(0), Decimal(0), Decimal(0))
    assert f.open_amount == Decimal("18000")  # coverage still counts the open deals
    assert f.coverage == Fraction(18000, 50000)


def test_nothing_to_cover_once_the_target_is_won() -> None:
    rate = win_rate(DealHistory(6, 4), DealHistory())
    cycle = cycle_time(DealHistory(), DealHistory())
    f = forecast(_november(won="52000", projected="90000"), DEALS, rate, cycle)
    assert f.coverage is None and f.remaining == 0
    # Without a cycle time only the deal with a CRM close date can be expected.
    assert (f.counted, f.pipeline) == (1, Decimal("1800.00"))
    assert str(f.explanations[-1]) == "nothing left to cover: $52,000.00 won reaches the target"
