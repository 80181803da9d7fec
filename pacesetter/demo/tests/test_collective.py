"""The demo's collective goals and competitions: one of each per team, fair goals for every
rep, and nothing created twice."""

import datetime as dt

import pytest

from pacesetter.demo.collective import set_up_collective
from pacesetter.demo.generator import build_demo
from pacesetter.demo.options import DemoOptions
from pacesetter.goals.models import Goal
from pacesetter.tracking.collective import NO_GOAL, collective_status
from pacesetter.tracking.leaderboard import competition_standings

AS_OF = dt.date(2026, 3, 10)


@pytest.mark.django_db
def test_every_team_gets_a_collective_goal_and_a_fair_competition():
    build_demo(DemoOptions(reps=8, months=3, seed=5, as_of=AS_OF))
    # build_demo set the G9 competitions, then set_up_collective added a collective goal
    # per team and reused those competitions.
    competitions = list(Goal.objects.filter(kind="competition").values_list("pk", flat=True))
    assert competitions
    # This month's (the rewards demo also sets last month's, to have something paid).
    month = Goal.objects.filter(period_start=AS_OF.replace(day=1), period_kind="month")
    collectives = list(month.filter(kind="collective").select_related("unit"))
    assert sorted(g.unit_id for g in collectives) == sorted(
        month.filter(kind="competition").values_list("unit_id", flat=True)
    )
    # Every new goal has its history row.
    assert not Goal.objects.filter(history__isnull=True).exists()

    found = collective_status(collectives, AS_OF)
    for goal in collectives:
        status = found[goal.pk]
        assert status.members and all(m.state != NO_GOAL for m in status.members)
    for goal in month.filter(kind="competition"):
        standings = competition_standings(goal, AS_OF)
        assert standings and not [s for s in standings if s.note == "no goal set"]
        # Meetings goals follow the plan's revenue goals: a smaller quota, a smaller goal.
        revenue = {
            g.person_id: g.target
            for g in Goal.objects.filter(
                metric="revenue_won", kind="standard", period_start=goal.period_start,
                period_kind="month", person__isnull=False,
            )
        }  # fmt: skip
        by_quota = sorted(standings, key=lambda s: revenue[s.person.pk])
        targets = [s.target for s in by_quota]
        assert targets == sorted(targets)

    # Run again: nothing is created twice, and the G9 goals are still the same ones.
    assert set_up_collective(AS_OF) == 0
    assert list(Goal.objects.filter(kind="competition").values_list("pk", flat=True)) == (
        competitions
    )
