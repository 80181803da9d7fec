"""Focus areas for junior reps: the funnel stage furthest below the team, and a goal for it.

Team Alpha gets a third rep, Dave, hired on 1 September 2026. "Today" is Wednesday
18 November 2026: the 13 weeks looked at run from Monday 17 August to Monday 16 November,
and the proposed goal is for the week of 23 November (2026-W48).

Over those weeks:

=======  =====  =====  =====  ==============  ==============
rep      calls  demos  deals  calls → demos   demos → deals
=======  =====  =====  =====  ==============  ==============
Alice      200     60     15  30 %            25 %
Bob        100     40      8  40 %            20 %
Dave       140     14      4  10 %            28.6 %
=======  =====  =====  =====  ==============  ==============

Against his teammates' medians (35 % and 22.5 %), Dave converts calls into demos at less
than a third of the team's rate — 71.4 % short — and closes demos better than the team.
His focus is calls → demos; the goal: 140 calls ÷ 13 weeks = 10.77 a week, + 10 % =
11.85, rounded up: 12 calls in 2026-W48.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter import planning
from pacesetter.conftest import make_person, run_command
from pacesetter.goals.focus import focus_accept, focus_suggestion, tenure_months
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Activity, Deal
from pacesetter.org.models import Membership, Person, Role
from pacesetter.org.selectors import work_calendar

TODAY = dt.date(2026, 11, 18)
WINDOW = (dt.date(2026, 8, 17), dt.date(2026, 11, 16))


def log(person: Person, kind: str, count: int) -> None:
    """``count`` activities spread over the window's working days."""
    days = planning.working_days(WINDOW, work_calendar())
    Activity.objects.bulk_create(
        Activity(
            source="test",
            external_id=f"{kind}-{person.pk}-{i}",
            kind=kind,
            person=person,
            occurred_at=dt.datetime.combine(days[i % len(days)], dt.time(11), tzinfo=dt.UTC),
        )
        for i in range(count)
    )


def won(person: Person, count: int) -> None:
    Deal.objects.bulk_create(
        Deal(
            source="test",
            external_id=f"deal-{person.pk}-{i}",
            owner=person,
            amount=Decimal("1000"),
            stage="Closed Won",
            status="won",
            created_on=dt.date(2026, 8, 1),
            closed_on=dt.date(2026, 9, 1) + dt.timedelta(days=i),
        )
        for i in range(count)
    )


@pytest.fixture
def team(small_org):
    dave = make_person("Dave Junior", hire=dt.date(2026, 9, 1))
    Membership.objects.create(person=dave, unit=small_org.alpha, valid_from=dt.date(2026, 9, 1))
    Role.objects.create(person=dave, kind=Role.Kind.REP)
    for person, calls, demos, deals in [
        (small_org.alice, 200, 60, 15),
        (small_org.bob, 100, 40, 8),
        (dave, 140, 14, 4),
    ]:
        log(person, "call", calls)
        log(person, "demo", demos)
        won(person, deals)
    # Outside the 13 weeks: does not count.
    Activity.objects.create(
        source="test",
        external_id="late",
        kind="demo",
        person=dave,
        occurred_at=dt.datetime(2026, 11, 17, 10, tzinfo=dt.UTC),
    )
    small_org.dave = dave
    return small_org


def test_the_junior_is_pointed_at_the_stage_furthest_below_the_team(team):
    s = focus_suggestion(team.dave, TODAY)

    assert s.junior and s.tenure_months == 2
    assert s.window == WINDOW
    calls_to_demos, demos_to_deals = s.stages
    assert (calls_to_demos.own, calls_to_demos.team_median) == (Decimal("0.1"), Decimal("0.35"))
    assert calls_to_demos.shortfall.quantize(Decimal("0.001")) == Decimal("0.714")
    assert demos_to_deals.team_median == Decimal("0.225")
    assert demos_to_deals.shortfall == 0  # 28.6 % beats the team's 22.5 %
    assert s.focus == calls_to_demos
    assert str(s.focus.name) == "calls → demos"
    assert str(s.reason) == (
        "calls → demos is 71 % below the team's median (10 % against 35 % over the last 13 weeks)"
    )


