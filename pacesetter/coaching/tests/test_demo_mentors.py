"""The demo's mentoring: the newest reps get the mentor Pacesetter suggests, a development
goal a month agreed with that mentor, and check-ins — the same way every time."""

from __future__ import annotations

import datetime as dt

import pytest

from pacesetter.coaching.models import GoalAgreement, MentoringCheckIn, Mentorship
from pacesetter.coaching.selectors import mentee_credit
from pacesetter.coaching.suggestions import MAX_MENTEES
from pacesetter.demo.generator import build_demo
from pacesetter.demo.mentors import JUNIORS, set_up_mentors
from pacesetter.demo.options import DemoOptions
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window
from pacesetter.org.models import Person, Role

AS_OF = dt.date(2026, 3, 18)


def _pairs() -> list[tuple[str, str, dt.date, str]]:
    return list(
        Mentorship.objects.order_by("mentee__email").values_list(
            "mentee__email", "mentor__email", "started_on", "focus"
        )
    )


@pytest.mark.django_db
def test_the_newest_reps_get_suggested_mentors_goals_and_check_ins():
    result = build_demo(DemoOptions(reps=16, months=6, seed=5, as_of=AS_OF))  # sets them up
    assert result.mentorships == JUNIORS
    pairs = _pairs()
    newest = Person.objects.filter(roles__kind=Role.Kind.REP).order_by("-hire_date", "pk")
    assert {p[0] for p in pairs} == {p.email for p in newest[:JUNIORS]}
    for mentee, mentor, started, focus in pairs:
        person = Person.objects.get(email=mentee)
        assert started == max(dt.date(2026, 1, 1), person.hire_date)
        assert " vs your " in focus  # the suggestion's reason
        goals = Goal.objects.filter(person=person, kind="development", metric="pd_events")
        months = {g.period_start for g in goals}
        assert months == {
            dt.date(2026, m, 1) for m in (1, 2, 3) if dt.date(2026, m, 1) >= started.replace(day=1)
        }
        assert {a.mentor.email for a in GoalAgreement.objects.filter(goal__in=goals)} == {mentor}
        notes = MentoringCheckIn.objects.filter(mentee=person, mentor__email=mentor)
        assert [n.met_on for n in notes] == [
            AS_OF - dt.timedelta(days=5),
            started + dt.timedelta(days=3),
        ]
    # Capacity holds in the demo too, and the mentors' scorecards have something to credit.
    mentors = Role.objects.filter(kind=Role.Kind.MENTOR).values_list("person_id", flat=True)
    assert max(list(mentors).count(m) for m in mentors) <= MAX_MENTEES
    march = Window(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    credits = [c for m in set(mentors) for c in mentee_credit(m, march, AS_OF)]
    assert sum(c.total for c in credits) == JUNIORS


@pytest.mark.django_db
def test_the_same_demo_gets_the_same_mentors():
    build_demo(DemoOptions(reps=16, months=6, seed=5, as_of=AS_OF))  # sets them up
    first = _pairs()
    Role.objects.filter(kind=Role.Kind.MENTOR).delete()
    Mentorship.objects.all().delete()
    MentoringCheckIn.objects.all().delete()
    set_up_mentors(AS_OF)
    assert _pairs() == first
