"""Org-wide progress judged set-wise (``org_progress``) gives exactly what the per-goal
``goal_progress`` gives: every figure, status and note, on a demo org on several days, and
on any target, actual, pace clock and rule (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from pacesetter.demo.generator import build_demo
from pacesetter.demo.options import DemoOptions
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.planning.status import (
    Clock,
    Rules,
    expected_cents,
    judge_cumulative,
    judge_levels,
)
from pacesetter.tracking.org_progress import org_progress, rows_for_attention
from pacesetter.tracking.progress import (
    CUMULATIVE,
    GoalProgress,
    _Judge,
    goal_progress,
    sort_for_attention,
)
from pacesetter.tracking.selectors import goals_overlapping
from pacesetter.web.tests.conftest import ensure_metric_catalog

from .conftest import TODAY

NOV_START, NOV_END = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def _fields(p: GoalProgress) -> tuple:
    """Everything a reader of a record sees, Decimals as written (so 10 ≠ 10.00)."""
    shown = (p.actual, p.expected, p.projected, p.needed_per_day, p.attainment)
    return (
        p.goal.pk, p.metric.name, p.status, p.elapsed, p.remaining_days, p.currency,
        tuple(None if v is None else str(v) for v in shown), p.pace_percent,
        [str(n) for n in p.notes], p.assignee, p.actual_text, p.needed_text,
    )  # fmt: skip


def _same_as_goal_progress(today: dt.date, start: dt.date, end: dt.date) -> int:
    goals = goals_overlapping(start, end)  # priority order: weeks' notes in calendar order
    expected = {p.goal.pk: _fields(p) for p in goal_progress(list(goals), today)}
    table = org_progress(goals_overlapping(start, end, ordered=False), today)
    found = {p.goal.pk: _fields(p) for p in table.progress_of()}
    assert found.keys() == expected.keys()
    for pk, fields in expected.items():
        assert found[pk] == fields, pk
    rows = {r.goal_id: r for r in table.rows()}  # the same figures without model objects
    for p in table.progress_of():
        row = rows[p.goal.pk]
        assert (row.assignee, row.priority, row.goal_kind, row.target, row.attainment) == (
            p.assignee, p.goal.priority, p.goal.kind, p.target, p.attainment,
        )  # fmt: skip
        shown = (row.actual, row.expected, row.projected, row.needed_per_day)
        assert [str(v) for v in shown] == [
            str(v) for v in (p.actual, p.expected, p.projected, p.needed_per_day)
        ]
        assert (row.status, row.notes) == (p.status, p.notes)
    in_order = [p.goal.pk for p in sort_for_attention(goal_progress(list(goals), today))]
    assert [r.goal_id for r in rows_for_attention(rows.values())] == in_order
    counts = table.statuses()
    assert sum(counts.values()) == len(table) == len(expected)
    assert counts == {s: sum(f[2] == s for f in expected.values()) for s in counts}
    return len(expected)


AS_OF = dt.date(2026, 3, 18)


@pytest.mark.django_db
@pytest.mark.time_machine("2026-03-18 12:00 -04:00")
def test_a_demo_org_gets_the_same_progress_set_wise_as_goal_by_goal():
    """Every goal of the demo's months — reps' and units', plan, example, collective,
    competition and development goals, weeks, months, quarters — judged on days across a
    month: before it starts, its first working day, mid-month, a weekend, its last day,
    after its end."""
    build_demo(DemoOptions(reps=12, months=3, seed=5, as_of=AS_OF))
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    days = [dt.date(2026, 2, 27), march, dt.date(2026, 3, 2), dt.date(2026, 3, 14), AS_OF,
            dt.date(2026, 3, 31), april, dt.date(2026, 4, 6)]  # fmt: skip
    judged = [_same_as_goal_progress(day, march, april) for day in days]
    assert min(judged) > 100
    assert _same_as_goal_progress(AS_OF, dt.date(2026, 1, 1), april) > min(judged)


@pytest.mark.django_db(transaction=True)
@pytest.mark.time_machine("2026-03-18 12:00 -04:00")
def test_blocks_judged_in_two_threads_give_what_one_thread_gives(settings):
    """Outside a transaction (committed rows, as in a request or the ``progress`` command)
    a second thread with its own connection judges blocks too: the same records, in the
    same order, as one thread; and the second thread's connection is closed after."""
    ensure_metric_catalog()  # an earlier transactional test's flush may have dropped it
    build_demo(DemoOptions(reps=6, months=2, seed=7, as_of=AS_OF))
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)

    def judged() -> list[tuple]:
        table = org_progress(goals_overlapping(march, april, ordered=False), AS_OF)
        return [_fields(p) for p in table.progress_of()]

    assert not connection.in_atomic_block
    settings.PROGRESS_THREADS = 1
    alone = judged()
    settings.PROGRESS_THREADS = 2
    opened: list[object] = []
    with _connections_opened(opened):
        together = judged()
    assert together == alone and len(alone) > 20
    assert opened  # the second thread did open its own connection
    assert all(c.connection is None for c in opened)  # and closed it


