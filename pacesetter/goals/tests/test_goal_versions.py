"""No lost update: every goal edit names the version it was based on, and an edit based on
a version that is no longer the goal's is refused with what changed meanwhile.

The race tests run two editors at once in threads, each with its own database connection
(``transaction=True``: the rows are committed, as two requests would see them), on SQLite
and on PostgreSQL alike.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError
from django.db import close_old_connections, connection

from pacesetter import planning
from pacesetter.conftest import run_command
from pacesetter.goals.errors import StaleGoal
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.services import goal_set_target
from pacesetter.goals.setting import GoalSpec, goal_create, goal_update

DECEMBER = planning.month_period(2026, 12)


def december_goal(person, target: str = "400") -> Goal:
    spec = GoalSpec("calls_made", "standard", DECEMBER, Decimal(target), 3)
    return goal_create(spec=spec, person=person)[0]


def test_each_change_raises_the_version_and_is_kept_with_it(small_org):
    goal = december_goal(small_org.alice)
    assert goal.version == 1 and goal.history.get().version == 1

    goal_update(goal=goal, target=Decimal(500), priority=2, reason="more", by=None, based_on=1)

    goal.refresh_from_db()
    assert (goal.target, goal.priority, goal.version) == (Decimal("500.00"), 2, 2)
    latest = goal.history.order_by("-id").first()
    assert (latest.old_target, latest.new_target, latest.version) == (400, 500, 2)


def test_an_edit_based_on_an_old_version_is_refused_with_what_changed(small_org):
    goal = december_goal(small_org.alice)
    mia = small_org.manager.user
    goal_update(goal=goal, target=Decimal(500), priority=3, reason="new territory", by=mia)

    with pytest.raises(StaleGoal) as refused:
        goal_update(
            goal=Goal.objects.get(pk=goal.pk),
            target=Decimal(450),
            priority=3,
            reason="my idea",
            by=small_org.regional_manager.user,
            based_on=1,
        )

    message = str(refused.value)
    assert "version 1, now 2" in message and "the target is now 500" in message
    assert "mia: 400 → 500 (new territory)" in message
    assert refused.value.goal.version == 2
    goal.refresh_from_db()
    assert (goal.target, goal.version, goal.history.count()) == (Decimal("500.00"), 2, 2)


def test_a_caller_holding_an_old_copy_is_refused_too(small_org):
    """Without ``based_on``, the version the caller loaded is the one the edit is based on."""
    goal = december_goal(small_org.alice)
    old_copy = Goal.objects.get(pk=goal.pk)
    goal_set_target(goal=goal, target=Decimal(500), by=None, reason="first")

    with pytest.raises(StaleGoal):
        goal_set_target(goal=old_copy, target=Decimal(600), by=None, reason="second")
    assert Goal.objects.get(pk=goal.pk).target == Decimal("500.00")


def _race(goal_pk: int, editors: list[tuple[object, Decimal]]) -> list[str]:
    """Every editor loads the goal, waits for the others, then saves its target based on
    the version it loaded; what each one got."""
    barrier = threading.Barrier(len(editors))
    outcomes: list[str] = []

    def edit(user: object, target: Decimal) -> None:
        try:
            goal = Goal.objects.get(pk=goal_pk)
            seen = goal.version
            barrier.wait(timeout=10)
            goal_update(
                goal=goal, target=target, priority=goal.priority, reason=f"to {target}",
                by=user, based_on=seen,
            )  # fmt: skip
            outcomes.append("saved")
        except StaleGoal:
            outcomes.append("stale")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=edit, args=editor) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


# Committed rows, as two requests see them. Not serialized_rollback: the transactional tests
# that may run before it (the API docs' browser test) flush the database without it, and the
# content types it would restore would clash with those the flush re-created.
@pytest.mark.django_db(transaction=True)
def test_two_managers_saving_at_the_same_moment_one_wins_and_none_is_lost(small_org):
    goal = december_goal(small_org.alice)
    mia, rhea = small_org.manager.user, small_org.regional_manager.user
    for n in range(15):
        before = Goal.objects.get(pk=goal.pk)
        a, b = Decimal(1000 + 2 * n), Decimal(1001 + 2 * n)

        assert _race(goal.pk, [(mia, a), (rhea, b)]) == ["saved", "stale"], f"round {n}"

        after = Goal.objects.get(pk=goal.pk)
        assert after.version == before.version + 1 and after.target in (a, b)
        latest = GoalChange.objects.filter(goal=goal).order_by("-id").first()
        assert (latest.old_target, latest.new_target) == (before.target, after.target)
    olds = list(GoalChange.objects.filter(goal=goal).values_list("old_target", flat=True))
    assert len(olds) == len(set(olds)) == 16  # the first row, then one per round: none lost


def test_the_cli_changes_a_target_based_on_a_version_within_the_users_scope(small_org):
    goal = december_goal(small_org.alice)
    assert "version 1" in run_command(f"goal show {goal.pk}")

    run_command(f"goal set {goal.pk} --target 500 --reason 'new territory' --based-on 1 --by mia")

    with pytest.raises(CommandError, match=r"version 1, now 2.*mia: 400 → 500"):
        run_command(f"goal set {goal.pk} --target 450 --reason late --based-on 1 --by rhea")
    with pytest.raises(CommandError, match="mia may not change this goal"):
        charlie = december_goal(small_org.charlie)  # Team Beta: not Mia's
        run_command(f"goal set {charlie.pk} --target 1 --reason no --based-on 1 --by mia")
    goal.refresh_from_db()
    assert (goal.target, goal.version) == (Decimal("500.00"), 2)
