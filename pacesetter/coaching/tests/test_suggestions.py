"""Suggested mentors: reps strong exactly where the mentee is weak, with the reason.

The numbers are the table of conftest.py. Bob is furthest below the median on close rate
((30 − 10) ÷ 30 = 0.667) and calls ((105 − 40) ÷ 105 = 0.619). A candidate's score adds,
over those two, Bob's shortfall × the candidate's value ÷ the median:

    Charlie  0.667 × 40/30  + 0.619 ×  90/105 = 0.889 + 0.531 = 1.420
    Evan     0.667 × 30/30  + 0.619 × 120/105 = 0.667 + 0.707 = 1.374
    Dana     0.667 × 20/30  + 0.619 × 110/105 = 0.445 + 0.648 = 1.093
    Alice    above the median on neither: not suggested, though the best on demos.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pacesetter.coaching.services import mentor_assign
from pacesetter.coaching.suggestions import mentor_suggestions
from pacesetter.coaching.tests.conftest import TODAY, strong_where_weak
from pacesetter.conftest import make_person
from pacesetter.org.models import Membership, Role


def _ranking(suggestion) -> list[tuple[str, Decimal, str]]:
    return [(c.person.full_name, c.score, str(c.reason)) for c in suggestion.candidates]


def test_the_rep_strong_where_the_mentee_is_weak_comes_first(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    s = mentor_suggestions(mentor_org.bob, TODAY)

    assert (s.window.start, s.window.end) == (dt.date(2026, 8, 1), dt.date(2026, 11, 1))
    assert s.window_label == "2026-08 – 2026-10"
    assert (str(s.peer_group), s.peers) == ("all reps compared", 4)  # Team Alpha has 2 peers
    assert [w.metric.name for w in s.weaknesses] == ["close_rate", "calls_made"]
    assert [w.shortfall for w in s.weaknesses] == [Decimal("0.667"), Decimal("0.619")]
    assert (
        str(s.weakness_text) == "close rate 10.0 % vs median 30.0 % and calls made 40 vs median 105"
    )
    assert _ranking(s) == [
        ("Charlie Chen", Decimal("1.420"), "close rate 40.0 % vs your 10.0 %"),
        ("Evan Evans", Decimal("1.374"), "calls made 120 vs your 40"),
        ("Dana Diaz", Decimal("1.093"), "calls made 110 vs your 40"),
    ]


def test_every_metric_is_compared_for_the_picture(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    s = mentor_suggestions(mentor_org.bob, TODAY)
    standing = {c.metric.name: (c.mentee, c.median, c.weak) for c in s.comparisons}
    assert standing == {
        "calls_made": (Decimal(40), Decimal(105), True),
        "meetings_booked": (Decimal(5), Decimal(5), False),
        "demos_held": (Decimal(10), Decimal(10), False),
        "close_rate": (Decimal("10.0"), Decimal("30.0"), True),
        "revenue_won": (Decimal(3000), Decimal(3000), False),
    }
    charlie = s.candidates[0].strengths[0]
    # The bars: Charlie's 40 % is the longest; Bob's 10 % a quarter of it; the median at 75 %.
    assert (charlie.candidate_percent, charlie.mentee_percent, charlie.median_percent) == (
        Decimal(100),
        Decimal(25),
        Decimal(75),
    )


def test_someone_who_mentors_two_people_already_is_not_suggested(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    for mentee in (mentor_org.alice, mentor_org.dana):
        Role.objects.create(person=mentor_org.charlie, kind=Role.Kind.MENTOR, mentee=mentee)
    s = mentor_suggestions(mentor_org.bob, TODAY)
    assert [c.person.full_name for c in s.candidates] == ["Evan Evans", "Dana Diaz"]


def test_current_mentors_are_listed_not_suggested(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    mentor_assign(mentor=mentor_org.charlie, mentee=mentor_org.bob, on=TODAY)
    s = mentor_suggestions(mentor_org.bob, TODAY)
    assert [m.full_name for m in s.mentors] == ["Charlie Chen"]
    assert not s.full
    assert s.candidates[0].person == mentor_org.evan
    assert s.candidates[1].mentees == 0
    mentor_assign(mentor=mentor_org.evan, mentee=mentor_org.bob, on=TODAY)
    assert mentor_suggestions(mentor_org.bob, TODAY).full


def test_a_mentor_needs_six_months_with_the_company(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    # Hired in July: a peer for the median (here since before August), too new to mentor.
    mentor_org.evan.hire_date = dt.date(2026, 7, 1)
    mentor_org.evan.save()
    s = mentor_suggestions(mentor_org.bob, TODAY)
    assert s.peers == 4
    assert [c.person.full_name for c in s.candidates] == ["Charlie Chen", "Dana Diaz"]


def test_a_manager_compares_only_the_people_they_may_see(mentor_org):
    """Mia manages Team Alpha: Charlie and Dana (Team Beta) are neither compared nor named.

    Among Alice and Evan: calls median 110 (Bob 0.636 short), close rate 30 % (0.667),
    meetings 12.5 (0.6), demos 20 (0.5). Evan's 120 calls are above the median; Alice is
    above it on neither close rate nor calls. Evan: 0.667 × 30/30 + 0.636 × 120/110 = 1.361."""
    strong_where_weak(mentor_org, TODAY)
    alpha = Membership.objects.filter(unit=mentor_org.alpha).values_list("person_id", flat=True)
    s = mentor_suggestions(mentor_org.bob, TODAY, within=set(alpha))
    assert s.peers == 2
    assert [w.metric.name for w in s.weaknesses] == ["close_rate", "calls_made"]
    assert _ranking(s) == [("Evan Evans", Decimal("1.361"), "calls made 120 vs your 40")]


def test_a_team_with_enough_reps_is_its_own_yardstick(mentor_org):
    strong_where_weak(mentor_org, TODAY)
    for i in range(2):  # Team Alpha: Alice, Evan and two newcomers with no numbers
        rep = make_person(f"New{i} Rep", hire=dt.date(2025, 6, 1))
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=mentor_org.alpha, valid_from=dt.date(2025, 6, 1))
    s = mentor_suggestions(mentor_org.bob, TODAY)
    # Calls of Alice, Evan and the two newcomers: 0, 0, 100, 120 → median 50.
    assert (str(s.peer_group), s.peers) == ("Team Alpha", 4)
    assert {c.metric.name: c.median for c in s.comparisons}["calls_made"] == Decimal(50)


def test_without_numbers_there_is_nothing_to_suggest(mentor_org):
    s = mentor_suggestions(mentor_org.bob, TODAY)
    assert s.weaknesses == () and s.candidates == ()


def test_the_queries_do_not_grow_with_the_org(mentor_org, django_assert_max_num_queries):
    strong_where_weak(mentor_org, TODAY)
    with django_assert_max_num_queries(12):
        mentor_suggestions(mentor_org.bob, TODAY)
    for i in range(15):
        rep = make_person(f"Extra{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=mentor_org.beta, valid_from=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(12):
        mentor_suggestions(mentor_org.bob, TODAY)