def _connections_opened(opened: list[object]):
    from contextlib import contextmanager

    from django.db.backends.signals import connection_created

    @contextmanager
    def watching():
        def seen(sender, connection, **kwargs):
            opened.append(connection)

        connection_created.connect(seen, weak=False, dispatch_uid="test-threads")
        try:
            yield
        finally:
            connection_created.disconnect(dispatch_uid="test-threads")

    return watching()


def month_goal(metric: str, target: int, *, person=None, unit=None) -> Goal:
    return Goal.objects.create(
        metric=metric, person=person, unit=unit, period_kind="month",
        period_start=NOV_START, period_end=NOV_END, target=target,
    )  # fmt: skip


def test_a_missed_week_puts_its_month_at_risk_set_wise_too(new_york, ledger):
    alice = new_york.alice
    ledger.activities(alice, "email", dt.date(2026, 11, 3), 31)  # week of the 2nd: 31 of 40
    ledger.activities(alice, "email", dt.date(2026, 11, 16), 12)  # week of the 16th: 12
    ledger.done()
    month = month_goal("emails_sent", 60, person=alice)
    for start, target in ((dt.date(2026, 11, 16), 40), (dt.date(2026, 11, 2), 40)):
        Goal.objects.create(metric="emails_sent", person=alice, period_kind="week",
                            period_start=start, period_end=start + dt.timedelta(days=7),
                            target=target)  # fmt: skip
    day = dt.date(2026, 11, 24)  # both weeks missed; the month (43 of an expected 45) not
    table = org_progress(Goal.objects.all(), day)
    (record,) = table.progress_of([month.pk])
    assert record.status == "at_risk"
    assert list(map(str, record.notes)) == [
        "missed the week of 02 Nov: 31 of 40", "missed the week of 16 Nov: 12 of 40",
    ]  # fmt: skip
    assert _same_as_goal_progress(day, NOV_START, NOV_END) == 3


def test_org_wide_progress_costs_the_same_queries_for_three_reps_or_thirty(new_york, ledger):
    from pacesetter.conftest import make_person
    from pacesetter.org.models import Membership, Role

    metrics = ["revenue_won", "demos_held", "close_rate", "new_customer_coverage", "calls_made"]

    def queries(people: list) -> int:
        for p in people:
            for m in metrics:
                month_goal(m, 10, person=p)
        month_goal("calls_made", 10, unit=new_york.alpha)
        with CaptureQueriesContext(connection) as captured:
            table = org_progress(Goal.objects.all(), TODAY)
        assert len(table) == len(people) * len(metrics) + 1
        Goal.objects.all().delete()
        return len(captured)

    few = queries([new_york.alice, new_york.bob, new_york.charlie])
    more = [new_york.alice, new_york.bob, new_york.charlie]
    for i in range(27):
        rep = make_person(f"Rep{i} Extra")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=new_york.beta, valid_from=dt.date(2025, 1, 1))
        more.append(rep)
    assert queries(more) == few
    # The goals, the settings, the metrics, the calendar; the unit tree and the month's
    # memberships; then one query per metric (coverage: customers and touches, one query).
    assert few <= 6 + len(metrics) + 1, few


