"""Competitions (G9): who books the most meetings in the team — fair by default.

November 2026 in New York, "today" Monday the 16th. Team Alpha's reps are Alice and Bob
(hired January 2025: 22 months in on 1 November); tests add Nina, hired in October 2026
with a small ramped goal, and Vera, with the company since 2023.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter.conftest import make_person, run_command
from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership, Role
from pacesetter.org.services import membership_move
from pacesetter.tracking.leaderboard import competition_standings, tenure_band, tenure_months

from .conftest import TODAY

NOV = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))


def goal(metric: str, target: int, *, person=None, unit=None, kind: str = "standard") -> Goal:
    return Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        period_kind="month",
        period_start=NOV[0],
        period_end=NOV[1],
        target=Decimal(target),
        kind=kind,
    )


def rep(name: str, team, *, hire: dt.date | None, since: dt.date | None = None):
    person = make_person(name, hire=hire)
    Role.objects.create(person=person, kind=Role.Kind.REP)
    Membership.objects.create(person=person, unit=team, valid_from=since or hire)
    return person


def board(standings) -> list[tuple]:
    return [(s.rank_label, s.person.full_name, s.value, s.percent, s.note) for s in standings]


@pytest.fixture
def meetings(new_york):
    """The November meetings-booked competition of Team Alpha."""
    return goal("meetings_booked", 40, unit=new_york.alpha, kind="competition")


def test_a_new_rep_beating_a_small_ramped_goal_outranks_a_veteran_on_percent(
    new_york, ledger, meetings
):
    o = new_york
    nina = rep("Nina New", o.alpha, hire=dt.date(2026, 10, 1))
    goal("meetings_booked", 20, person=o.alice)
    goal("meetings_booked", 5, person=nina)  # month 2 of her ramp
    ledger.activities(o.alice, "meeting_booked", dt.date(2026, 11, 3), 15)  # 75 %
    ledger.activities(nina, "meeting_booked", dt.date(2026, 11, 4), 6)  # 120 %
    ledger.activities(o.bob, "meeting_booked", dt.date(2026, 11, 5), 9)  # no goal
    ledger.done()

    assert board(competition_standings(meetings, TODAY, basis="raw")) == [
        ("1", "Alice Adams", 15, Decimal("75.0"), ""),
        ("2", "Bob Brown", 9, None, "no goal set"),
        ("3", "Nina New", 6, Decimal("120.0"), ""),
    ]
    # Fair by default: percent of each rep's own goal; without a goal, last with a note.
    assert board(competition_standings(meetings, TODAY)) == [
        ("1", "Nina New", 6, Decimal("120.0"), ""),
        ("2", "Alice Adams", 15, Decimal("75.0"), ""),
        ("3", "Bob Brown", 9, None, "no goal set"),
    ]


def test_ties_share_a_rank_and_the_next_is_skipped(new_york, ledger, meetings):
    o = new_york
    nina = rep("Nina New", o.alpha, hire=dt.date(2026, 10, 1))
    goal("meetings_booked", 10, person=o.alice)
    goal("meetings_booked", 14, person=o.bob)
    goal("meetings_booked", 2, person=nina)
    ledger.activities(o.alice, "meeting_booked", dt.date(2026, 11, 3), 7)  # 70 %
    ledger.activities(o.bob, "meeting_booked", dt.date(2026, 11, 3), 7)  # 50 %
    ledger.activities(nina, "meeting_booked", dt.date(2026, 11, 3), 1)  # 50 %
    ledger.done()

    raw = competition_standings(meetings, TODAY, basis="raw")
    assert [(s.rank, s.rank_label, s.person.full_name, s.tied) for s in raw] == [
        (1, "=1", "Alice Adams", True),
        (1, "=1", "Bob Brown", True),
        (3, "3", "Nina New", False),
    ]
    fair = competition_standings(meetings, TODAY)
    assert [(s.rank_label, s.person.full_name) for s in fair] == [
        ("1", "Alice Adams"),
        ("=2", "Bob Brown"),  # 7 of 14 and 1 of 2 are the same 50 %
        ("=2", "Nina New"),
    ]


def test_tenure_cohorts_rank_new_hires_against_new_hires(new_york, ledger, meetings):
    o = new_york
    nina = rep("Nina New", o.alpha, hire=dt.date(2026, 10, 1))
    vera = rep("Vera Veteran", o.alpha, hire=dt.date(2023, 3, 1))
    # No hire date on file: tenure from the first membership (June 2026: 5 months).
    paul = rep("Paul Partner", o.alpha, hire=None, since=dt.date(2026, 6, 1))
    for person, booked in [(o.alice, 8), (o.bob, 12), (nina, 2), (vera, 20), (paul, 4)]:
        ledger.activities(person, "meeting_booked", dt.date(2026, 11, 3), booked)
    ledger.done()

    standings = competition_standings(meetings, TODAY, basis="raw", cohort="tenure")
    assert [(s.cohort, s.rank, s.person.full_name) for s in standings] == [
        ("< 6 months", 1, "Paul Partner"),
        ("< 6 months", 2, "Nina New"),
        ("1–2 years", 1, "Bob Brown"),
        ("1–2 years", 2, "Alice Adams"),
        ("2+ years", 1, "Vera Veteran"),
    ]
    assert {s.cohort for s in competition_standings(meetings, TODAY)} == {""}


@pytest.mark.parametrize(
    ("start", "months", "band"),
    [
        (dt.date(2026, 5, 2), 5, "< 6 months"),  # one day short of six months
        (dt.date(2026, 5, 1), 6, "6–12 months"),
        (dt.date(2025, 11, 1), 12, "1–2 years"),
        (dt.date(2024, 11, 1), 24, "2+ years"),
        (dt.date(2026, 12, 1), -1, "< 6 months"),  # hired after the competition started
    ],
)
def test_tenure_bands_count_whole_months(start, months, band):
    assert tenure_months(start, NOV[0]) == months
    assert tenure_band(months) == band


def test_lower_is_better_ranks_the_shortest_first_on_raw_values(new_york, ledger):
    o = new_york
    faster = goal("lead_to_customer_days", 0, unit=o.alpha, kind="competition")
    goal("lead_to_customer_days", 20, person=o.alice)
    goal("lead_to_customer_days", 5, person=o.bob)
    ledger.deal(o.alice, "100.00", "won", dt.date(2026, 10, 14), dt.date(2026, 11, 3))  # 20 days
    ledger.deal(o.bob, "100.00", "won", dt.date(2026, 10, 24), dt.date(2026, 11, 3))  # 10 days
    ledger.done()
    raw = competition_standings(faster, TODAY, basis="raw")
    assert [(s.person.full_name, s.value) for s in raw] == [("Bob Brown", 10), ("Alice Adams", 20)]
    # Against their own goals Alice is on hers (20 ÷ 20) while Bob took twice his 5 days.
    fair = competition_standings(faster, TODAY)
    assert [(s.person.full_name, s.percent) for s in fair] == [
        ("Alice Adams", Decimal("100.0")),
        ("Bob Brown", Decimal("50.0")),
    ]


def test_everyone_in_the_team_during_the_period_competes(new_york, ledger, meetings):
    """Bob moved to Beta on the 16th: he still competes in Alpha's November (with every
    meeting of his month), and Mia, who manages Alpha, does not."""
    o = new_york
    membership_move(person=o.bob, to_unit=o.beta, on=dt.date(2026, 11, 16))
    ledger.activities(o.bob, "meeting_booked", dt.date(2026, 11, 3), 2)
    ledger.done()
    names = [s.person.full_name for s in competition_standings(meetings, TODAY, basis="raw")]
    assert names == ["Bob Brown", "Alice Adams"]


def test_standings_cost_the_same_queries_for_two_reps_or_twelve(
    new_york, ledger, meetings, django_assert_max_num_queries
):
    def queries() -> int:
        fresh = Goal.objects.get(pk=meetings.pk)
        with CaptureQueriesContext(connection) as ctx:
            competition_standings(fresh, TODAY, cohort="tenure")
        return len(ctx.captured_queries)

    few = queries()
    for i in range(10):
        extra = rep(f"Rep{i} Extra", new_york.alpha, hire=dt.date(2026, 1, 1))
        goal("meetings_booked", 5, person=extra)
        ledger.activities(extra, "meeting_booked", dt.date(2026, 11, 3), i)
    ledger.done()
    assert queries() == few
    with django_assert_max_num_queries(6):
        assert len(competition_standings(meetings, TODAY, cohort="tenure")) == 12


def test_bad_arguments_are_refused(new_york, meetings):
    with pytest.raises(ValueError, match="unknown basis 'loudest'"):
        competition_standings(meetings, TODAY, basis="loudest")
    with pytest.raises(ValueError, match="unknown cohort 'age'"):
        competition_standings(meetings, TODAY, cohort="age")
    mine = goal("meetings_booked", 5, person=new_york.alice)
    with pytest.raises(ValueError, match="a competition runs in a unit"):
        competition_standings(mine, TODAY)


def test_the_command_prints_each_competition_fair_or_raw(new_york, ledger, meetings):
    o = new_york
    nina = rep("Nina New", o.alpha, hire=dt.date(2026, 10, 1))
    goal("meetings_booked", 20, person=o.alice)
    goal("meetings_booked", 5, person=nina)
    goal("meetings_booked", 10, unit=o.beta, kind="competition")
    ledger.activities(o.alice, "meeting_booked", dt.date(2026, 11, 3), 15)
    ledger.activities(nina, "meeting_booked", dt.date(2026, 11, 4), 6)
    ledger.done()

    out = run_command("leaderboard --period 2026-11 --today 2026-11-16")
    lines = out.splitlines()
    assert lines[0] == ("2026-11 on 2026-11-16: 2 competitions, ranked by percent of own goal")
    assert "Team Alpha · meetings_booked 2026-11" in lines
    alpha = lines[lines.index("Team Alpha · meetings_booked 2026-11") + 3 :]
    assert alpha[0].split() == ["1", "Nina", "New", "6", "5", "120.0"]
    assert alpha[2].split() == ["3", "Bob", "Brown", "0", "no", "goal", "set"]

    document = json.loads(
        run_command(
            "leaderboard --period 2026-11 --today 2026-11-16 --unit 'Team Alpha' "
            "--basis raw --cohort tenure --format json"
        )
    )
    assert (document["basis"], document["cohort"]) == ("raw", "tenure")
    [alpha] = document["competitions"]
    assert [(s["cohort"], s["rank"], s["rep"]) for s in alpha["standings"]] == [
        ("< 6 months", "1", "Nina New"),
        ("1–2 years", "1", "Alice Adams"),
        ("1–2 years", "2", "Bob Brown"),
    ]

    csv = run_command("leaderboard --period 2026-11 --today 2026-11-16 --basis raw --format csv")
    assert csv.splitlines()[:2] == [
        "unit,metric,period,rank,rep,value,target,percent,note",
        "Team Alpha,meetings_booked,2026-11,1,Alice Adams,15,20,75.0,",
    ]
    assert "Team Beta,meetings_booked,2026-11,1,Charlie Chen,0,,,no goal set" in csv


def test_the_commands_csv_writes_a_shared_rank_as_text(new_york, meetings):
    """A shared first place, "=1", is a formula to a spreadsheet: the CSV says '=1."""
    csv = run_command("leaderboard --period 2026-11 --today 2026-11-16 --basis raw --format csv")
    ranks = [line.split(",")[3] for line in csv.splitlines()[1:] if "Team Alpha" in line]
    assert ranks and set(ranks) == {"'=1"}  # nobody has booked a meeting: all tied first
