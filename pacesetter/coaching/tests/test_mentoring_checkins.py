"""Mentoring check-ins: a mentor logs what was said and the next steps, for their own
mentees only; the mentee reads them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pacesetter.coaching.models import MentoringCheckIn
from pacesetter.coaching.selectors import (
    MentoringActivity,
    mentoring_activity,
    mentoring_checkins,
)
from pacesetter.coaching.services import MentorError, mentor_assign, mentoring_checkin_record
from pacesetter.coaching.tests.conftest import TODAY


@pytest.fixture
def charlie_mentors_bob(mentor_org):
    mentor_assign(mentor=mentor_org.charlie, mentee=mentor_org.bob, on=dt.date(2026, 10, 1))
    return mentor_org


def test_a_mentor_logs_a_check_in_and_the_mentee_reads_it(charlie_mentors_bob):
    o = charlie_mentors_bob
    for day, notes in ((dt.date(2026, 10, 5), "Discovery calls"), (TODAY, "Closing")):
        mentoring_checkin_record(
            mentor=o.charlie,
            mentee=o.bob,
            met_on=day,
            notes=f"  {notes}  ",
            next_steps="Shadow two calls",
            today=TODAY,
            by=o.charlie.user,
        )
    about_bob = mentoring_checkins(mentee_ids=[o.bob.pk])
    assert [(c.met_on, c.notes, c.next_steps) for c in about_bob] == [
        (TODAY, "Closing", "Shadow two calls"),
        (dt.date(2026, 10, 5), "Discovery calls", "Shadow two calls"),
    ]
    assert mentoring_activity([(o.charlie.pk, o.bob.pk), (o.dana.pk, o.bob.pk)]) == {
        (o.charlie.pk, o.bob.pk): MentoringActivity(2, TODAY),
        (o.dana.pk, o.bob.pk): MentoringActivity(0, None),
    }


@pytest.mark.parametrize(
    ("mentor", "mentee", "met_on", "notes", "message"),
    [
        ("charlie", "alice", TODAY, "hello", "Charlie Chen is not a mentor of Alice Adams."),
        ("dana", "bob", TODAY, "hello", "Dana Diaz is not a mentor of Bob Brown."),
        ("charlie", "bob", dt.date(2026, 11, 17), "hello", "2026-11-17 is in the future"),
        ("charlie", "bob", TODAY, "   ", "Write down what you talked about."),
    ],
)
def test_only_a_mentor_of_the_mentee_logs_what_happened(
    charlie_mentors_bob, mentor, mentee, met_on, notes, message
):
    o = charlie_mentors_bob
    with pytest.raises(MentorError, match=re.escape(message)):
        mentoring_checkin_record(
            mentor=getattr(o, mentor),
            mentee=getattr(o, mentee),
            met_on=met_on,
            notes=notes,
            today=TODAY,
        )
    assert not MentoringCheckIn.objects.exists()
