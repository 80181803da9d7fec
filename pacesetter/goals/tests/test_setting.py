"""Goals set by hand (``goals/setting.py``), called directly: every new goal and every changed
target leaves its history, and a refused request leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.goals.errors import GoalExists
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.setting import (
    GoalError,
    GoalSpec,
    funnel_goals_create,
    goal_create,
    goal_update,
    team_goals_create,
)
from pacesetter.org.selectors import members_on

DECEMBER = planning.month_period(2026, 12)
DAY = dt.date(2026, 11, 18)


def spec(target: str = "1000", *, kind: str = Goal.Kind.STANDARD, priority: int = 3) -> GoalSpec:
    return GoalSpec("calls_made", kind, DECEMBER, Decimal(target), priority, note="by hand")


def test_a_new_goal_has_its_first_history_row(small_org):
    user = small_org.manager.user

    goal, created = goal_create(spec=spec(), person=small_org.alice, by=user)

    assert created
    assert (goal.person, goal.unit, goal.target, goal.priority) == (
        small_org.alice,
        None,
        Decimal("1000.00"),
        3,
    )
    assert (goal.period_start, goal.period_end) == (DECEMBER.start, DECEMBER.end)
    (change,) = GoalChange.objects.filter(goal=goal)
    assert (change.old_target, change.new_target, change.changed_by, change.reason) == (
        None,
        Decimal("1000.00"),
        user,
        "set on the web",
    )


def test_setting_the_same_goal_again_is_refused_and_names_the_goal(small_org):
    """No silent overwrite: the goal that exists is named, to be changed with a reason."""
    first, _ = goal_create(spec=spec("400"), person=small_org.alice)

    with pytest.raises(GoalExists, match=r"Alice Adams already has a goal .* 2026-12") as refused:
        goal_create(spec=spec("500", priority=1), person=small_org.alice)

    assert refused.value.goal == first
    first.refresh_from_db()
    assert (first.target, first.priority, first.version) == (Decimal("400.00"), 3, 1)
    assert GoalChange.objects.filter(goal=first).count() == 1


def test_a_team_goal_leaves_the_reps_who_have_it_as_they_are(small_org):
    alice_goal, _ = goal_create(spec=spec("400"), person=small_org.alice)

    team = team_goals_create(spec=spec("500"), unit=small_org.alpha, day=DAY)

    assert [g.person for g in team.created] == [small_org.bob]
    assert team.existing == [alice_goal]
    alice_goal.refresh_from_db()
    assert alice_goal.target == Decimal("400.00")
    with pytest.raises(GoalError, match="Every rep of Team Alpha has this goal already"):
        team_goals_create(spec=spec("600"), unit=small_org.alpha, day=DAY)


def test_a_goal_is_for_one_person_or_one_unit(small_org):
    with pytest.raises(GoalError, match="one person or one unit"):
        goal_create(spec=spec(), person=small_org.alice, unit=small_org.alpha)
    with pytest.raises(GoalError):
        goal_create(spec=spec())
    assert not Goal.objects.exists()


def test_a_unit_goal_belongs_to_the_unit(small_org):
    goal, _ = goal_create(spec=spec(kind=Goal.Kind.COLLECTIVE), unit=small_org.alpha)

    assert (goal.unit, goal.person, goal.kind) == (small_org.alpha, None, Goal.Kind.COLLECTIVE)
    assert goal.history.count() == 1


def test_a_stretch_tier_rides_on_the_standard_goal(small_org):
    base, _ = goal_create(spec=spec("1000"), person=small_org.alice)

    tier, _ = goal_create(spec=spec("1", kind=Goal.Kind.STRETCH), person=small_org.alice)

    assert tier.tier_of == base
    assert tier.target == Decimal("1250.00")  # 125 % by default; the spec's target is unused


def test_a_stretch_without_a_standard_goal_is_refused(small_org):
    with pytest.raises(GoalError, match="no standard goal of calls_made in 2026-12"):
        goal_create(spec=spec(kind=Goal.Kind.STRETCH), person=small_org.alice)
    assert not Goal.objects.exists()


def test_a_team_goal_is_one_goal_for_each_rep_of_the_team(small_org):
    goals = team_goals_create(spec=spec(), unit=small_org.alpha, day=DAY).created

    assert {g.person for g in goals} == {small_org.alice, small_org.bob}  # not Mia, a manager
    reasons = set(GoalChange.objects.values_list("reason", flat=True))
    assert reasons == {"set on the web for every rep of Team Alpha"}


def test_a_unit_without_reps_gets_no_team_goals(small_org):
    with pytest.raises(GoalError, match="has no reps"):
        team_goals_create(spec=spec(), unit=small_org.company, day=dt.date(2024, 1, 1))


def test_a_team_goal_refused_for_one_rep_is_set_for_none(small_org):
    """All or nothing: the first rep's stretch tier is undone when the second has no
    standard goal to stretch."""
    first = members_on([small_org.alpha.pk], DAY)[0]
    goal_create(spec=spec(), person=first)
    history = GoalChange.objects.count()

    with pytest.raises(GoalError, match="no standard goal"):
        team_goals_create(spec=spec(kind=Goal.Kind.STRETCH), unit=small_org.alpha, day=DAY)

    assert not Goal.objects.filter(kind=Goal.Kind.STRETCH).exists()
    assert GoalChange.objects.count() == history


def test_an_update_keeps_who_when_and_why(small_org):
    goal, _ = goal_create(spec=spec("1000"), person=small_org.alice)
    user = small_org.manager.user

    goal_update(goal=goal, target=Decimal("800"), priority=2, reason="holidays", by=user)

    goal.refresh_from_db()
    assert (goal.target, goal.priority) == (Decimal("800.00"), 2)
    latest = goal.history.order_by("-id").first()
    assert (latest.old_target, latest.new_target, latest.reason, latest.changed_by) == (
        Decimal("1000.00"),
        Decimal("800.00"),
        "holidays",
        user,
    )


def test_a_negative_target_is_refused_and_the_priority_stays(small_org):
    goal, _ = goal_create(spec=spec("1000", priority=3), person=small_org.alice)

    with pytest.raises(ValueError, match="must not be negative"):
        goal_update(goal=goal, target=Decimal("-1"), priority=1, reason="oops", by=None)

    goal.refresh_from_db()
    assert (goal.target, goal.priority) == (Decimal("1000.00"), 3)


def test_the_funnel_sets_one_activity_goal_per_known_stage(small_org):
    needed = {"deal": 4, "demo": 12, "lead": 99, "call": 60}

    goals = funnel_goals_create(person=small_org.alice, period=DECEMBER, needed=needed)

    assert [(g.metric, g.target, g.priority) for g in goals] == [
        ("deals_won", Decimal("4.00"), 2),
        ("demos_held", Decimal("12.00"), 3),
        ("calls_made", Decimal("60.00"), 5),  # "lead" counts no metric: skipped
    ]
    assert set(GoalChange.objects.values_list("reason", flat=True)) == {"reverse funnel"}
    assert all(g.note == "from the reverse funnel" for g in goals)
