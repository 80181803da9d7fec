"""Realism of goals from the rep's own ledger history: exact chances worked out by hand.

November 2026 (the target month of most tests) has 21 working days. Calls are logged per
working day of each past month, so scaling a past month to November is easy to follow:
a month at one call a working day scales to 21 calls in November, at two to 42.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

from pacesetter import planning
from pacesetter.conftest import make_person, run_command
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.tests.conftest import TODAY, at, metric
from pacesetter.org.models import Membership, OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import add_months
from pacesetter.tracking.realism import goal_realism

NOV = dt.date(2026, 11, 1)


def goal(person, metric_name, start, end, target, kind="month"):
    return Goal.objects.create(
        metric=metric_name,
        person=person,
        period_kind=kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
    )


def log_calls_per_working_day(ledger, person, per_day: list[int]) -> None:
    """``per_day[i]`` calls a working day in the i-th of the 12 months before November."""
    cal = work_calendar()
    for i, rate in enumerate(per_day):
        start = add_months(NOV, i - 12)
        days = planning.working_days((start, add_months(start, 1)), cal)
        ledger.activities(person, "call", days[0], rate * len(days))


def test_three_of_twelve_months_at_the_target_is_a_25_percent_chance(ledger, new_york):
    # Nine months at one call a working day (21 in November terms), three at two (42).
    log_calls_per_working_day(ledger, new_york.alice, [1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1])
    ledger.done()
    calls = goal(new_york.alice, "calls_made", NOV, dt.date(2026, 12, 1), 30)

    result = goal_realism([calls], TODAY)[calls.pk]

    assert result.realism.probability == Fraction(3, 12)
    assert result.percent == Decimal(25)
    assert result.verdict == "realistic"
    assert result.capacity == 21
    assert [p.label for p in result.history][:2] == ["2025-11", "2025-12"]
    assert str(result.explanation) == "3 of 12 past months (scaled to 21 working days) reached 30"
    # The history is what the metric engine says for each month.
    for past in result.history:
        start = dt.date(int(past.label[:4]), int(past.label[5:]), 1)
        window = Window(start, add_months(start, 1))
        engine = person_values(metric("calls_made"), window, [new_york.alice.pk])
        assert past.value == engine[new_york.alice.pk]


def test_the_org_thresholds_flag_unlikely_and_too_easy_goals(ledger, new_york):
    log_calls_per_working_day(ledger, new_york.alice, [1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1])
    ledger.done()
    hard = goal(new_york.alice, "calls_made", NOV, dt.date(2026, 12, 1), 30)
    easy = goal(new_york.alice, "emails_sent", NOV, dt.date(2026, 12, 1), 0)

    found = goal_realism([hard, easy], TODAY)
    assert found[easy.pk].verdict == "too_easy"  # zero e-mails: every month reaches 0

    org = OrgSettings.load()
    org.realism_unlikely_below = 30
    org.save()
    assert goal_realism([hard], TODAY)[hard.pk].verdict == "unlikely"  # 25 % < 30 %


def test_a_new_hire_has_not_enough_history_and_gets_no_number(ledger, new_york):
    dave = make_person("Dave Newhire", hire=dt.date(2026, 8, 1))
    Membership.objects.create(person=dave, unit=new_york.alpha, valid_from=dt.date(2026, 8, 1))
    log_calls_per_working_day(ledger, dave, [0] * 9 + [5, 5, 5])
    ledger.done()
    calls = goal(dave, "calls_made", NOV, dt.date(2026, 12, 1), 60)

    result = goal_realism([calls], TODAY)[calls.pk]

    # August is the hire month (ramp 0): it tells nothing; September and October do.
    assert result.verdict == "not_enough_history"
    assert result.percent is None
    assert str(result.explanation) == "only 2 past months with data; 6 needed"


def test_weekly_goals_look_at_13_weeks_in_the_orgs_time_zone(ledger, new_york):
    week = planning.week_of(TODAY, work_calendar())  # Mon 16 – Sun 22 November
    past = planning.past_windows("week", week.start, week.end, 13)
    # Ten weeks of 10 demos, three of 20; every week has 5 working days, so none is scaled.
    for i, (start, _end) in enumerate(past):
        ledger.activities(new_york.bob, "demo", start, 20 if i in (2, 6, 12) else 10)
    # Late on Sunday in New York is already Monday in UTC: it counts for the week before.
    ledger.activity(new_york.bob, "demo", at(dt.date(2026, 11, 15), 23, 30))
    ledger.done()
    demos = goal(new_york.bob, "demos_held", week.start, week.end, 15, kind="week")

    result = goal_realism([demos], TODAY)[demos.pk]

    assert result.history[-1].label == "2026-W46"
    assert result.history[-1].value == 21
    assert (result.realism.met, result.realism.samples) == (3, 13)
    for p, (start, end) in zip(result.history, past, strict=True):
        engine = person_values(metric("demos_held"), Window(start, end), [new_york.bob.pk])
        assert p.value == engine[new_york.bob.pk]


def test_rates_are_judged_unscaled_month_by_month(ledger, new_york):
    # Six months: close rates 100, 50, 25, 50, 0, 100 % (won of closed).
    outcomes = [("won",), ("won", "lost"), ("won", "lost", "lost", "lost"), ("won", "lost"),
                ("lost",), ("won", "won")]  # fmt: skip
    for i, statuses in enumerate(outcomes):
        closed = add_months(NOV, i - 6) + dt.timedelta(days=9)
        for status in statuses:
            ledger.deal(new_york.charlie, "1000", status, closed - dt.timedelta(days=30), closed)
    ledger.done()
    rate = goal(new_york.charlie, "close_rate", NOV, dt.date(2026, 12, 1), 50)

    result = goal_realism([rate], TODAY)[rate.pk]

    # Months before May had nothing closed: no rate, not usable. 4 of 6 reach 50 %.
    assert result.realism.samples == 6
    assert result.realism.probability == Fraction(4, 6)
    assert str(result.explanation) == "4 of 6 past months reached 50"


def test_a_lower_is_better_goal_counts_months_within_the_target(ledger, new_york):
    # Median days from created to won: 10, 20, 30, 40, 50, 60 in the six months to October.
    for i, days in enumerate([10, 20, 30, 40, 50, 60]):
        closed = add_months(NOV, i - 6) + dt.timedelta(days=9)
        ledger.deal(new_york.alice, "500", "won", closed - dt.timedelta(days=days), closed)
    ledger.done()
    faster = goal(new_york.alice, "lead_to_customer_days", NOV, dt.date(2026, 12, 1), 30)

    result = goal_realism([faster], TODAY)[faster.pk]

    assert result.realism.probability == Fraction(3, 6)
    assert str(result.explanation) == "3 of 6 past months stayed within 30"


def test_many_reps_and_goals_cost_one_query_per_metric(
    ledger, new_york, django_assert_max_num_queries
):
    for person in (new_york.alice, new_york.bob, new_york.charlie):
        log_calls_per_working_day(ledger, person, [1] * 12)
    ledger.done()
    week = planning.week_of(TODAY, work_calendar())
    goals = []
    for person in (new_york.alice, new_york.bob, new_york.charlie):
        goals.append(goal(person, "calls_made", NOV, dt.date(2026, 12, 1), 21))
        goals.append(goal(person, "revenue_won", NOV, dt.date(2026, 12, 1), 1000))
        goals.append(goal(person, "demos_held", week.start, week.end, 3, kind="week"))
    goals = list(Goal.objects.filter(pk__in=[g.pk for g in goals]).select_related("person"))

    # Settings, calendar (settings + holidays), metrics, where the ledger starts (activities,
    # deals), then one query per metric.
    with django_assert_max_num_queries(9):
        found = goal_realism(goals, TODAY)

    assert len(found) == 9
    calls = [r for r in found.values() if r.goal.metric == "calls_made"]
    assert all(r.realism.probability == 1 for r in calls)  # 21 of 21 every month


def test_unit_goals_have_no_own_history(new_york):
    team = Goal.objects.create(
        metric="calls_made",
        unit=new_york.alpha,
        period_kind="month",
        period_start=NOV,
        period_end=dt.date(2026, 12, 1),
        target=Decimal(100),
    )
    assert goal_realism([team], TODAY) == {}


def test_the_command_lists_each_goals_chance_flagged_first(ledger, new_york):
    log_calls_per_working_day(ledger, new_york.alice, [1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1])
    ledger.done()
    goal(new_york.alice, "calls_made", NOV, dt.date(2026, 12, 1), 30)
    goal(new_york.alice, "emails_sent", NOV, dt.date(2026, 12, 1), 0)
    goal(new_york.bob, "calls_made", NOV, dt.date(2026, 12, 1), 10)

    out = json.loads(run_command("realism --period 2026-11 --today 2026-11-16 --format json"))

    assert out["thresholds"] == {"unlikely_below": 20, "too_easy_above": 90}
    assert [(g["person"], g["metric"], g["chance"], g["verdict"]) for g in out["goals"]] == [
        ("Bob Brown", "calls_made", "0 %", "unlikely"),  # no calls in twelve months
        ("Alice Adams", "emails_sent", "100 %", "too easy"),
        ("Alice Adams", "calls_made", "25 %", "realistic"),
    ]
    flagged = run_command("realism --person alice --today 2026-11-16 --flagged")
    assert "too easy" in flagged and "25 %" not in flagged
    assert flagged.splitlines()[0] == (
        # Of her two goals one is flagged; the list shows that one only.
        "2026-11 on 2026-11-16: 2 goals, 1 flagged (unlikely below 20 %, too easy above 90 %)"
    )


def test_months_before_the_ledger_begins_are_missing_data_not_zeros(ledger, new_york):
    # The org imported its CRM from May 2026: six months of history, not twelve.
    log_calls_per_working_day(ledger, new_york.alice, [0] * 6 + [1, 1, 2, 1, 1, 1])
    ledger.done()
    calls = goal(new_york.alice, "calls_made", NOV, dt.date(2026, 12, 1), 30)

    result = goal_realism([calls], TODAY)[calls.pk]

    assert result.history[0].label == "2026-05"
    assert result.realism.probability == Fraction(1, 6)
