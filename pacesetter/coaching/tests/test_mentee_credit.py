"""The credit a mentor's scorecard gets from their mentees: each mentee's development goals
in the period, their progress, and how many are met.

November 2026, on Monday the 16th (10 of 21 working days gone). Charlie mentors Bob since
1 October and Alice since 1 November. Bob's development goals: one event (met: he went to
one) and 100 calls (25 made: 25 %). Alice has none yet. Bob's revenue goal is not his
mentor's business, and his October goal belongs to October.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.coaching.selectors import mentee_credit
from pacesetter.coaching.services import development_goal_create, mentor_assign, mentor_end
from pacesetter.coaching.tests.conftest import NOVEMBER, TODAY
from pacesetter.conftest import make_person
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window
from pacesetter.org.models import Role

OCTOBER = Window(dt.date(2026, 10, 1), dt.date(2026, 11, 1))


def _goal(mentee, metric: str, month: int, target: int, mentor=None) -> Goal:
    return development_goal_create(
        mentee=mentee,
        metric=metric,
        period=planning.month_period(2026, month),
        target=Decimal(target),
        mentor=mentor,
        on=TODAY,
    )


@pytest.fixture
def credit_org(mentor_org, ledger):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=dt.date(2026, 10, 1))
    mentor_assign(mentor=o.charlie, mentee=o.alice, on=dt.date(2026, 11, 1))
    _goal(o.bob, "pd_events", 11, 1, mentor=o.charlie)
    _goal(o.bob, "calls_made", 11, 100)
    _goal(o.bob, "pd_events", 10, 1, mentor=o.charlie)
    Goal.objects.create(
        metric="revenue_won",
        person=o.bob,
        period_kind="month",
        period_start=NOVEMBER.start,
        period_end=NOVEMBER.end,
        target=Decimal(10000),
    )
    ledger.entry(o.bob, "pd_events", dt.date(2026, 11, 9), 1)
    ledger.activities(o.bob, "call", 25, Window(dt.date(2026, 11, 2), dt.date(2026, 11, 13)))
    ledger.done()
    return o


def test_each_mentee_with_their_development_goals_and_how_many_are_met(credit_org):
    o = credit_org
    alice, bob = mentee_credit(o.charlie.pk, NOVEMBER, TODAY)
    assert (alice.mentee, alice.goals, alice.met, alice.total) == (o.alice, (), 0, 0)
    assert alice.progress_percent is None
    assert bob.mentee == o.bob
    assert [(g.goal.metric, g.actual, g.status) for g in bob.goals] == [
        ("calls_made", Decimal(25), "behind"),  # 47 expected by today
        ("pd_events", Decimal(1), "achieved"),
    ]
    assert (bob.met, bob.total) == (1, 2)
    assert bob.progress_percent == Decimal("62.5")  # (100 % + 25 %) ÷ 2
    calls, events = (g.goal.pk for g in bob.goals)
    assert bob.agreed_with == {calls: None, events: o.charlie.pk}


def test_a_period_is_given_as_a_window_or_a_period(credit_org):
    by_period = mentee_credit(credit_org.charlie.pk, planning.month_period(2026, 11), TODAY)
    by_window = mentee_credit(credit_org.charlie.pk, NOVEMBER, TODAY)
    assert [(c.mentee, c.met, c.total) for c in by_period] == [
        (c.mentee, c.met, c.total) for c in by_window
    ]


def test_a_past_month_credits_the_mentees_of_that_month(credit_org):
    o = credit_org
    mentor_end(mentor=o.charlie, mentee=o.bob, on=dt.date(2026, 11, 10))
    [october] = mentee_credit(o.charlie.pk, OCTOBER, TODAY)
    assert (october.mentee, october.total) == (o.bob, 1)  # Alice only began in November
    assert [c.mentee for c in mentee_credit(o.charlie.pk, NOVEMBER, TODAY)] == [o.alice, o.bob]
    december = Window(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert [c.mentee for c in mentee_credit(o.charlie.pk, december, TODAY)] == [o.alice]


def test_a_mentor_role_made_in_the_admin_counts_as_ongoing(credit_org):
    o = credit_org
    Role.objects.create(person=o.dana, kind=Role.Kind.MENTOR, mentee=o.bob)
    [credit] = mentee_credit(o.dana.pk, NOVEMBER, TODAY)
    assert (credit.mentee, credit.met, credit.total) == (o.bob, 1, 2)
    assert mentee_credit(o.evan.pk, NOVEMBER, TODAY) == []


def test_the_queries_do_not_grow_with_the_mentees(credit_org, django_assert_max_num_queries):
    o = credit_org
    with django_assert_max_num_queries(12):
        mentee_credit(o.charlie.pk, NOVEMBER, TODAY)
    for i in range(6):
        mentee = make_person(f"Mentee{i} Rep")
        Role.objects.create(person=o.charlie, kind=Role.Kind.MENTOR, mentee=mentee)
        _goal(mentee, "pd_events", 11, 1)
        _goal(mentee, "calls_made", 11, 50)
    with django_assert_max_num_queries(12):
        credits = mentee_credit(o.charlie.pk, NOVEMBER, TODAY)
    assert len(credits) == 8


def test_the_mentors_scorecard_credits_each_mentee(credit_org):
    """M8: Charlie's own scorecard gets a line per mentee, worth the mentee's development
    goals' mean attainment; Alice agreed nothing this month, so her line is shown, unscored."""
    from pacesetter.coaching.selectors import (
        MENTORING_PRIORITY,
        mentor_score_lines,
        scorecards_with_mentees,
    )

    o = credit_org
    lines = mentor_score_lines([o.charlie.pk, o.evan.pk], NOVEMBER, TODAY)
    assert list(lines) == [o.charlie.pk]  # Evan mentors nobody
    alice, bob = lines[o.charlie.pk]
    assert (str(alice.label), alice.counts, alice.attainment) == (
        "Mentee Alice Adams: development goals",
        False,
        None,
    )
    assert str(alice.note) == "no development goal agreed for this period"
    assert (bob.attainment, bob.met, bob.counts) == (Decimal("62.5"), None, True)
    assert str(bob.note) == "1 of 2 development goals met" and bob.priority == MENTORING_PRIORITY

    card = scorecards_with_mentees([o.charlie.pk], planning.month_period(2026, 11), TODAY)[
        o.charlie.pk
    ]
    labels = [str(row.line.label) for row in card.main.rows]
    assert "Mentee Bob Brown: development goals" in labels
