"""Who needs a conversation: the risk list on a small org, on Friday 4 December 2026 —
the fourth day of the month, the last working day of the week of 30 November.

History: Alice, Bob and Dana each held one demo a working day for the nine weeks before
that week (the ledger starts on 28 September), so each has nine usable past weeks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.conftest import make_person
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Activity
from pacesetter.org.models import Membership, OrgSettings, Person, Role
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.risk import (
    AT_RISK,
    LOST,
    MET,
    NO_HISTORY,
    STRETCH,
    TEAM,
    WAITING,
    goal_risks,
    risk_list,
)

from .conftest import at

FRIDAY = dt.date(2026, 12, 4)
WEEK = (dt.date(2026, 11, 30), dt.date(2026, 12, 7))
MONTH = (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
pytestmark = pytest.mark.time_machine("2026-12-04 10:00 -05:00")


def demos(person, days: list[dt.date], per_day: int = 1) -> None:
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"r-{person.pk}-{d}-{i}", kind="demo", person=person,
                 occurred_at=at(d, 9 + i))
        for d in days
        for i in range(per_day)
    )  # fmt: skip


def goal(person, target: int, period=WEEK, kind="week", metric="demos_held", priority=3):
    return Goal.objects.create(
        metric=metric, person=person, period_kind=kind, period_start=period[0],
        period_end=period[1], target=Decimal(target), priority=priority,
    )  # fmt: skip


@pytest.fixture
def org(new_york):
    o = new_york
    o.dana = make_person("Dana Diaz")
    Role.objects.create(person=o.dana, kind=Role.Kind.REP)
    Membership.objects.create(person=o.dana, unit=o.beta, valid_from=dt.date(2025, 1, 1))
    history = planning.working_days((dt.date(2026, 9, 28), WEEK[0]), work_calendar())
    for rep in (o.alice, o.bob, o.dana):
        demos(rep, history)
    return o


def risks_by_person(today=FRIDAY):
    goals = list(Goal.objects.all())
    return {r.goal.person.full_name: r for r in goal_risks(goal_progress(goals, today), today)}


def test_early_in_the_month_nobody_is_called_behind_without_evidence(org):
    """Day 4: the month's goals wait for evidence; a weekly goal of a rep without history
    (Charlie started on Monday, nobody else in Team Beta has this goal) is not guessed at."""
    org.charlie.hire_date = WEEK[0]
    org.charlie.save()
    goal(org.charlie, 1, priority=1)  # 0 of 1 this week, no history at all
    goal(org.alice, 22, period=MONTH, kind="month")  # 3 of 22 on day 4 of the month
    demos(org.alice, [dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3)])
    found = risks_by_person()
    assert found["Charlie Chen"].verdict == NO_HISTORY
    assert found["Alice Adams"].verdict == WAITING
    goals = list(Goal.objects.all())
    assert risk_list(goal_progress(goals, FRIDAY), FRIDAY) == []


def test_the_rep_clearly_off_and_savable_is_listed_the_lost_and_the_met_are_not(org):
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())  # Monday to Thursday
    goal(org.alice, 4)
    demos(org.alice, week)  # 4 of 4: met
    goal(org.bob, 5)
    demos(org.bob, week[:3])  # 3 of 5 with one day left, a demo a day: 26 %
    goal(org.dana, 9)
    demos(org.dana, week[:1])  # 1 of 9 with one day left: lost
    found = risks_by_person()
    assert found["Alice Adams"].verdict == MET
    assert found["Dana Diaz"].verdict == LOST and found["Dana Diaz"].percent == 0
    bob = found["Bob Brown"]
    assert (bob.verdict, bob.percent, bob.basis) == (AT_RISK, 26, "own")
    assert (bob.left, bob.days_left) == (Decimal(2), 1)

    goals = list(Goal.objects.all())
    (listed,) = risk_list(goal_progress(goals, FRIDAY), FRIDAY)
    assert listed.person == org.bob
    assert listed.top.action is not None
    assert (listed.top.action.amount, listed.top.action.day) == (Decimal(2), FRIDAY)
    assert listed.top.action_text == "2"


def test_only_the_reps_top_goals_are_judged(org):
    """A priority-9 weekly article is not what a conversation is about."""
    OrgSettings.objects.filter(pk=1).update(risk_top_goals=1)
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())
    goal(org.bob, 4, priority=1)
    demos(org.bob, week)  # met
    goal(org.bob, 5, priority=9, metric="meetings_booked")  # none booked: would be at risk
    found = [r.goal.priority for r in goal_risks(goal_progress(Goal.objects.all(), FRIDAY), FRIDAY)]
    assert found == [1]


def test_a_newcomer_is_judged_on_the_team_and_the_thresholds_are_the_orgs(org):
    """Nina started on 26 October (five past weeks of her own, eight needed): she is judged
    on Team Alpha's rates, at half a rep in her third month (the ramp)."""
    nina = make_person("Nina New", hire=dt.date(2026, 10, 26))
    Role.objects.create(person=nina, kind=Role.Kind.REP)
    Membership.objects.create(person=nina, unit=org.alpha, valid_from=dt.date(2026, 10, 26))
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())
    goal(nina, 5)
    # 3 of 5 (at risk by pace), two more needed in half a rep's day: 1 - 1.5 e^-0.5 = 9.0 %
    # under Bob's nine weeks of a demo a day, 0 under Nina's own four ramp-up weeks without
    # any: 9/13 × 9.0 % = 6 %, still savable.
    demos(nina, week[:3])
    goal(org.bob, 5)
    demos(org.bob, week[:3])
    found = risks_by_person()
    assert (found["Nina New"].verdict, found["Nina New"].basis) == (AT_RISK, TEAM)
    assert found["Nina New"].percent == 6
    OrgSettings.objects.filter(pk=1).update(risk_likely_below=20)
    assert risks_by_person()["Bob Brown"].verdict != AT_RISK


