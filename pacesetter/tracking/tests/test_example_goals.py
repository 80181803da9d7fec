"""The ten example goals (G1–G10), each measured on a small ledger worked out by hand."""

import datetime as dt
from decimal import Decimal

from pacesetter.metrics.engine import Window, person_values, unit_values
from pacesetter.org.selectors import work_calendar
from pacesetter.org.services import membership_move
from pacesetter.tracking.habits import streaks
from pacesetter.tracking.leaderboard import leaderboard

from .conftest import TODAY, at, metric

NOV = Window(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
Q4 = Window(dt.date(2026, 10, 1), dt.date(2027, 1, 1))


def test_g1_revenue_won_sums_won_deals_by_close_date(new_york, ledger):
    alice = new_york.alice
    ledger.deal(alice, "1000.00", "won", dt.date(2026, 10, 20), dt.date(2026, 11, 3))
    ledger.deal(alice, "2500.50", "won", dt.date(2026, 11, 2), dt.date(2026, 11, 12))
    ledger.deal(alice, "499.50", "won", dt.date(2026, 9, 1), dt.date(2026, 11, 30))
    ledger.deal(alice, "9999.00", "lost", dt.date(2026, 10, 1), dt.date(2026, 11, 5))
    ledger.deal(alice, "7777.00", "open", dt.date(2026, 11, 5), None)
    ledger.deal(alice, "300.00", "won", dt.date(2026, 10, 1), dt.date(2026, 10, 31))  # October
    ledger.done()

    # $1,000 + $2,500.50 + $499.50; the lost, the open and October's deal do not count.
    assert person_values(metric("revenue_won"), NOV, [alice.pk]) == {alice.pk: Decimal("4000.00")}
    # The same from the ledger for a non-month window (first half of November: $3,500.50).
    half = Window(dt.date(2026, 11, 1), dt.date(2026, 11, 16))
    assert person_values(metric("revenue_won"), half, [alice.pk])[alice.pk] == Decimal("3500.50")
    assert person_values(metric("deals_won"), NOV, [alice.pk])[alice.pk] == 3


def test_g2_demos_held_per_week_and_per_day(new_york, ledger):
    alice = new_york.alice
    ledger.activities(alice, "demo", dt.date(2026, 11, 10), 2)  # Tuesday, week of the 9th
    ledger.activities(alice, "demo", dt.date(2026, 11, 13), 1)  # Friday, same week
    ledger.activities(alice, "demo", dt.date(2026, 11, 16), 4)  # next week
    ledger.activities(alice, "call", dt.date(2026, 11, 10), 5)  # not demos
    ledger.done()
    demos = metric("demos_held")
    week = Window(dt.date(2026, 11, 9), dt.date(2026, 11, 16))
    day = Window(dt.date(2026, 11, 10), dt.date(2026, 11, 11))
    assert person_values(demos, week, [alice.pk])[alice.pk] == 3
    assert person_values(demos, day, [alice.pk])[alice.pk] == 2
    assert person_values(demos, NOV, [alice.pk])[alice.pk] == 7


def test_a_late_evening_in_new_york_counts_for_that_day_not_the_utc_one(new_york, ledger):
    alice = new_york.alice
    # 22:00 on Monday 30 November in New York is 03:00 on 1 December in UTC.
    ledger.activity(alice, "demo", at(dt.date(2026, 11, 30), 22))
    ledger.done()
    demos = metric("demos_held")
    assert person_values(demos, NOV, [alice.pk])[alice.pk] == 1  # from the rollups
    last_day = Window(dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    assert person_values(demos, last_day, [alice.pk])[alice.pk] == 1  # from the ledger
    december = Window(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert person_values(demos, december, [alice.pk])[alice.pk] == 0


def test_g3_close_rate_is_won_over_closed_in_the_period(new_york, ledger):
    alice, bob = new_york.alice, new_york.bob
    for status in ("won", "won", "won", "lost"):
        ledger.deal(alice, "100", status, dt.date(2026, 10, 1), dt.date(2026, 11, 9))
    ledger.deal(alice, "100", "open", dt.date(2026, 11, 1), None)  # not closed: not counted
    ledger.deal(bob, "100", "lost", dt.date(2026, 10, 1), dt.date(2026, 11, 9))
    ledger.done()
    rate = metric("close_rate")
    assert person_values(rate, NOV, [alice.pk, bob.pk, new_york.charlie.pk]) == {
        alice.pk: Decimal("75.0"),
        bob.pk: Decimal("0.0"),
        new_york.charlie.pk: None,  # closed nothing: no rate
    }
    # Team Alpha: 3 won of 5 closed — not the average of 75 % and 0 %.
    assert unit_values(rate, NOV, [new_york.alpha.pk])[new_york.alpha.pk] == Decimal("60.0")


def test_g4_new_customers_touched_in_every_window(new_york, ledger):
    alice = new_york.alice
    touched = ledger.account(alice, acquired=dt.date(2026, 7, 15))
    forgotten = ledger.account(alice, acquired=dt.date(2026, 9, 1))
    ledger.account(alice, acquired=dt.date(2026, 3, 1))  # more than 6 months ago: not new
    ledger.account(alice, acquired=None)  # a prospect
    ledger.activity(alice, "call", at(dt.date(2026, 11, 3), 11), account=touched)
    ledger.activity(alice, "article", at(dt.date(2026, 11, 4), 11), account=forgotten)
    ledger.done()
    coverage = metric("new_customer_coverage")
    # Monthly window, month over: one of the two new customers was touched (an article is
    # not a touch).
    end_of_month = dt.date(2026, 12, 1)
    values = person_values(coverage, NOV, [alice.pk], as_of=end_of_month)
    assert values[alice.pk] == Decimal("50.0")
    # Every two weeks: the touch on the 3rd covers Nov 1–14 but not Nov 15–28.
    coverage.filters = {"recent_months": 6, "window": "two_weeks"}
    values = person_values(coverage, NOV, [alice.pk], as_of=end_of_month)
    assert values[alice.pk] == Decimal("0.0")


def test_g5_articles_shared_each_week_and_the_streak(new_york, ledger):
    alice, bob = new_york.alice, new_york.bob
    for monday in (dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9)):
        ledger.activity(alice, "article", at(monday + dt.timedelta(days=2), 9))
    ledger.activity(bob, "article", at(dt.date(2026, 11, 4), 9))  # skipped the week of the 9th
    ledger.done()
    articles = metric("articles_shared")
    cal = work_calendar()
    # Monday 16th: this week not met yet, which does not break the streak.
    assert streaks(articles, [alice.pk, bob.pk], 1, TODAY, cal) == {alice.pk: 3, bob.pk: 0}
    week = Window(dt.date(2026, 11, 9), dt.date(2026, 11, 16))
    assert person_values(articles, week, [alice.pk, bob.pk]) == {alice.pk: 1, bob.pk: 0}


def test_g6_retention_keeps_customers_at_the_start(new_york, ledger):
    alice = new_york.alice
    for _ in range(3):
        ledger.account(alice, acquired=dt.date(2025, 5, 1))
    ledger.account(alice, acquired=dt.date(2025, 5, 1), churned=dt.date(2026, 11, 10))
    ledger.account(alice, acquired=dt.date(2025, 5, 1), churned=dt.date(2026, 10, 10))  # gone
    ledger.account(alice, acquired=dt.date(2026, 11, 5))  # new this month: not at the start
    ledger.done()
    retention = metric("retention_rate")
    # Four customers on 1 November, three still customers at the end.
    values = person_values(retention, NOV, [alice.pk], as_of=dt.date(2026, 12, 1))
    assert values[alice.pk] == Decimal("75.0")
    # On the 9th nobody had churned yet.
    values = person_values(retention, NOV, [alice.pk], as_of=dt.date(2026, 11, 9))
    assert values[alice.pk] == Decimal("100.0")


def test_g7_lead_to_customer_time_is_the_median_of_won_deals(new_york, ledger):
    alice = new_york.alice
    for days in (10, 20, 40):
        ledger.deal(
            alice, "1", "won", dt.date(2026, 11, 25) - dt.timedelta(days), dt.date(2026, 11, 25)
        )
    ledger.deal(alice, "1", "lost", dt.date(2026, 1, 1), dt.date(2026, 11, 25))  # lost: no
    ledger.done()
    lead_time = metric("lead_to_customer_days")
    assert lead_time.lower_is_better
    assert person_values(lead_time, NOV, [alice.pk])[alice.pk] == Decimal("20")


def test_g8_development_events_come_from_weekly_entries(new_york, ledger):
    alice = new_york.alice
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 2), "1")
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 23), "1")
    # The week of 26 October straddles two months: its October part counts in October, the
    # part from 1 November in November.
    ledger.entry(alice, "pd_events", dt.date(2026, 10, 26), "1")
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 1), "2")
    ledger.entry(alice, "calls_logged", dt.date(2026, 11, 2), "40")  # another metric
    ledger.done()
    assert person_values(metric("pd_events"), NOV, [alice.pk])[alice.pk] == 4


