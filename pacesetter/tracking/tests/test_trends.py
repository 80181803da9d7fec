"""Month-over-month attainment: each month's actual ÷ its goal's target, for reps and units,
from the monthly rollups in one query per metric whatever the number of reps."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter.goals.models import Goal
from pacesetter.tracking.trends import goal_trends, months_of_trend, top_priority_trends, trends

from .conftest import TODAY, at  # Monday 16 November 2026

MAY, JUN, JUL, AUG, SEP, OCT, NOV = (dt.date(2026, m, 1) for m in range(5, 12))


def goal(metric: str, target: str, start: dt.date, end: dt.date, *, person=None, unit=None,
         kind: str = "month", priority: int = 10) -> Goal:  # fmt: skip
    return Goal.objects.create(
        metric=metric, person=person, unit=unit, period_kind=kind, period_start=start,
        period_end=end, target=Decimal(target), priority=priority,
    )  # fmt: skip


def attainments(trend) -> list:
    return [p.attainment for p in trend.points]


def test_the_six_closed_months_and_the_current_one_to_date():
    assert months_of_trend(TODAY) == [MAY, JUN, JUL, AUG, SEP, OCT, NOV]
    assert months_of_trend(dt.date(2027, 1, 31), 2) == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)
    ]  # fmt: skip


def test_a_reps_monthly_attainment_with_a_quarter_goal_prorated_by_working_days(new_york, ledger):
    alice = new_york.alice
    # Q3 2026 has 66 working days: July 23, August 21, September 22.
    goal("demos_held", "66", JUL, OCT, person=alice, kind="quarter")
    goal("demos_held", "10", SEP, OCT, person=alice)  # September's own goal wins over Q3
    goal("demos_held", "20", OCT, NOV, person=alice)
    nov = goal("demos_held", "20", NOV, dt.date(2026, 12, 1), person=alice)
    ledger.activities(alice, "demo", dt.date(2026, 7, 8), 23)
    ledger.activities(alice, "demo", dt.date(2026, 9, 9), 5)
    ledger.activities(alice, "demo", dt.date(2026, 10, 14), 30)
    ledger.activities(alice, "demo", dt.date(2026, 11, 10), 8)
    ledger.activities(alice, "call", dt.date(2026, 10, 14), 7)  # another metric
    ledger.activities(new_york.bob, "demo", dt.date(2026, 10, 14), 9)  # someone else
    ledger.done()

    trend = goal_trends([nov], TODAY)[nov.pk]

    assert [p.month for p in trend.points] == [MAY, JUN, JUL, AUG, SEP, OCT, NOV]
    assert [p.target for p in trend.points] == [
        None, None, Decimal("23.00"), Decimal("21.00"), Decimal(10), Decimal(20), Decimal(20)
    ]  # fmt: skip
    assert [p.actual for p in trend.points] == [0, 0, 23, 0, 5, 30, 8]
    assert attainments(trend) == [None, None, 100, 0, 50, 150, 40]
    assert [p.to_date for p in trend.points] == [False] * 6 + [True]


def test_a_units_attainment_adds_up_its_members_at_each_months_end(new_york, ledger):
    alpha = new_york.alpha
    goal("demos_held", "40", OCT, NOV, unit=alpha)
    goal("demos_held", "40", NOV, dt.date(2026, 12, 1), unit=alpha)
    ledger.activities(new_york.alice, "demo", dt.date(2026, 10, 5), 30)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 10, 6), 10)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 6), 10)
    ledger.activities(new_york.charlie, "demo", dt.date(2026, 10, 6), 50)  # Team Beta
    ledger.done()

    found = trends([("demos_held", None, alpha.pk), ("demos_held", None, new_york.region.pk)],
                   TODAY)  # fmt: skip

    alpha_trend = found[("demos_held", None, alpha.pk)]
    assert [p.actual for p in alpha_trend.points][-2:] == [40, 10]
    assert attainments(alpha_trend)[-2:] == [100, 25]
    # The region has no goal: its actuals (both teams) but no attainment.
    region = found[("demos_held", None, new_york.region.pk)]
    assert [p.actual for p in region.points][-2:] == [90, 10]
    assert attainments(region) == [None] * 7


def test_revenue_and_close_rate_read_the_deal_rollups(new_york, ledger):
    alice = new_york.alice
    goal("revenue_won", "10000", OCT, NOV, person=alice)
    goal("close_rate", "50", OCT, NOV, person=alice)
    ledger.deal(alice, "4000", "won", dt.date(2026, 9, 1), dt.date(2026, 10, 2))
    ledger.deal(alice, "2500.50", "won", dt.date(2026, 9, 1), dt.date(2026, 10, 20))
    ledger.deal(alice, "9000", "lost", dt.date(2026, 9, 1), dt.date(2026, 10, 21))
    ledger.deal(alice, "9000", "lost", dt.date(2026, 9, 1), dt.date(2026, 10, 22))
    ledger.deal(alice, "7000", "open", dt.date(2026, 9, 1), None)
    ledger.done()

    found = trends([("revenue_won", alice.pk, None), ("close_rate", alice.pk, None)], TODAY)

    revenue = found[("revenue_won", alice.pk, None)].points[-2]
    assert (revenue.actual, revenue.attainment) == (Decimal("6500.50"), Decimal("65.0"))
    rate = found[("close_rate", alice.pk, None)].points
    assert (rate[-2].actual, rate[-2].attainment) == (Decimal("50.0"), Decimal("100.0"))
    assert rate[-1].actual is None  # nothing closed in November: no rate, no attainment


def test_top_priority_goal_picks_the_metric(new_york, ledger):
    alice, bob = new_york.alice, new_york.bob
    end = dt.date(2026, 12, 1)
    goal("demos_held", "20", NOV, end, person=alice, priority=2)
    goal("revenue_won", "10000", NOV, end, person=alice, priority=1)
    goal("calls_made", "100", NOV, end, person=bob, priority=1)
    ledger.activities(bob, "call", dt.date(2026, 11, 3), 25)
    ledger.done()

    found = top_priority_trends([alice.pk, bob.pk, new_york.charlie.pk], TODAY)

    assert {p: t.metric for p, t in found.items()} == {alice.pk: "revenue_won",
                                                     bob.pk: "calls_made"}  # fmt: skip
    assert found[bob.pk].points[-1].attainment == 25


def _queries(keys) -> int:
    with CaptureQueriesContext(connection) as ctx:
        trends(keys, TODAY)
    return len(ctx.captured_queries)


def test_one_query_per_metric_whatever_the_number_of_reps(new_york, ledger):
    people = [new_york.alice, new_york.bob, new_york.charlie, new_york.manager]
    for p in people:
        for month in (SEP, OCT, NOV):
            goal("demos_held", "10", month, dt.date(2026, month.month + 1, 1), person=p)
        ledger.activity(p, "demo", at(dt.date(2026, 10, 7), 10))
    ledger.done()
    metrics = ("demos_held", "revenue_won")
    one = _queries([(m, new_york.alice.pk, None) for m in metrics])
    many = _queries([(m, p.pk, None) for m in metrics for p in people]
                    + [(m, None, new_york.alpha.pk) for m in metrics])  # fmt: skip
    # The metrics, the settings and holidays, the goals, one per metric; units add two.
    assert one == 6
    assert many == one + 2


def test_entries_and_a_lower_is_better_median_month_by_month(new_york, ledger):
    alice = new_york.alice
    goal("pd_events", "2", OCT, NOV, person=alice)
    goal("lead_to_customer_days", "30", OCT, NOV, person=alice)
    ledger.entry(alice, "pd_events", dt.date(2026, 10, 5), "1.5")
    ledger.entry(alice, "pd_events", dt.date(2026, 10, 26), "1")
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 2), "1")
    ledger.deal(alice, "100", "won", dt.date(2026, 9, 1), dt.date(2026, 10, 11))  # 40 days
    ledger.deal(alice, "100", "won", dt.date(2026, 9, 1), dt.date(2026, 10, 21))  # 50 days
    ledger.done()

    found = trends([("pd_events", alice.pk, None), ("lead_to_customer_days", alice.pk, None)],
                   TODAY)  # fmt: skip

    events = found[("pd_events", alice.pk, None)].points
    assert (events[-2].actual, events[-2].attainment) == (Decimal("2.5"), Decimal("125.0"))
    assert events[-1].actual == 1
    days = found[("lead_to_customer_days", alice.pk, None)].points
    # Median 45 days against at most 30: target ÷ actual.
    assert (days[-2].actual, days[-2].attainment) == (Decimal(45), Decimal("66.7"))
