"""`pacesetter mentors`: list, suggest, assign, end, and development goals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter.coaching.services import mentoring_checkin_record
from pacesetter.coaching.tests.conftest import TODAY, strong_where_weak
from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal
from pacesetter.org.models import Role


def test_assign_then_list_then_end(mentor_org):
    out = run_command(
        "mentors assign charlie@example.com bob@example.com --on 2026-10-01 --focus 'close rate'"
    )
    assert out.startswith("Charlie Chen now mentors Bob Brown")
    mentoring_checkin_record(
        mentor=mentor_org.charlie,
        mentee=mentor_org.bob,
        met_on=dt.date(2026, 10, 8),
        notes="Went through the discovery script",
        today=TODAY,
    )
    rows = json.loads(run_command("mentors list --format json"))["rows"]
    assert rows == [
        {
            "mentee": "Bob Brown",
            "mentee_email": "bob@example.com",
            "mentor": "Charlie Chen",
            "mentor_email": "charlie@example.com",
            "since": "2026-10-01",
            "focus": "close rate",
            "check_ins": 1,
            "last_met": "2026-10-08",
        }
    ]
    table = run_command("mentors list")
    assert table.startswith("1 mentoring pair\n") and "Bob Brown" in table and "2026-10-08" in table
    assert "discovery" not in table  # what was said stays between mentor and mentee
    run_command("mentors end charlie bob --on 2026-11-16")
    assert not Role.objects.filter(kind=Role.Kind.MENTOR).exists()
    assert json.loads(run_command("mentors list --format json"))["rows"] == []


def test_a_third_mentor_is_refused_with_the_reason(mentor_org):
    run_command("mentors assign charlie bob")
    run_command("mentors assign dana@example.com bob")
    with pytest.raises(CommandError, match="Bob Brown already has 2 mentors"):
        run_command("mentors assign evan bob")
    with pytest.raises(CommandError, match="no person with e-mail or login 'nobody'"):
        run_command("mentors assign nobody bob")


def test_list_one_persons_mentors_and_mentees_as_csv(mentor_org):
    run_command("mentors assign charlie bob --on 2026-10-01")
    run_command("mentors assign dana charlie --on 2026-10-02")
    run_command("mentors assign evan alice --on 2026-10-03")
    out = run_command("mentors list --person charlie --format csv").splitlines()
    assert out == [
        "mentee,mentor,since,check_ins,last_met,focus",
        "Bob Brown,Charlie Chen,2026-10-01,0,,",
        "Charlie Chen,Dana Diaz,2026-10-02,0,,",
    ]


def test_suggest_names_the_strong_where_weak_colleague_and_why(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    out = json.loads(
        run_command("mentors suggest bob@example.com --today 2026-11-16 --format json")
    )
    assert out["window"] == {"start": "2026-08-01", "end": "2026-11-01"}
    assert [w["metric"] for w in out["weaknesses"]] == ["close_rate", "calls_made"]
    assert out["candidates"][0] == {
        "rank": 1,
        "mentor": "Charlie Chen",
        "email": "charlie@example.com",
        "score": "1.420",
        "mentees": 0,
        "reason": "close rate 40.0 % vs your 10.0 %",
    }
    table = run_command("mentors suggest bob --today 2026-11-16 --limit 1")
    assert table.splitlines()[0] == (
        "Bob Brown in 2026-08 – 2026-10, against the median of 4 reps (all reps compared): "
        "weakest on close rate 10.0 % vs median 30.0 % and calls made 40 vs median 105"
    )
    assert "Charlie Chen" in table and "Evan" not in table


def test_suggest_for_someone_not_behind(mentor_org):
    out = run_command("mentors suggest bob --today 2026-11-16")
    assert "is not below the median on any metric compared" in out


def test_goal_sets_a_development_goal_agreed_with_the_mentor(mentor_org):
    run_command("mentors assign charlie bob")
    out = json.loads(
        run_command(
            "mentors goal bob@example.com --metric pd_events --target 1 --period 2026-11 "
            "--mentor charlie@example.com --format json"
        )
    )
    goal = Goal.objects.get(pk=out["goal_id"])
    assert (goal.kind, goal.metric, goal.person, goal.target) == (
        "development",
        "pd_events",
        mentor_org.bob,
        Decimal(1),
    )
    assert out["agreed_with"] == "Charlie Chen" and out["period"] == "2026-11"
    with pytest.raises(CommandError, match="Dana Diaz is not a mentor of Bob Brown"):
        run_command("mentors goal bob --target 1 --period 2026-11 --mentor dana")
    with pytest.raises(CommandError, match="bad period label"):
        run_command("mentors goal bob --target 1 --period November")
