"""Assigning and ending mentors: one or two per person, never oneself, only active people;
the mentor role (what access reads) and its dated record change together."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pacesetter.coaching.models import Mentorship
from pacesetter.coaching.selectors import mentor_links
from pacesetter.coaching.services import MentorError, mentor_assign, mentor_end
from pacesetter.coaching.tests.conftest import TODAY
from pacesetter.goals.access import visible_scope
from pacesetter.org.models import Role


def mentors_of(person) -> list[str]:
    return sorted(
        Role.objects.filter(kind=Role.Kind.MENTOR, mentee=person).values_list(
            "person__full_name", flat=True
        )
    )


def test_a_person_gets_one_or_two_mentors_and_no_third(mentor_org):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY, focus="close rate")
    mentor_assign(mentor=o.dana, mentee=o.bob, on=TODAY)
    with pytest.raises(MentorError) as refused:
        mentor_assign(mentor=o.evan, mentee=o.bob, on=TODAY)
    assert str(refused.value) == (
        "Bob Brown already has 2 mentors (Charlie Chen and Dana Diaz); at most 2 — end one first."
    )
    assert mentors_of(o.bob) == ["Charlie Chen", "Dana Diaz"]
    assert not Mentorship.objects.filter(mentor=o.evan).exists()


def test_the_role_and_its_record_are_made_together(mentor_org):
    o = mentor_org
    record = mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY, focus="close rate")
    assert (record.started_on, record.ended_on, record.focus) == (TODAY, None, "close rate")
    [link] = mentor_links(mentee_ids=[o.bob.pk])
    assert (link.mentor, link.mentee, link.since, link.focus) == (
        o.charlie,
        o.bob,
        TODAY,
        "close rate",
    )
    assert visible_scope(o.charlie.user, TODAY).mentee_ids == {o.bob.pk}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("self", "Bob Brown cannot mentor themselves."),
        ("left", "Dana Diaz left on 2026-10-31; a mentor must be active."),
        ("not yet", "Dana Diaz only starts on 2026-12-01; a mentor must be active."),
        ("twice", "Dana Diaz already mentors Bob Brown."),
    ],
)
def test_refusals_say_why(mentor_org, change, message):
    o = mentor_org
    mentor = o.dana
    if change == "self":
        mentor = o.bob
    elif change == "left":
        o.dana.leave_date = dt.date(2026, 10, 31)
        o.dana.save()
    elif change == "not yet":
        o.dana.hire_date = dt.date(2026, 12, 1)
        o.dana.save()
    else:
        mentor_assign(mentor=o.dana, mentee=o.bob, on=TODAY)
    with pytest.raises(MentorError, match=f"^{re.escape(message)}$"):
        mentor_assign(mentor=mentor, mentee=o.bob, on=TODAY)


def test_a_mentee_who_left_gets_no_mentor(mentor_org):
    mentor_org.bob.leave_date = dt.date(2026, 11, 1)
    mentor_org.bob.save()
    with pytest.raises(MentorError, match="Bob Brown left on 2026-11-01; a mentee must be active"):
        mentor_assign(mentor=mentor_org.charlie, mentee=mentor_org.bob, on=TODAY)


def test_ending_takes_the_access_away_and_keeps_the_dates(mentor_org):
    o = mentor_org
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=dt.date(2026, 9, 1))
    ended = mentor_end(mentor=o.charlie, mentee=o.bob, on=TODAY)
    assert (ended.started_on, ended.ended_on) == (dt.date(2026, 9, 1), TODAY)
    assert mentors_of(o.bob) == []
    assert visible_scope(o.charlie.user, TODAY).mentee_ids == set()
    # A new mentoring later is a new record; the old one stays.
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=dt.date(2026, 12, 1))
    assert list(Mentorship.objects.filter(mentee=o.bob).values_list("started_on", "ended_on")) == [
        (dt.date(2026, 12, 1), None),
        (dt.date(2026, 9, 1), TODAY),
    ]


def test_ending_what_does_not_exist_or_before_it_began_is_refused(mentor_org):
    o = mentor_org
    with pytest.raises(MentorError, match=r"^Charlie Chen does not mentor Bob Brown\.$"):
        mentor_end(mentor=o.charlie, mentee=o.bob, on=TODAY)
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=TODAY)
    with pytest.raises(MentorError, match="began on 2026-11-16; it cannot end before that"):
        mentor_end(mentor=o.charlie, mentee=o.bob, on=dt.date(2026, 11, 1))
    assert mentors_of(o.bob) == ["Charlie Chen"]  # the refused end changed nothing


def test_a_role_made_in_the_admin_ends_too(mentor_org):
    o = mentor_org
    Role.objects.create(person=o.charlie, kind=Role.Kind.MENTOR, mentee=o.bob)
    assert mentor_links()[0].since is None
    assert mentor_end(mentor=o.charlie, mentee=o.bob, on=TODAY) is None
    assert mentors_of(o.bob) == []
