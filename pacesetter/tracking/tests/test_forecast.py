"""A revenue goal's forecast from the ledger: the rep's own win rate and cycle time (the
team's when the rep has too little history), only deals expected in the period."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter.goals.models import Goal
from pacesetter.planning.forecast import OWN, TEAM
from pacesetter.tracking.forecast import goal_forecast
from pacesetter.tracking.progress import goal_progress

from .conftest import TODAY  # Monday 16 November 2026: 10 of 21 working days gone

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
d = dt.date


def revenue_goal(person, target="50000", metric="revenue_won") -> Goal:
    return Goal.objects.create(
        metric=metric, person=person, period_kind="month", period_start=NOV, period_end=DEC,
        target=Decimal(target),
    )  # fmt: skip


def history(ledger, new_york):
    alice, bob = new_york.alice, new_york.bob
    # Alice, the last 12 months: 3 won (20, 30 and 40 days from creation), 2 lost.
    ledger.deal(alice, "1000", "won", d(2026, 3, 1), d(2026, 3, 21))
    ledger.deal(alice, "1000", "won", d(2026, 5, 1), d(2026, 5, 31))
    ledger.deal(alice, "1000", "won", d(2026, 8, 1), d(2026, 9, 10))
    ledger.deal(alice, "1000", "lost", d(2026, 8, 1), d(2026, 9, 15))
    ledger.deal(alice, "1000", "lost", d(2026, 8, 1), d(2026, 10, 15))
    ledger.deal(alice, "9000", "lost", d(2025, 1, 1), d(2025, 6, 1))  # before the look-back
    # November so far: 10,000 won.
    ledger.deal(alice, "10000", "won", d(2026, 10, 1), d(2026, 11, 5))
    # Alice's open deals.
    ledger.deal(alice, "10000", "open", d(2026, 10, 25), None)  # expected 24 Nov
    ledger.deal(alice, "5000", "open", d(2026, 6, 1), None)  # late: may close any day
    ledger.deal(alice, "20000", "open", d(2026, 11, 10), None)  # expected 10 Dec
    # Bob, her teammate: 1 won (in 10 days), 1 lost, one open deal.
    ledger.deal(bob, "1000", "won", d(2026, 4, 1), d(2026, 4, 11))
    ledger.deal(bob, "1000", "lost", d(2026, 4, 1), d(2026, 4, 12))
    ledger.deal(bob, "7000", "open", d(2026, 11, 1), None)
    # Charlie is in another team: his history is not Bob's team's.
    for _ in range(4):
        ledger.deal(new_york.charlie, "1000", "lost", d(2026, 4, 1), d(2026, 4, 2))
    ledger.done()


def test_forecast_of_a_reps_revenue_goal_from_their_own_history(new_york, ledger):
    history(ledger, new_york)
    progress = goal_progress([revenue_goal(new_york.alice)], TODAY)[0]

    with CaptureQueriesContext(connection) as ctx:
        found = goal_forecast(progress, TODAY)

    assert found is not None
    f = found.forecast
    assert (f.rate.source, f.rate.value) == (OWN, Fraction(3, 5))
    assert (f.cycle.source, f.cycle.days) == (OWN, 30)
    assert f.won == Decimal("10000")
    assert f.run_rate == Decimal("11000.00")  # 10,000 over 10 working days, 11 days left
    assert (f.counted, f.left_out, f.open_amount) == (2, 1, Decimal("15000"))
    assert f.pipeline == Decimal("9000.00")
    assert f.total == Decimal("30000.00")
    assert found.total_text == "$30,000.00"
    assert found.coverage_text == "0.4×"  # 15,000 ÷ 40,000 still to win
    assert len(ctx.captured_queries) <= 5


def test_a_rep_with_little_history_borrows_the_teams_rate_and_cycle(new_york, ledger):
    history(ledger, new_york)
    progress = goal_progress([revenue_goal(new_york.bob, "20000")], TODAY)[0]

    f = goal_forecast(progress, TODAY).forecast

    # Team Alpha: Alice's 3 of 5 and Bob's 1 of 2; cycles 10, 20, 30, 40 → 25.
    assert (f.rate.source, f.rate.value) == (TEAM, Fraction(4, 7))
    assert (f.cycle.source, f.cycle.days) == (TEAM, 25)
    assert (f.counted, f.open_amount) == (1, Decimal("7000"))  # Bob's own deal only
    assert f.pipeline == Decimal("4000.00")  # 7,000 × 4/7
    assert f.total == Decimal("4000.00")  # nothing won yet, so no run rate


def test_a_units_goal_pools_its_members(new_york, ledger):
    history(ledger, new_york)
    g = Goal.objects.create(
        metric="revenue_won", unit=new_york.alpha, period_kind="month", period_start=NOV,
        period_end=DEC, target=Decimal("100000"),
    )  # fmt: skip
    f = goal_forecast(goal_progress([g], TODAY)[0], TODAY).forecast
    assert (f.rate.source, f.rate.value) == (OWN, Fraction(4, 7))
    assert f.open_amount == Decimal("22000")  # Alice's 15,000 and Bob's 7,000


def test_no_forecast_for_other_metrics_or_periods_not_running(new_york, ledger):
    history(ledger, new_york)
    deals = revenue_goal(new_york.alice, "5", metric="deals_won")
    assert goal_forecast(goal_progress([deals], TODAY)[0], TODAY) is None
    october = Goal.objects.create(
        metric="revenue_won", person=new_york.alice, period_kind="month",
        period_start=d(2026, 10, 1), period_end=NOV, target=Decimal("1000"),
    )  # fmt: skip
    assert goal_forecast(goal_progress([october], TODAY)[0], TODAY) is None
