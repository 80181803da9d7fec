"""Team rewards: a competition's top N win once it is over (everyone tied within the top N
too, and the report says so); a collective reward pays every member once all of them met
their own goal — and nobody while one of them is short."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal
from pacesetter.ledger.rollups import rebuild
from pacesetter.rewards.models import Award, Reward, Rule

from .conftest import active_rule, compute, make_goal

MID_NOVEMBER = dt.date(2026, 11, 16)


@pytest.fixture
def recognition(db) -> Reward:
    return Reward.objects.create(
        name="Shout-out at the all-hands", kind=Reward.Kind.RECOGNITION, value=Decimal(50)
    )


@pytest.fixture
def contest(small_org, books, program, recognition) -> Rule:
    """G9 on Team Alpha: most meetings booked in November; the top one wins, by raw count."""
    make_goal("meetings_booked", 10, unit=small_org.alpha, kind=Goal.Kind.COMPETITION)
    return active_rule(program, recognition, "Most meetings booked",
                       trigger=Rule.Trigger.COMPETITION_WON, rank_by=Rule.RankBy.RAW)  # fmt: skip


def winners() -> list[tuple[str, str]]:
    return sorted(Award.objects.values_list("person__full_name", "detail"))


def test_two_reps_tied_for_first_both_win_and_the_report_says_so(small_org, books, contest):
    books.activities(small_org.alice, "meeting_booked", 5, dt.date(2026, 11, 9))
    books.activities(small_org.bob, "meeting_booked", 5, dt.date(2026, 11, 10))

    compute()

    assert winners() == [
        ("Alice Adams", "tied for 1st of 2 in meetings_booked 2026-11 (Team Alpha): 5"),
        ("Bob Brown", "tied for 1st of 2 in meetings_booked 2026-11 (Team Alpha): 5"),
    ]
    report = run_command("rewards --period 2026-11 --today 2026-12-02 --no-compute")
    assert report.count("tied for 1st") == 2


def test_the_winner_is_known_only_once_the_competition_is_over(small_org, books, contest):
    books.activities(small_org.alice, "meeting_booked", 6, dt.date(2026, 11, 9))
    books.activities(small_org.bob, "meeting_booked", 5, dt.date(2026, 11, 10))

    assert compute(today=MID_NOVEMBER).earned == 0

    compute()
    assert winners() == [
        ("Alice Adams", "1st of 2 in meetings_booked 2026-11 (Team Alpha): 6"),
    ]


def test_nobody_wins_a_competition_nobody_scored_in(small_org, books, contest):
    assert compute().earned == 0


def test_a_top_two_includes_everyone_tied_for_second(small_org, books, contest):
    contest.top_n = 2
    contest.save()
    extra = Goal.objects.get(kind=Goal.Kind.COMPETITION)
    extra.unit = small_org.region  # both teams compete: Alice, Bob and Charlie
    extra.save()
    books.activities(small_org.alice, "meeting_booked", 7, dt.date(2026, 11, 9))
    books.activities(small_org.bob, "meeting_booked", 4, dt.date(2026, 11, 9))
    books.activities(small_org.charlie, "meeting_booked", 4, dt.date(2026, 11, 9))

    compute()

    assert [name for name, _ in winners()] == ["Alice Adams", "Bob Brown", "Charlie Chen"]
    assert "tied for 2nd of 3" in Award.objects.get(person=small_org.bob).detail


def test_by_default_a_competition_ranks_by_percent_of_each_reps_own_goal(small_org, books, contest):
    contest.rank_by = Rule.RankBy.PERCENT
    contest.save()
    make_goal("meetings_booked", 10, person=small_org.alice)  # 6 of 10: 60 %
    make_goal("meetings_booked", 4, person=small_org.bob)  # 5 of 4: 125 %
    books.activities(small_org.alice, "meeting_booked", 6, dt.date(2026, 11, 9))
    books.activities(small_org.bob, "meeting_booked", 5, dt.date(2026, 11, 10))

    compute()

    assert [name for name, _ in winners()] == ["Bob Brown"]


@pytest.fixture
def outing(db) -> Reward:
    return Reward.objects.create(name="Team happy hour", kind=Reward.Kind.OUTING, value=60)


@pytest.fixture
def together(small_org, books, revenue_goals, program, outing) -> Rule:
    """Team Alpha's collective: everyone meets their own November revenue goal."""
    make_goal("revenue_won", 20000, unit=small_org.alpha, kind=Goal.Kind.COLLECTIVE)
    return active_rule(program, outing, "Everyone made it",
                       trigger=Rule.Trigger.COLLECTIVE_MET)  # fmt: skip


def test_a_collective_reward_pays_nobody_while_one_member_is_short(small_org, books, together):
    books.won(small_org.alice, "12000")
    books.won(small_org.bob, "8000")

    assert compute().earned == 0


def test_a_collective_reward_pays_every_member_once_the_last_one_meets(small_org, books, together):
    books.won(small_org.alice, "12000")
    books.won(small_org.bob, "8000")
    compute()

    books.won(small_org.bob, "2000")  # Bob makes it: the whole team earns the outing
    assert compute().earned == 2
    assert compute().earned == 0  # and only once

    assert winners() == [
        ("Alice Adams", "revenue_won 2026-11 (Team Alpha): all 2 counted members met"),
        ("Bob Brown", "revenue_won 2026-11 (Team Alpha): all 2 counted members met"),
    ]
    assert Award.objects.filter(person=small_org.charlie).count() == 0  # another team


def test_a_collective_reward_waits_for_the_end_of_the_period(small_org, books, together):
    """Membership for the period is settled only once it is over (someone may still join)."""
    books.won(small_org.alice, "12000", closed=dt.date(2026, 11, 3))
    books.won(small_org.bob, "12000", closed=dt.date(2026, 11, 4))

    assert compute(today=MID_NOVEMBER).earned == 0
    assert compute().earned == 2


def test_a_collective_reward_is_reversed_for_all_when_a_member_falls_short_again(
    small_org, books, together
):
    books.won(small_org.alice, "12000")
    deal = books.won(small_org.bob, "10000")
    compute()

    deal.delete()
    rebuild()
    compute()

    reasons = set(Award.objects.values_list("status", "reason"))
    assert reasons == {("reversed", "revenue_won 2026-11 (Team Alpha) not met: Bob Brown short")}
