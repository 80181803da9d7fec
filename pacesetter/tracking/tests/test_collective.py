"""Collective goals (M9): the team's reward pays only when every member meets their own goal.

November 2026 in New York; "today" is Monday the 16th: 10 of 21 working days gone, 11 left
(the 16th–20th, 23rd–27th and the 30th). Team Alpha's reps are Alice and Bob; Mia manages
the team and is not measured by it. Team Beta's rep is Charlie.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter.conftest import make_person, run_command
from pacesetter.goals.models import CollectiveExclusion, Goal
from pacesetter.org.models import Membership, Role
from pacesetter.org.services import membership_move
from pacesetter.tracking.collective import (
    EXCLUDED,
    MET,
    NO_GOAL,
    SHORT,
    collective_exclusion_create,
    collective_status,
)

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


def states(status) -> list[tuple[str, str]]:
    return [(m.person.full_name, m.state) for m in status.members]


@pytest.fixture
def alpha_demos(new_york):
    """Team Alpha is collectively after 15 demos; Alice's own goal is 10, Bob's 5."""
    o = new_york
    goal("demos_held", 10, person=o.alice)
    goal("demos_held", 5, person=o.bob)
    return goal("demos_held", 15, unit=o.alpha, kind="collective")


def test_one_member_short_blocks_the_collective_until_the_last_one_meets(
    new_york, ledger, alpha_demos
):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 10)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 6), 3)
    ledger.done()

    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    assert not status.met
    # Bob, who needs help, comes first; Mia (the manager) is not a member of the count.
    assert states(status) == [("Bob Brown", SHORT), ("Alice Adams", MET)]
    bob = status.members[0]
    assert bob.short_by == 2  # 5 − 3
    assert bob.needed_per_day == 1  # ⌈2 ÷ 11 working days left⌉
    assert status.summary == "1 of 2 met; 1 short"
    # The team total sits beside it: 13 demos of the collective goal's 15.
    assert status.team_total.actual == 13

    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 13), 2)
    ledger.done()
    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    assert status.met
    assert states(status) == [("Alice Adams", MET), ("Bob Brown", MET)]
    assert status.summary == "met: all 2 members"
    assert status.blockers == []


def test_a_member_without_a_goal_blocks_it_and_the_report_says_so(new_york, ledger):
    beta = goal("demos_held", 5, unit=new_york.beta, kind="collective")
    ledger.activities(new_york.charlie, "demo", dt.date(2026, 11, 5), 9)
    ledger.done()
    status = collective_status([beta], TODAY)[beta.pk]
    assert not status.met
    charlie = status.members[0]
    assert (charlie.state, charlie.state_label, charlie.goal, charlie.progress) == (
        NO_GOAL,
        "no goal set",
        None,
        None,
    )
    assert status.summary == "0 of 1 met; 1 no goal set"


def test_the_units_own_team_total_goal_is_shown_next_to_it(new_york, ledger, alpha_demos):
    goal("demos_held", 14, unit=new_york.alpha)  # the team-total goal (standard)
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 12)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 5), 2)
    ledger.done()
    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    # The team total is met (14 of 14) while the collective is not: Bob is short.
    assert (status.team_goal.target, status.team_goal.actual, status.team_goal.status) == (
        14,
        14,
        "achieved",
    )
    assert not status.met


def test_a_rate_goal_is_met_only_when_its_period_is_over(new_york, ledger):
    """Half a month of a 60 % close rate is on track, not met: the rate may still drop."""
    o = new_york
    collective = goal("close_rate", 50, unit=o.beta, kind="collective")
    goal("close_rate", 50, person=o.charlie)
    ledger.deal(o.charlie, "100.00", "won", dt.date(2026, 10, 1), dt.date(2026, 11, 3))
    ledger.deal(o.charlie, "100.00", "won", dt.date(2026, 10, 1), dt.date(2026, 11, 4))
    ledger.deal(o.charlie, "100.00", "lost", dt.date(2026, 10, 1), dt.date(2026, 11, 5))
    ledger.done()
    assert not collective_status([collective], TODAY)[collective.pk].met
    assert collective_status([collective], dt.date(2026, 12, 1))[collective.pk].met


def test_membership_history_a_rep_who_moved_counts_in_both_teams(new_york, ledger):
    """Bob moves from Alpha to Beta on the 16th: both teams had him for part of November,
    so his one November goal counts in both collectives; each says when he was there."""
    o = new_york
    membership_move(person=o.bob, to_unit=o.beta, on=dt.date(2026, 11, 16))
    joins_later = make_person("Dana December")
    Role.objects.create(person=joins_later, kind=Role.Kind.REP)
    Membership.objects.create(person=joins_later, unit=o.alpha, valid_from=dt.date(2026, 12, 1))
    left_before = make_person("Otto October")
    Role.objects.create(person=left_before, kind=Role.Kind.REP)
    Membership.objects.create(
        person=left_before, unit=o.alpha, valid_from=dt.date(2026, 1, 1), valid_to=NOV[0]
    )
    alpha = goal("demos_held", 10, unit=o.alpha, kind="collective")
    beta = goal("demos_held", 10, unit=o.beta, kind="collective")
    goal("demos_held", 5, person=o.bob)
    ledger.activities(o.bob, "demo", dt.date(2026, 11, 3), 5)
    ledger.done()

    found = collective_status([alpha, beta], TODAY)
    assert [m.person.full_name for m in found[alpha.pk].members] == ["Alice Adams", "Bob Brown"]
    assert [m.person.full_name for m in found[beta.pk].members] == ["Charlie Chen", "Bob Brown"]
    bob_in_alpha = next(m for m in found[alpha.pk].members if m.person == o.bob)
    bob_in_beta = next(m for m in found[beta.pk].members if m.person == o.bob)
    assert bob_in_alpha.met and bob_in_beta.met
    assert bob_in_alpha.note == "in the team until 15 Nov"
    assert bob_in_beta.note == "in the team from 16 Nov"
    assert bob_in_alpha.goal == bob_in_beta.goal


def test_a_rep_on_leave_is_excluded_by_an_explicit_rule_shown_in_the_report(
    new_york, ledger, alpha_demos
):
    o = new_york
    ledger.activities(o.alice, "demo", dt.date(2026, 11, 5), 10)
    ledger.done()
    assert not collective_status([alpha_demos], TODAY)[alpha_demos.pk].met  # Bob: 0 of 5

    # A rule for the team and the leave's dates excuses him from every collective goal
    # of the team that shares a day with the leave.
    CollectiveExclusion.objects.create(
        unit=o.alpha,
        period_start=dt.date(2026, 11, 9),
        period_end=dt.date(2026, 11, 28),
        person=o.bob,
        reason="parental leave",
    )
    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    assert status.met
    assert states(status) == [("Alice Adams", MET), ("Bob Brown", EXCLUDED)]
    bob = status.members[1]
    assert bob.excluded and str(bob.exclusion_reason) == "parental leave (09 Nov – 27 Nov 2026)"
    assert status.summary == "met: all 1 member; 1 excluded"

    # A rule for another team, or dates outside the period, excuses nobody here.
    CollectiveExclusion.objects.all().delete()
    CollectiveExclusion.objects.create(
        unit=o.alpha,
        period_start=dt.date(2026, 10, 1),
        period_end=NOV[0],
        person=o.bob,
        reason="October leave",
    )
    CollectiveExclusion.objects.create(
        unit=o.beta, period_start=NOV[0], period_end=NOV[1], person=o.bob, reason="wrong team"
    )
    assert not collective_status([alpha_demos], TODAY)[alpha_demos.pk].met


def test_a_manager_excuses_a_member_from_one_goal_and_nobody_else(new_york, alpha_demos):
    o = new_york
    rule = collective_exclusion_create(
        goal=alpha_demos, person=o.bob, reason="  jury duty ", by=o.manager.user
    )
    assert (rule.reason, rule.created_by) == ("jury duty", o.manager.user)
    bob = collective_status([alpha_demos], TODAY)[alpha_demos.pk].members[-1]
    assert (bob.person, bob.exclusion_reason) == (o.bob, "jury duty")

    with pytest.raises(ValidationError, match="not a member"):
        collective_exclusion_create(goal=alpha_demos, person=o.charlie, reason="other team")
    with pytest.raises(ValidationError, match="Say why"):
        collective_exclusion_create(goal=alpha_demos, person=o.alice, reason=" ")
    with pytest.raises(ValidationError, match="already excused"):
        collective_exclusion_create(goal=alpha_demos, person=o.bob, reason="again")
    standard = Goal.objects.get(person=o.alice)
    with pytest.raises(ValidationError, match="collective goal"):
        collective_exclusion_create(goal=standard, person=o.alice, reason="not collective")


def test_a_rep_who_left_the_company_short_of_their_goal_is_excused(new_york, ledger, alpha_demos):
    o = new_york
    ledger.activities(o.alice, "demo", dt.date(2026, 11, 5), 10)
    ledger.done()
    o.bob.leave_date = dt.date(2026, 11, 10)
    o.bob.save()
    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    assert status.met
    assert str(status.members[-1].exclusion_reason) == "left the company on 10 Nov 2026"


def test_every_member_excluded_is_not_a_met_collective(new_york, alpha_demos):
    for person in (new_york.alice, new_york.bob):
        collective_exclusion_create(goal=alpha_demos, person=person, reason="offsite")
    status = collective_status([alpha_demos], TODAY)[alpha_demos.pk]
    assert not status.met
    assert status.summary == "nobody to count: every member is excluded"


def _more_teams(new_york, n: int) -> list[Goal]:
    """``n`` more teams under the region, each with two reps, goals and a collective goal."""
    collectives = []
    for i in range(n):
        team = new_york.region.children.create(name=f"Team {i}", kind="team")
        for j in range(2):
            rep = make_person(f"Rep{i}x{j} Extra")
            Role.objects.create(person=rep, kind=Role.Kind.REP)
            Membership.objects.create(person=rep, unit=team, valid_from=dt.date(2026, 1, 1))
            goal("demos_held", 3, person=rep)
        collectives.append(goal("demos_held", 6, unit=team, kind="collective"))
    return collectives


def test_any_number_of_collective_goals_costs_the_same_few_queries(
    new_york, ledger, alpha_demos, django_assert_max_num_queries
):
    def queries(goals: list[Goal]) -> int:
        fresh = list(Goal.objects.filter(pk__in=[g.pk for g in goals]))  # units not loaded
        with CaptureQueriesContext(connection) as ctx:
            collective_status(fresh, TODAY)
        return len(ctx.captured_queries)

    one = queries([alpha_demos])
    many = _more_teams(new_york, 5)
    assert queries([alpha_demos, *many]) == one
    with django_assert_max_num_queries(13):
        found = collective_status([alpha_demos, *many], TODAY)
    assert len(found) == 6
    assert [len(s.members) for s in found.values()] == [2] * 6


def test_person_goals_are_skipped(new_york):
    assert collective_status([goal("demos_held", 5, person=new_york.alice)], TODAY) == {}


def test_the_command_lists_each_collective_goal_member_by_member(new_york, ledger, alpha_demos):
    o = new_york
    goal("demos_held", 4, unit=o.beta, kind="collective")
    ledger.activities(o.alice, "demo", dt.date(2026, 11, 5), 10)
    ledger.activities(o.bob, "demo", dt.date(2026, 11, 6), 3)
    ledger.done()
    collective_exclusion_create(
        goal=Goal.objects.get(unit=o.beta), person=o.charlie, reason="on leave"
    )

    out = run_command("collective --period 2026-11 --today 2026-11-16")
    assert out.splitlines()[0] == "2026-11 on 2026-11-16: 2 collective goals, 0 met"
    assert (
        "Team Alpha · demos_held 2026-11: NOT MET — 1 of 2 met; 1 short · team total 13 of 15"
        in out
    )
    assert "Team Beta · demos_held 2026-11: NOT MET — nobody to count" in out
    bob = next(line for line in out.splitlines() if line.startswith("Bob Brown"))
    assert bob.split() == ["Bob", "Brown", "short", "3", "5", "60.0", "2", "1"]

    document = json.loads(
        run_command(
            "collective --period 2026-11 --today 2026-11-16 --unit 'Team Alpha' --format json"
        )
    )
    [alpha] = document["collectives"]
    assert (alpha["unit"], alpha["met"], alpha["team_total"]) == ("Team Alpha", False, "13")
    assert [(m["member"], m["state"], m["short_by"]) for m in alpha["members"]] == [
        ("Bob Brown", "short", "2"),
        ("Alice Adams", "met", None),
    ]

    csv = run_command("collective --period 2026-11 --today 2026-11-16 --format csv")
    assert csv.splitlines()[0].startswith("unit,metric,period,collective_met,member,state")
    assert "Team Beta,demos_held,2026-11,False,Charlie Chen,excluded," in csv
    assert csv.rstrip().endswith(",on leave")


def test_the_commands_csv_writes_a_formula_looking_reason_as_text(new_york, alpha_demos):
    """A reason typed by a manager, opened in a spreadsheet, never runs (``tabular``)."""
    collective_exclusion_create(goal=alpha_demos, person=new_york.bob, reason="+cmd|' /C calc'!A0")
    csv = run_command("collective --period 2026-11 --today 2026-11-16 --format csv")
    bob = next(line for line in csv.splitlines() if ",Bob Brown," in line)
    assert bob.endswith(",'+cmd|' /C calc'!A0")
