"""The scoping rules (``goals/access.py``) without a page: what each role sees and edits.
Pages turn a refusal into a 404 or a 403 (``web/tests/test_access.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser

from pacesetter import planning
from pacesetter.goals.access import visible_goal, visible_person, visible_scope, visible_unit
from pacesetter.goals.setting import GoalSpec, goal_create

DAY = dt.date(2026, 11, 18)
NOVEMBER = planning.month_period(2026, 11)


def _goal(**owner):
    spec = GoalSpec("calls_made", "standard", NOVEMBER, Decimal(100), 1)
    return goal_create(spec=spec, **owner)[0]


def test_a_manager_sees_and_edits_the_team_but_not_their_own_goals(small_org):
    o = small_org
    scope = visible_scope(o.manager.user, DAY)

    assert scope.is_manager and not scope.is_admin
    assert scope.sees_person(o.alice.pk) and not scope.sees_person(o.charlie.pk)
    assert scope.edits_person(o.alice.pk) and not scope.edits_person(o.manager.pk)
    assert set(scope.editable_people()) == {o.alice, o.bob}
    assert set(scope.editable_units()) == {o.alpha}


def test_a_rep_sees_their_own_goals_and_their_teams_not_a_teammates(small_org):
    o = small_org
    own, teammate, team = _goal(person=o.alice), _goal(person=o.bob), _goal(unit=o.alpha)
    scope = visible_scope(o.alice.user, DAY)

    assert set(scope.goals()) == {own, team}
    assert visible_goal(scope, own.pk) == own
    assert visible_goal(scope, teammate.pk) is None
    assert visible_goal(scope, 999999) is None  # missing and hidden look alike
    assert visible_person(scope, o.bob.pk) is None
    assert visible_unit(scope, o.alpha.pk) is None  # the team's aggregates only
    assert scope.sees_unit_aggregates(o.alpha.pk)


def test_an_admin_sees_everything_and_a_visitor_nothing(small_org):
    o = small_org
    goal = _goal(person=o.charlie)

    admin = visible_scope(o.admin.user, DAY)
    assert admin.is_admin and visible_goal(admin, goal.pk) == goal
    assert visible_unit(admin, o.beta.pk) == o.beta

    nobody = visible_scope(AnonymousUser(), DAY)
    assert not nobody.goals().exists() and visible_person(nobody, o.alice.pk) is None
