"""Progress: pace by working days, status thresholds, lower-is-better, weekly roll-up,
and a dashboard's worth of goals in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.goals.models import Goal
from pacesetter.ledger.models import ActivityMonth, DealMonth
from pacesetter.ledger.rollups import RollupDeltas, rebuild
from pacesetter.org.models import Holiday
from pacesetter.tracking.progress import (
    ACHIEVED,
    AT_RISK,
    BEHIND,
    ON_TRACK,
    goal_progress,
    sort_for_attention,
)

from .conftest import TODAY

NOV_START, NOV_END = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def goal(person, metric: str, target: str, *, start=NOV_START, end=NOV_END, kind="month",
         unit=None) -> Goal:  # fmt: skip
    return Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        period_kind=kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
    )


def progress_of(g: Goal, today=TODAY):
    return goal_progress([g], today)[0]


@pytest.mark.parametrize(
    ("demos", "status"),
    [
        (21, ACHIEVED),  # the whole month's target already
        (10, ON_TRACK),  # 10 expected after 10 of 21 working days (target 21)
        (8, AT_RISK),  # 80 % of expected: under 95 %, at least 75 %
        (7, BEHIND),  # 70 % of expected
    ],
)
def test_status_compares_actual_with_the_working_day_pace(new_york, ledger, demos, status):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), demos)
    ledger.done()
    p = progress_of(goal(new_york.alice, "demos_held", "21"))
    assert p.status == status
    assert p.expected == Decimal("10.00")  # 21 × 10/21
    assert p.remaining_days == 11  # the 16th to the 30th


def test_projection_needed_per_day_and_attainment(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 8)
    ledger.done()
    p = progress_of(goal(new_york.alice, "demos_held", "21"))
    assert p.actual == 8
    assert p.attainment == Decimal("38.1")
    assert p.projected == Decimal("16.80")  # 8 ÷ 10/21
    assert p.needed_per_day == 2  # 13 more over 11 days: 1.18 → 2 a day
    assert p.pace_percent == Decimal("47.6")


def test_holidays_are_not_working_days(new_york, ledger):
    Holiday.objects.create(date=dt.date(2026, 11, 26), name="Thanksgiving")
    p = progress_of(goal(new_york.alice, "demos_held", "20"))
    assert p.expected == Decimal("10.00")  # 10 of 20 working days
    assert p.remaining_days == 10


def test_money_needed_per_day_is_in_cents(new_york, ledger):
    ledger.deal(new_york.alice, "1000", "won", dt.date(2026, 11, 2), dt.date(2026, 11, 3))
    ledger.done()
    p = progress_of(goal(new_york.alice, "revenue_won", "12000"))
    assert p.needed_per_day == Decimal("1000.00")  # 11,000 over 11 days


def test_a_month_that_is_over_and_missed_is_behind(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 20)
    ledger.done()
    assert (
        progress_of(goal(new_york.alice, "demos_held", "21"), dt.date(2026, 12, 1)).status == BEHIND
    )


def test_lower_is_better_compares_against_the_target_itself(new_york, ledger):
    for days in (10, 20, 40):
        ledger.deal(new_york.alice, "1", "won", dt.date(2026, 11, 12) - dt.timedelta(days),
                    dt.date(2026, 11, 12))  # fmt: skip
    ledger.done()
    lead_time = goal(new_york.alice, "lead_to_customer_days", "30")
    quick = progress_of(lead_time)
    assert (quick.actual, quick.status, quick.expected) == (20, ON_TRACK, 30)
    assert quick.attainment == Decimal("150.0")  # 30 ÷ 20
    lead_time.target = Decimal("18")
    assert progress_of(lead_time).status == AT_RISK  # 20 days: within 125 % of 18
    lead_time.target = Decimal("10")
    assert progress_of(lead_time).status == BEHIND
    lead_time.target = Decimal("30")
    assert progress_of(lead_time, NOV_END).status == ACHIEVED
    # Bob won nothing: no lead time at all, and the month is over.
    assert progress_of(goal(new_york.bob, "lead_to_customer_days", "30"), NOV_END).status == BEHIND


def test_a_missed_week_puts_its_month_at_risk_while_it_can_be_saved(new_york, ledger):
    alice = new_york.alice
    ledger.activities(alice, "email", dt.date(2026, 11, 3), 31)  # week of the 2nd: 31 of 40
    ledger.activities(alice, "email", dt.date(2026, 11, 10), 50)  # week of the 9th: met
    ledger.done()
    month = goal(alice, "emails_sent", "160")
    weeks = [
        goal(alice, "emails_sent", "40", start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 9),
             kind="week"),
        goal(alice, "emails_sent", "40", start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 16),
             kind="week"),
    ]  # fmt: skip
    results = {p.goal.pk: p for p in goal_progress([month, *weeks], TODAY)}
    # 81 of an expected 76.19: on pace for the month, but a week was missed.
    assert results[month.pk].status == AT_RISK
    assert list(map(str, results[month.pk].notes)) == ["missed the week of 02 Nov: 31 of 40"]
    assert results[month.pk].needed_per_day == 8  # (160 − 81) ÷ 11 → 7.2 → 8
    assert results[weeks[0].pk].status == BEHIND
    assert results[weeks[1].pk].status == ACHIEVED


def test_unit_goals_use_the_members(new_york, ledger):
    ledger.activities(new_york.alice, "call", dt.date(2026, 11, 4), 30)
    ledger.activities(new_york.bob, "call", dt.date(2026, 11, 4), 20)
    ledger.activities(new_york.charlie, "call", dt.date(2026, 11, 4), 99)
    ledger.done()
    p = progress_of(goal(None, "calls_made", "100", unit=new_york.alpha))
    assert (p.actual, p.assignee) == (50, "Team Alpha")


def test_attention_order_puts_the_furthest_behind_first(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 7)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 5), 2)
    ledger.activities(new_york.charlie, "demo", dt.date(2026, 11, 5), 30)
    ledger.done()
    goals = [goal(p, "demos_held", "21") for p in (new_york.alice, new_york.bob, new_york.charlie)]
    ordered = sort_for_attention(goal_progress(goals, TODAY))
    assert [p.assignee for p in ordered] == ["Bob Brown", "Alice Adams", "Charlie Chen"]


def test_attention_order_does_not_depend_on_the_order_goals_were_loaded_in(new_york, ledger):
    """Org-wide reports load goals unordered (sorting 20,000 rows in the database cost more
    than finding them) and sort by attention; equal standing falls back to priority order."""
    from pacesetter.tracking.selectors import goals_overlapping

    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 2)
    ledger.done()
    for metric, priority in (("demos_held", 3), ("calls_made", 1), ("emails_sent", 2)):
        g = goal(new_york.alice, metric, "0")  # all three achieved at 100 %: a tie
        Goal.objects.filter(pk=g.pk).update(priority=priority)
    ordered = list(goals_overlapping(NOV_START, NOV_END))
    unordered = list(goals_overlapping(NOV_START, NOV_END, ordered=False).order_by("-id"))
    assert [g.metric for g in ordered] == ["calls_made", "emails_sent", "demos_held"]
    first = sort_for_attention(goal_progress(ordered, TODAY))
    second = sort_for_attention(goal_progress(unordered, TODAY))
    assert [p.goal.pk for p in first] == [p.goal.pk for p in second]
    assert [p.goal.metric for p in first] == ["calls_made", "emails_sent", "demos_held"]


METRICS = ["revenue_won", "demos_held", "close_rate", "lead_to_customer_days", "pd_events",
           "new_customer_coverage", "retention_rate", "enterprise_demos", "calls_made"]  # fmt: skip


def _dashboard_queries(people, units) -> int:
    goals = [goal(p, m, "10") for p in people for m in METRICS]
    goals += [goal(None, m, "10", unit=u) for u in units for m in METRICS]
    fresh = list(Goal.objects.filter(pk__in=[g.pk for g in goals]).select_related("person", "unit"))
    with CaptureQueriesContext(connection) as queries:
        goal_progress(fresh, TODAY)
    Goal.objects.all().delete()
    return len(queries)


def test_a_dashboard_costs_the_same_queries_for_three_reps_or_thirty(new_york, ledger):
    from pacesetter.conftest import make_person
    from pacesetter.org.models import Membership, Role

    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 3)
    ledger.done()
    few = _dashboard_queries([new_york.alice, new_york.bob, new_york.charlie], [new_york.alpha])
    more_people = [new_york.alice, new_york.bob, new_york.charlie]
    for i in range(27):
        rep = make_person(f"Rep{i} Extra")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=new_york.beta, valid_from=dt.date(2025, 1, 1))
        more_people.append(rep)
    many = _dashboard_queries(
        more_people, [new_york.alpha, new_york.beta, new_york.region, new_york.company]
    )
    assert many == few, (few, many)
    # The settings, the calendar and the metrics; the unit tree and the memberships of the
    # month; then per metric one query for the people and one for the units' members.
    # (Coverage reads customers, then their touches: one more on each side.)
    assert few <= 6 + 2 * len(METRICS) + 2, few


def test_rollups_kept_by_deltas_match_a_rebuild_from_the_ledger(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 3)
    ledger.deal(new_york.bob, "150.25", "won", dt.date(2026, 11, 1), dt.date(2026, 11, 20))
    ledger.done()
    deltas = RollupDeltas()
    moved = ledger.activity(new_york.alice, "demo", dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC))
    deltas.activity(new_york.alice.pk, moved.occurred_at, "demo", "")  # 30 Nov in New York
    deal = ledger.deal(new_york.bob, "99.99", "won", dt.date(2026, 11, 1), dt.date(2026, 11, 21))
    deltas.deal(new_york.bob.pk, "won", deal.closed_on, 9999, "")
    deltas.flush()
    incremental = (
        set(ActivityMonth.objects.values_list("person", "month", "kind", "segment", "count")),
        set(DealMonth.objects.values_list("person", "month", "status", "count", "amount")),
    )
    rebuild()
    rebuilt = (
        set(ActivityMonth.objects.values_list("person", "month", "kind", "segment", "count")),
        set(DealMonth.objects.values_list("person", "month", "status", "count", "amount")),
    )
    assert incremental == rebuilt
    assert (new_york.alice.pk, NOV_START, "demo", "", 4) in rebuilt[0]
    assert (new_york.bob.pk, NOV_START, "won", 2, Decimal("250.24")) in rebuilt[1]


def test_rollups_go_down_when_rows_are_removed_and_refuse_to_go_below_nothing(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 3)
    ledger.deal(new_york.bob, "100.00", "won", dt.date(2026, 11, 1), dt.date(2026, 11, 20))
    ledger.done()
    deltas = RollupDeltas()
    deltas.activity(new_york.alice.pk, dt.datetime(2026, 11, 5, 15, tzinfo=dt.UTC), "demo", "", -1)
    deltas.deal(new_york.bob.pk, "won", dt.date(2026, 11, 20), -2500, "")  # amount corrected
    deltas.flush()
    assert ActivityMonth.objects.get(person=new_york.alice).count == 2
    assert DealMonth.objects.get(person=new_york.bob).amount == Decimal("75.00")
    deltas.activity(
        new_york.charlie.pk, dt.datetime(2026, 11, 5, 15, tzinfo=dt.UTC), "demo", "", -1
    )
    with pytest.raises(ValueError, match="rollups disagree with the ledger"):
        deltas.flush()


def test_a_weekly_habit_of_one_is_not_behind_before_the_week_is_out(new_york, ledger):
    week = goal(new_york.alice, "articles_shared", "1", start=dt.date(2026, 11, 16),
                end=dt.date(2026, 11, 23), kind="week")  # fmt: skip
    thursday = progress_of(week, dt.date(2026, 11, 19))
    assert (thursday.expected, thursday.status) == (0, ON_TRACK)  # 3/5 of an article is 0
    assert progress_of(week, dt.date(2026, 11, 23)).status == BEHIND


def test_goals_loaded_without_their_people_get_them_in_two_queries(new_york, ledger):
    """The org-wide dashboard loads goals without joining people (twenty thousand goal rows
    for two thousand people); progress fetches each person and unit once, and reading the
    names afterwards costs nothing."""
    from pacesetter.tracking.selectors import goals_overlapping

    goal(new_york.alice, "demos_held", "10")
    goal(new_york.bob, "demos_held", "10")
    goal(new_york.alice, "calls_made", "10")
    goal(None, "demos_held", "20", unit=new_york.alpha)
    goals = list(goals_overlapping(dt.date(2026, 11, 1), dt.date(2026, 12, 1)))
    results = goal_progress(goals, TODAY)
    with CaptureQueriesContext(connection) as queries:
        names = sorted(r.assignee for r in results)
    assert names == ["Alice Adams", "Alice Adams", "Bob Brown", "Team Alpha"]
    assert len(queries) == 0


@given(
    target=st.decimals(min_value=0, max_value=10**9, places=2),
    worked=st.integers(min_value=0, max_value=260),
    extra=st.integers(min_value=0, max_value=260),
)
def test_pace_arithmetic_matches_the_planning_functions(target, worked, extra):
    """Progress scales targets in plain Decimal arithmetic for speed; it must give exactly
    the cents that ``planning.expected_to_date`` and ``projected_end`` give."""
    from fractions import Fraction

    from pacesetter import planning
    from pacesetter.tracking.progress import _scaled

    total = worked + extra
    if total == 0:
        return
    share = Fraction(worked, total)
    assert _scaled(target, share.numerator, share.denominator) == planning.expected_to_date(
        target, share
    )
    if worked:
        assert _scaled(target, share.denominator, share.numerator) == planning.projected_end(
            target, share
        )


def test_many_people_are_readby_id_range_and_only_the_ones_asked_for(db):
    """Past 200 dense ids, people are read as an id range (not an IN list of thousands) —
    and still exactly the ones asked for; sparse ids keep the IN list."""
    from pacesetter.org.models import Person
    from pacesetter.tracking.selectors import by_id

    people = Person.objects.bulk_create(
        Person(full_name=f"Rep {i}", email=f"rep{i}@example.com") for i in range(260)
    )
    ids = sorted(p.pk for p in people)
    wanted = set(ids[:250]) - {ids[7]}  # dense, with a hole
    with CaptureQueriesContext(connection) as queries:
        found = by_id(Person.objects.all(), wanted)
    assert set(found) == wanted and all(found[i].pk == i for i in wanted)
    assert " IN (" not in queries[0]["sql"]
    sparse = {ids[0], ids[-1]}
    assert set(by_id(Person.objects.all(), sparse)) == sparse
    assert by_id(Person.objects.all(), set()) == {}


def test_the_garbage_collector_is_paused_only_while_progress_is_built(new_york, ledger):
    """goal_progress pauses cyclic collection for speed and always gives it back — also when
    it was already off, and when the computation fails."""
    import gc

    goal(new_york.alice, "demos_held", "10")
    goals = list(Goal.objects.all())
    assert gc.isenabled()
    goal_progress(goals, TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        goal_progress(goals, TODAY)
        assert not gc.isenabled()  # a caller who turned it off keeps it off
    finally:
        gc.enable()
    broken = goal(new_york.bob, "no_such_metric", "1")
    with pytest.raises(ValueError, match="unknown metric"):
        goal_progress([broken], TODAY)
    assert gc.isenabled()