def test_the_proposal_is_ten_percent_more_calls_a_week_rounded_up(team):
    s = focus_suggestion(team.dave, TODAY)

    assert s.metric == "calls_made"
    assert s.weekly_average.quantize(Decimal("0.01")) == Decimal("10.77")
    assert s.target == 12
    assert s.week.label == "2026-W48"
    assert s.priority == 1  # Dave has no other goal that week
    assert str(s.note) == (
        "focus area calls → demos: 10 % against the team's 35 %; +10 % calls a week (10.8 → 12)"
    )


def test_the_focus_goal_comes_after_the_reps_top_priority(team):
    Goal.objects.create(
        metric="revenue_won",
        person=team.dave,
        period_kind="month",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 12, 1),
        target=Decimal(5000),
        priority=1,
    )
    assert focus_suggestion(team.dave, TODAY).priority == 2


def test_accepting_creates_the_goal_once(team):
    s = focus_suggestion(team.dave, TODAY)

    goal, created = focus_accept(suggestion=s)
    again, created_again = focus_accept(suggestion=focus_suggestion(team.dave, TODAY))

    assert created and not created_again and again == goal
    assert (goal.metric, goal.period_kind, goal.period_start, goal.target, goal.kind) == (
        "calls_made",
        "week",
        dt.date(2026, 11, 23),
        Decimal(12),
        Goal.Kind.STANDARD,
    )
    assert goal.note.startswith("focus area calls → demos")
    assert Goal.objects.filter(person=team.dave).count() == 1
    assert list(goal.history.values_list("reason", flat=True)) == ["focus area accepted"]
    assert focus_suggestion(team.dave, TODAY).existing == goal


def test_a_rep_at_or_above_the_team_everywhere_gets_no_proposal(team):
    # Alice: 30 % against median(40 %, 10 %) = 25 %; 25 % against median(20 %, 28.6 %).
    s = focus_suggestion(team.alice, TODAY)

    assert not s.junior
    assert s.focus is None and s.target is None
    assert str(s.reason) == "at or above the team's median in every stage"
    with pytest.raises(ValueError, match="no focus goal to accept"):
        focus_accept(suggestion=s)


def test_a_rep_alone_in_a_team_has_nobody_to_compare_with(team):
    s = focus_suggestion(team.charlie, TODAY)
    assert str(s.reason) == "Charlie Chen has no teammates to compare with today"


def test_tenure_counts_whole_months():
    person = Person(hire_date=dt.date(2026, 9, 20))
    assert tenure_months(person, dt.date(2026, 11, 19)) == 1
    assert tenure_months(person, dt.date(2026, 11, 20)) == 2
    assert tenure_months(Person(), TODAY) is None


def test_the_command_shows_the_stages_and_accepts_once(team):
    out = json.loads(run_command(f"focus --person {team.dave.email} --today {TODAY} --format json"))
    assert out["focus"] == "calls → demos"
    assert out["proposal"]["target"] == "12"
    assert out["proposal"]["week"] == "2026-W48"
    assert [(r["stage"], r["own"], r["team_median"]) for r in out["stages"]] == [
        ("calls → demos", "10.0 %", "35.0 %"),
        ("demos → deals won", "28.6 %", "22.5 %"),
    ]
    assert out["accepted"] is None
    assert not Goal.objects.filter(person=team.dave).exists()

    table = run_command(f"focus --person dave --today {TODAY} --accept")
    assert "proposed: calls_made ≥ 12 in 2026-W48 (priority 1)" in table
    assert "accepted: goal" in table and "created" in table
    table = run_command(f"focus --person dave --today {TODAY} --accept")
    assert "already set, unchanged" in table
    assert Goal.objects.filter(person=team.dave).count() == 1


def test_the_command_refuses_unknown_people_and_nothing_to_accept(team):
    with pytest.raises(CommandError, match="no person"):
        run_command("focus --person nobody@example.com")
    with pytest.raises(CommandError, match="no focus goal to accept"):
        run_command(f"focus --person alice --today {TODAY} --accept")
