"""Development goals agreed with a mentor (M8, G8: one professional-development event a
month), and what a mentor sees of their mentee: the development goals, nothing else."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.coaching.models import GoalAgreement
from pacesetter.coaching.services import MentorError, development_goal_create, mentor_assign
from pacesetter.coaching.tests.conftest import TODAY
from pacesetter.goals.access import visible_scope
from pacesetter.goals.models import Goal

NOVEMBER = planning.month_period(2026, 11)


def test_a_mentor_agrees_a_development_goal_with_the_mentee(mentor_org):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY)
    goal = development_goal_create(
        mentee=o.bob,
        metric="pd_events",
        period=NOVEMBER,
        target=Decimal(1),
        mentor=o.charlie,
        note="one event a month",
        on=TODAY,
        by=o.charlie.user,
    )
    assert (goal.kind, goal.metric, goal.person, goal.period_kind) == (
        "development",
        "pd_events",
        o.bob,
        "month",
    )
    assert (goal.period_start, goal.period_end, goal.target) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        Decimal(1),
    )
    assert (goal.priority, goal.note) == (5, "one event a month")
    assert goal.agreement.mentor == o.charlie and goal.agreement.agreed_on == TODAY
    [change] = goal.history.all()
    assert (change.new_target, change.reason) == (
        Decimal(1),
        "development goal agreed with Charlie Chen",
    )


def test_agreeing_again_changes_the_target_with_history(mentor_org):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY)
    first = development_goal_create(
        mentee=o.bob, metric="pd_events", period=NOVEMBER, target=Decimal(1), on=TODAY
    )
    again = development_goal_create(
        mentee=o.bob,
        metric="pd_events",
        period=NOVEMBER,
        target=Decimal(2),
        mentor=o.charlie,
        on=TODAY,
    )
    assert again.pk == first.pk and again.target == Decimal(2)
    assert [(c.old_target, c.new_target) for c in again.history.order_by("id")] == [
        (None, Decimal(1)),
        (Decimal(1), Decimal(2)),
    ]
    assert GoalAgreement.objects.get(goal=again).mentor == o.charlie  # set by the manager first


@pytest.mark.parametrize(
    ("metric", "mentor", "message"),
    [
        ("pd_events", "dana", "Dana Diaz is not a mentor of Bob Brown."),
        ("pd_talks", None, "There is no metric 'pd_talks'."),
    ],
)
def test_a_goal_with_a_wrong_mentor_or_metric_is_refused(mentor_org, metric, mentor, message):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY)
    with pytest.raises(MentorError, match=f"^{re.escape(message)}$"):
        development_goal_create(
            mentee=o.bob,
            metric=metric,
            period=NOVEMBER,
            target=Decimal(1),
            mentor=getattr(o, mentor) if mentor else None,
            on=TODAY,
        )
    assert not Goal.objects.filter(person=o.bob).exists()


def test_the_mentor_sees_the_development_goal_but_not_the_revenue_goal(mentor_org):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY)
    development = development_goal_create(
        mentee=o.bob, metric="pd_events", period=NOVEMBER, target=Decimal(1), on=TODAY
    )
    revenue = Goal.objects.create(
        metric="revenue_won",
        person=o.bob,
        period_kind="month",
        period_start=NOVEMBER.start,
        period_end=NOVEMBER.end,
        target=Decimal(10000),
    )
    scope = visible_scope(o.charlie.user, TODAY)
    assert scope.sees_goal(development) and not scope.sees_goal(revenue)
    assert set(scope.goals().filter(person=o.bob)) == {development}
    # Dana mentors nobody: she sees neither.
    assert not visible_scope(o.dana.user, TODAY).goals().filter(person=o.bob).exists()