def test_g9_meetings_booked_ranked_within_the_team_with_ties(new_york, ledger):
    ledger.activities(new_york.alice, "meeting_booked", dt.date(2026, 11, 3), 5)
    ledger.activities(new_york.bob, "meeting_booked", dt.date(2026, 11, 4), 7)
    ledger.activities(new_york.charlie, "meeting_booked", dt.date(2026, 11, 4), 9)  # other team
    ledger.done()
    board = leaderboard(metric("meetings_booked"), [new_york.alpha.pk], NOV, as_of=TODAY)
    assert [(s.rank, s.person.full_name, s.value) for s in board] == [
        (1, "Bob Brown", 7),
        (2, "Alice Adams", 5),
    ]
    ledger.activities(new_york.alice, "meeting_booked", dt.date(2026, 11, 5), 2)
    ledger.done()
    board = leaderboard(metric("meetings_booked"), [new_york.alpha.pk], NOV, as_of=TODAY)
    assert [(s.rank, s.tied) for s in board] == [(1, True), (1, True)]


def test_g10_enterprise_demos_this_quarter(new_york, ledger):
    alice = new_york.alice
    big = ledger.account(alice, acquired=None, segment="enterprise")
    small = ledger.account(alice, acquired=None, segment="smb")
    for day in (dt.date(2026, 10, 6), dt.date(2026, 11, 10), dt.date(2026, 12, 1)):
        ledger.activity(alice, "demo", at(day, 14), account=big)
    ledger.activity(alice, "demo", at(dt.date(2026, 11, 11), 14), account=small)
    ledger.activity(alice, "call", at(dt.date(2026, 11, 11), 15), account=big)
    ledger.done()
    assert person_values(metric("enterprise_demos"), Q4, [alice.pk])[alice.pk] == 3
    assert person_values(metric("demos_held"), Q4, [alice.pk])[alice.pk] == 4


