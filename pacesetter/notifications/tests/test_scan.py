"""The periodic scan (``pacesetter notify``): goals at risk, goals awaiting a check-in,
rewards earned and collective goals met, each announced once however often it runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pacesetter.conftest import run_command
from pacesetter.notifications.models import Kind, Notification
from pacesetter.notifications.scan import scan
from pacesetter.rewards.models import Award, Program, Reward
from pacesetter.rewards.tests.conftest import active_rule
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

    with django_assert_max_num_queries(40):
        result = scan(today)

    b, c = web_org.bob_demos.pk, web_org.charlie_demos.pk
    week = "2026-11-16"  # the Monday of the pinned Wednesday 18 November 2026
    assert notices() == {
        ("Bob", Kind.AT_RISK, f"at_risk:{b}:{week}"),
        ("Bob", Kind.CHECKIN_REQUESTED, f"checkin:{b}:1"),
        ("Charlie", Kind.CHECKIN_REQUESTED, f"checkin:{c}:1"),
        ("Alice", Kind.CHECKIN_REQUESTED, f"checkin:{web_org.alice_entries.pk}:1"),
        ("Alice", Kind.REWARD_EARNED, f"reward:{award.pk}"),
        ("Charlie", Kind.COLLECTIVE_MET, f"collective_met:{beta_demos.pk}"),
    }
    assert result["created"] == {"goal_changed": 0, "checkin_requested": 3, "at_risk": 1,
                                 "reward_earned": 1, "collective_met": 1}  # fmt: skip
    risk = Notification.objects.get(kind=Kind.AT_RISK)
    assert risk.params["status"] in ("behind", "at_risk") and risk.params["actual"] == "2"
    assert Notification.objects.get(kind=Kind.REWARD_EARNED).params["reward"] == "$250 bonus"

    again = scan(today)  # idempotent: nothing new
    assert sum(again["created"].values()) == 0
    assert Notification.objects.count() == 6


def test_a_goal_still_at_risk_is_announced_again_the_next_week(web_org, time_machine):
    scan(web_org.today)
    time_machine.move_to(dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC))
    scan(dt.date(2026, 11, 23))
    bob = Notification.objects.filter(kind=Kind.AT_RISK, recipient=web_org.org.bob)
    keys = sorted(bob.values_list("key", flat=True))
    pk = web_org.bob_demos.pk
    assert keys == [f"at_risk:{pk}:2026-11-16", f"at_risk:{pk}:2026-11-23"]


def test_the_notify_command_runs_the_scan(web_org):
    out = run_command(f"notify --today {web_org.today.isoformat()}")
    assert "at_risk 2" in out and "checkin_requested 3" in out  # Bob and Charlie behind
    assert "at_risk 0" in run_command(f"notify --today {web_org.today.isoformat()}")


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
    assert result["created"]["at_risk"] == 5  # Bob, Charlie and the three newcomers
    assert len(many.captured_queries) == len(few.captured_queries)


def test_notify_queue_leaves_the_scan_to_the_worker(web_org):
    from django.test import TestCase

    from pacesetter.jobs.models import Job

    with TestCase.captureOnCommitCallbacks(execute=True):
        out = run_command(f"notify --queue --today {web_org.today.isoformat()}")
        assert Notification.objects.count() == 0  # queued, not run yet
    job = Job.objects.get(kind="notifications", arguments={"today": web_org.today.isoformat()})
    assert f"task #{job.pk}" in out and job.status == Job.Status.DONE
    assert job.result["created"]["at_risk"] == 2
    assert Notification.objects.filter(kind=Kind.AT_RISK).count() == 2