# --- the same rules on any numbers ----------------------------------------------------------

UNITS = [Metric.Unit.COUNT, Metric.Unit.MONEY, Metric.Unit.PERCENT]
AGGREGATIONS = [Metric.Aggregation.COUNT, Metric.Aggregation.SUM, Metric.Aggregation.RATIO]
cents = st.integers(min_value=0, max_value=10**11)


@st.composite
def judged_goals(draw: st.DrawFn) -> tuple:
    metric = Metric(
        name="m", label="m", source=Metric.Source.ACTIVITIES,
        aggregation=draw(st.sampled_from(AGGREGATIONS)), unit=draw(st.sampled_from(UNITS)),
        direction=draw(st.sampled_from(Metric.Direction.values)),
    )  # fmt: skip
    total = draw(st.integers(min_value=0, max_value=70))
    worked = draw(st.integers(min_value=0, max_value=total))
    elapsed = Fraction(worked, total) if total else Fraction(draw(st.sampled_from([0, 1])))
    remaining = draw(st.integers(min_value=0, max_value=70))
    over = draw(st.booleans())
    at_risk = draw(st.integers(min_value=1, max_value=100))
    on_track = draw(st.integers(min_value=at_risk, max_value=100))
    size = draw(st.integers(min_value=1, max_value=12))
    targets = draw(st.lists(st.one_of(cents, st.integers(0, 5000)), min_size=size, max_size=size))
    whole = metric.unit == Metric.Unit.COUNT
    # Actuals at and beside the edges: the target, and the thresholds' share of the pace.
    edges = [e for t in targets for e in (t, *(expected_cents(t, elapsed, whole) * share // 100
             for share in (on_track, at_risk, 200 - at_risk)))]  # fmt: skip
    close = st.sampled_from(edges).flatmap(lambda e: st.integers(e - 2, e + 2))
    near = st.one_of(st.none(), cents, st.integers(-500, 5000), close)
    actuals = draw(st.lists(near, min_size=size, max_size=size))
    if metric.aggregation == Metric.Aggregation.COUNT:  # counts are whole units
        actuals = [None if a is None else a // 100 * 100 for a in actuals]
    if draw(st.booleans()):  # whole-unit targets and thresholds: ties are exact
        targets = [t // 100 * 100 for t in targets]
    return metric, Clock(elapsed, remaining, over), on_track, at_risk, targets, actuals


def _decimal(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents).scaleb(-2)


@settings(max_examples=400, deadline=None)
@given(judged_goals())
def test_the_columns_judge_as_the_per_goal_judge_does(case):
    metric, clock, on_track, at_risk, targets, actuals = case
    today = dt.date(2026, 11, 16)
    end = today if clock.over else today + dt.timedelta(days=1)
    thresholds = Decimal(on_track) / 100, Decimal(at_risk) / 100
    judge = _Judge(metric, end, today, (clock.elapsed, clock.remaining), thresholds, "$")
    one_by_one = [
        judge.progress(Goal(target=_decimal(t)), _decimal(a))
        for t, a in zip(targets, actuals, strict=True)
    ]
    rules = Rules(metric.lower_is_better, metric.unit == Metric.Unit.COUNT,
                  metric.unit == Metric.Unit.MONEY, on_track, at_risk)  # fmt: skip
    if metric.aggregation in CUMULATIVE:
        paced = judge_cumulative(targets, actuals, clock, rules)
        assert paced.status == [p.status for p in one_by_one]
        whole = metric.unit == Metric.Unit.COUNT
        assert [str(p.expected) for p in one_by_one] == [
            str(Decimal(e // 100)) if whole else str(_decimal(e)) for e in paced.expected
        ]
        assert [p.projected for p in one_by_one] == list(map(_decimal, paced.projected))
        money = metric.unit == Metric.Unit.MONEY
        assert [p.needed_per_day for p in one_by_one] == [
            None if n is None else _decimal(n) if money else Decimal(n // 100) for n in paced.needed
        ]
    else:
        levels = [_decimal(a) for a in actuals]
        status = judge_levels([_decimal(t) for t in targets], levels, clock.over, rules)
        assert status == [p.status for p in one_by_one]
