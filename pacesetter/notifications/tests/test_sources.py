"""A goal's new target tells its rep (and asks for a check-in) once the change commits; a
team goal's tells the team's reps; the changes of one transaction arrive as one batch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import TestCase

from pacesetter.goals.signals import goal_target_changed
from pacesetter.goals.targets import goal_set_target
from pacesetter.notifications.models import Kind, Notification


def kinds_of(person) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", "key"))


def test_a_manager_s_change_tells_the_rep_and_asks_for_a_check_in(web_org):
    o, goal = web_org.org, web_org.bob_demos
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal_set_target(goal=goal, target=Decimal(25), by=o.manager.user, reason="fewer leads")

    assert kinds_of(o.bob) == [
        (Kind.CHECKIN_REQUESTED, f"checkin:{goal.pk}:2"),
        (Kind.GOAL_CHANGED, f"goal:{goal.pk}:2"),
    ]
    notice = Notification.objects.get(recipient=o.bob, kind=Kind.GOAL_CHANGED)
    assert notice.params["old"] == "30.00" and notice.params["new"] == "25.00"
    assert notice.url == f"/goals/{goal.pk}/"
    assert kinds_of(o.alice) == [] and kinds_of(o.manager) == []


def test_nobody_is_told_of_a_change_they_made_themselves(web_org):
    o = web_org.org
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal_set_target(goal=web_org.bob_demos, target=Decimal(28), by=o.bob.user)
    assert kinds_of(o.bob) == []


def test_a_team_goal_s_change_tells_the_team_s_reps(web_org):
    o, goal = web_org.org, web_org.alpha_meetings
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal_set_target(goal=goal, target=Decimal(44), by=o.manager.user)
    told = Notification.objects.filter(kind=Kind.GOAL_CHANGED).values_list("recipient", flat=True)
    assert sorted(told) == sorted([o.alice.pk, o.bob.pk])  # not Mia (who changed it), not Charlie
    assert Notification.objects.get(recipient=o.alice).params["unit"] == "Team Alpha"


def test_the_changes_of_one_transaction_arrive_in_one_batch(web_org, django_assert_max_num_queries):
    sent: list[list[tuple[int, int]]] = []

    def receiver(sender, changes, **kwargs):
        sent.append(changes)

    goal_target_changed.connect(receiver, dispatch_uid="test-batch")
    try:
        manager = web_org.org.manager.user
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks, transaction.atomic():
            for goal in (web_org.alice_demos, web_org.bob_demos, web_org.charlie_demos):
                goal_set_target(goal=goal, target=Decimal(33), by=manager)
        assert len(callbacks) == 1
    finally:
        goal_target_changed.disconnect(dispatch_uid="test-batch")
    pks = [web_org.alice_demos.pk, web_org.bob_demos.pk, web_org.charlie_demos.pk]
    assert sent == [[(pk, 2) for pk in pks]]
    assert Notification.objects.filter(kind=Kind.GOAL_CHANGED).count() == 3


def test_the_receiver_costs_the_same_for_one_goal_or_many(web_org, django_assert_max_num_queries):
    from pacesetter.notifications.sources import goal_targets_changed

    goals = [web_org.alice_demos, web_org.bob_demos, web_org.charlie_demos, web_org.alpha_meetings]
    with transaction.atomic():
        for goal in goals:
            goal_set_target(goal=goal, target=Decimal(35), by=web_org.org.manager.user)
    with django_assert_max_num_queries(12):
        goal_targets_changed(None, changes=[(g.pk, 2) for g in goals])
    assert Notification.objects.filter(kind=Kind.GOAL_CHANGED).count() == 5


def test_a_change_rolled_back_tells_nobody(web_org):
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        goal_set_target(goal=web_org.bob_demos, target=Decimal(20), by=web_org.org.manager.user)
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint undone
            goal_set_target(
                goal=web_org.alice_demos, target=Decimal(20), by=web_org.org.manager.user
            )
            raise RuntimeError
    assert {n.recipient_id for n in Notification.objects.all()} == {web_org.org.bob.pk}