def test_the_risk_list_costs_the_same_queries_for_three_reps_or_eight(
    org, django_assert_max_num_queries
):
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())
    for rep in (org.alice, org.bob, org.dana):
        goal(rep, 5)
        goal(rep, 40, period=MONTH, kind="month", priority=4)
    progress = goal_progress(Goal.objects.all(), FRIDAY)
    with django_assert_max_num_queries(10) as few:
        risk_list(progress, FRIDAY)
    for i in range(5):
        rep = make_person(f"Extra{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=org.alpha, valid_from=dt.date(2025, 1, 1))
        demos(rep, planning.working_days((dt.date(2026, 9, 28), WEEK[0]), work_calendar()))
        demos(rep, week[:3])
        goal(rep, 5)  # 3 of 5 with a day left, a demo a day before: at risk
    progress = goal_progress(Goal.objects.all(), FRIDAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(risk_list(progress, FRIDAY)) >= 1


def test_a_stretch_goal_kept_on_pace_is_no_news(org):
    """Alice aims for ten demos this week (twice her usual): eight by Friday is on pace, and
    two more in a day is unlikely — as unlikely as on the day it was set. Not listed."""
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())
    goal(org.alice, 10)
    demos(org.alice, week, per_day=2)
    found = risks_by_person()["Alice Adams"]
    assert (found.verdict, found.percent, found.progress.status) == (STRETCH, 26, "on_track")
    assert risk_list(goal_progress(Goal.objects.all(), FRIDAY), FRIDAY) == []


def test_the_risk_list_reads_in_chinese_on_the_team_page(org):
    """The crawl's org lists nobody (everyone behind is lost or met), so the list's own
    sentences are read here: Bob, savable, on Team Alpha's page in 简体中文."""
    from pacesetter.web.tests.test_zh_hans_crawl import ALLOWED, check_html, zh_client

    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())
    goal(org.bob, 5)
    demos(org.bob, week[:3])
    page = zh_client("mia").get(f"/units/{org.alpha.pk}/")

    html = page.content.decode()
    assert page.status_code == 200 and 'id="attention"' in html
    names = sorted((p.full_name for p in Person.objects.all()), key=len, reverse=True)
    names += ["Team Alpha", "Team Beta", "Northwind", "Americas"]
    assert "Bob Brown" in html.split('id="attention"')[1].split("</section>")[0]
    assert check_html(html, "team page", names, ALLOWED) == ""
