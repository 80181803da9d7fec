"""The periodic scan (``pacesetter notify``): goals at risk, goals awaiting a check-in,
rewards earned and collective goals met, each announced once however often it runs.

"At risk" is the team page's risk list: in the small web org nobody has any history, so
Bob, behind his pace, is not told he is at risk — there is no evidence yet; the org of
``tracking/tests/test_risk.py`` (nine weeks of history) has someone who is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.conftest import run_command
from pacesetter.metrics.tests.conftest import new_york  # noqa: F401  (a fixture)
from pacesetter.notifications.models import Kind, Notification
from pacesetter.notifications.scan import scan
from pacesetter.org.selectors import work_calendar
from pacesetter.rewards.models import Award, Program, Reward
from pacesetter.rewards.tests.conftest import active_rule
from pacesetter.tracking.tests.test_risk import (
    FRIDAY,
    WEEK,
    demos,
    goal,
    org,  # noqa: F401  (a fixture)
)
from pacesetter.web.tests.conftest import log_demos, make_goal


def notices() -> set[tuple[str, str, str]]:
    return {
        (n.recipient.full_name.split()[0], n.kind, n.key)
        for n in Notification.objects.select_related("recipient")
    }


def earned(person, goal) -> Award:
    program = Program.objects.create(name="FY", budget=Decimal(1000), starts_on=dt.date(2026, 1, 1))
    reward = Reward.objects.create(name="$250 bonus", kind=Reward.Kind.CASH, value=Decimal(250))
    rule = active_rule(program, reward, metric="demos_held", period_kind="month")
    return Award.objects.create(
        rule=rule, person=person, goal=goal, period_start=goal.period_start, value=Decimal(250),
        status=Award.Status.EARNED, funded=True, detail="met",
    )  # fmt: skip


def test_the_scan_announces_each_event_once(web_org, django_assert_max_num_queries):
    o, today = web_org.org, web_org.today
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    beta_demos = make_goal("demos_held", start, end, 30, unit=o.beta, kind="collective")
    log_demos(o.charlie, 30, start, today)  # Charlie meets his goal: Team Beta's is met
    award = earned(o.alice, web_org.alice_demos)

    with django_assert_max_num_queries(45):
        result = scan(today)

    b, c = web_org.bob_demos.pk, web_org.charlie_demos.pk
    assert notices() == {
        ("Bob", Kind.CHECKIN_REQUESTED, f"checkin:{b}:1"),
        ("Charlie", Kind.CHECKIN_REQUESTED, f"checkin:{c}:1"),
        ("Alice", Kind.CHECKIN_REQUESTED, f"checkin:{web_org.alice_entries.pk}:1"),
        ("Alice", Kind.REWARD_EARNED, f"reward:{award.pk}"),
        ("Charlie", Kind.COLLECTIVE_MET, f"collective_met:{beta_demos.pk}"),
    }
    assert result["created"] == {"goal_changed": 0, "checkin_requested": 3, "at_risk": 0,
                                 "reward_earned": 1, "collective_met": 1}  # fmt: skip
    assert Notification.objects.get(kind=Kind.REWARD_EARNED).params["reward"] == "$250 bonus"

    again = scan(today)  # idempotent: nothing new
    assert sum(again["created"].values()) == 0
    assert Notification.objects.count() == 5


@pytest.mark.time_machine("2026-12-04 10:00 -05:00")
def test_at_risk_tells_the_reps_on_the_risk_list_and_nobody_else(org):  # noqa: F811
    """Friday 4 December, one working day left in the week: Bob has 3 of his 5 demos
    (a 26 % chance on his own history: at risk, savable), Dana 1 of 9 (lost: nothing a
    conversation changes now), Alice met hers, and Charlie, behind, has no history."""
    o = org
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())  # Monday to Thursday
    goal(o.alice, 4), goal(o.dana, 9)
    bobs = goal(o.bob, 5)
    goal(o.charlie, 2)
    demos(o.alice, week)
    demos(o.bob, week[:3])
    demos(o.dana, week[:1])

    result = scan(FRIDAY)

    assert result["created"]["at_risk"] == 1
    risk = Notification.objects.get(kind=Kind.AT_RISK)  # get(): exactly one
    assert (risk.recipient, risk.key) == (o.bob, f"at_risk:{bobs.pk}:2026-11-30")
    assert risk.params["status"] in ("behind", "at_risk") and risk.params["actual"] == "3"
    assert scan(FRIDAY)["created"]["at_risk"] == 0  # once a week, however often it runs


def test_the_notify_command_runs_the_scan(web_org):
    out = run_command(f"notify --today {web_org.today.isoformat()}")
    assert "checkin_requested 3" in out and "at_risk 0" in out  # no history: no evidence
    assert "checkin_requested 0" in run_command(f"notify --today {web_org.today.isoformat()}")


def test_the_scan_costs_the_same_for_more_reps_and_goals(web_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pacesetter.conftest import make_person
    from pacesetter.org.models import Membership, Role

    o, today = web_org.org, web_org.today
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    with CaptureQueriesContext(connection) as few:
        scan(today)
    Notification.objects.all().delete()
    for name in ("Dana Diaz", "Evan Eng", "Fay Fox"):
        rep = make_person(name)
        Membership.objects.create(person=rep, unit=o.alpha, valid_from=start)
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        make_goal("demos_held", start, end, 30, person=rep)
    with CaptureQueriesContext(connection) as many:
        result = scan(today)
    assert result["created"]["checkin_requested"] == 6  # the three newcomers' goals too
    assert len(many.captured_queries) == len(few.captured_queries)


def test_notify_queue_leaves_the_scan_to_the_worker(web_org):
    from django.test import TestCase

    from pacesetter.jobs.models import Job

    with TestCase.captureOnCommitCallbacks(execute=True):
        out = run_command(f"notify --queue --today {web_org.today.isoformat()}")
        assert Notification.objects.count() == 0  # queued, not run yet
    job = Job.objects.get(kind="notifications", arguments={"today": web_org.today.isoformat()})
    assert f"task #{job.pk}" in out and job.status == Job.Status.DONE
    assert job.result["created"]["checkin_requested"] == 3
    assert Notification.objects.filter(kind=Kind.CHECKIN_REQUESTED).count() == 3