def test_a_rep_who_moved_counts_for_the_old_team_before_and_the_new_one_after(new_york, ledger):
    bob = new_york.bob
    ledger.activities(bob, "call", dt.date(2026, 11, 10), 3)  # in Alpha
    ledger.activities(bob, "call", dt.date(2026, 11, 20), 4)  # in Beta (moved on the 16th)
    ledger.activities(new_york.alice, "call", dt.date(2026, 11, 20), 1)
    ledger.activities(new_york.charlie, "call", dt.date(2026, 11, 20), 2)
    ledger.done()
    membership_move(person=bob, to_unit=new_york.beta, on=dt.date(2026, 11, 16))
    calls = metric("calls_made")
    teams = [new_york.alpha.pk, new_york.beta.pk, new_york.region.pk]
    assert unit_values(calls, NOV, teams) == {
        new_york.alpha.pk: 3 + 1,
        new_york.beta.pk: 4 + 2,
        new_york.region.pk: 10,  # the region holds both teams: Bob counted once
    }


def test_many_people_at_once_are_filtered_after_a_period_wide_scan(new_york, ledger):
    ledger.activities(new_york.alice, "call", dt.date(2026, 11, 10), 2)
    ledger.activities(new_york.bob, "call", dt.date(2026, 11, 10), 5)
    ledger.done()
    many = [new_york.alice.pk, *range(10_000, 10_300)]  # more than an IN list should carry
    week = Window(dt.date(2026, 11, 9), dt.date(2026, 11, 16))
    values = person_values(metric("calls_made"), week, many)
    assert values[new_york.alice.pk] == 2
    assert new_york.bob.pk not in values  # not asked for
    assert len(values) == len(many)
