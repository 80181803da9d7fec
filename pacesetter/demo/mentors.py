"""The demo's mentoring (M8): the newest reps, who trail their colleagues while they ramp
up, each get the mentor Pacesetter suggests for them — a colleague strong exactly where
they are weak — from two months back (or their hire date), a development goal a month
agreed with that mentor (G8: one professional-development event), and a couple of
mentoring check-ins, so the Mentoring page, the mentors' credit and ``pacesetter mentors``
show something real from the first ``make run``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pacesetter import planning
from pacesetter.coaching.services import (
    development_goal_create,
    mentor_assign,
    mentoring_checkin_record,
)
from pacesetter.coaching.suggestions import Candidate, mentor_suggestions
from pacesetter.org.models import Membership, Person, Role, Unit

# How many of the newest reps get a mentor.
JUNIORS = 3
# Mentoring began this many months before the demo's day (or on the hire date, if later).
MONTHS_BACK = 2
# The two logged conversations: a few days after the start, and last week.
FIRST_CHECKIN_AFTER = 3
LAST_CHECKIN_BEFORE = 5


def _juniors(as_of: dt.date) -> list[Person]:
    """Reps in a team on ``as_of`` without a mentor, the most recently hired first."""
    in_team = Membership.objects.filter(unit__kind=Unit.Kind.TEAM).on(as_of).values("person_id")
    mentored = Role.objects.filter(kind=Role.Kind.MENTOR).values("mentee_id")
    reps = (
        Person.objects.filter(roles__kind=Role.Kind.REP, pk__in=in_team, hire_date__lte=as_of)
        .exclude(pk__in=mentored)
        .order_by("-hire_date", "pk")
    )
    return list(reps[:JUNIORS])


def _notes(mentee: Person, candidate: Candidate, first: bool) -> tuple[str, str]:
    """What the mentor wrote after a conversation (notes, next steps)."""
    topic = candidate.strengths[0].weakness.label
    if first:
        return (
            f"First conversation. Looked at {topic} together: {candidate.strengths[0].reason}. "
            f"{mentee.full_name.split()[0]} shadows two of my calls this week.",
            f"Try my routine for {topic} for two weeks; bring two examples that went wrong.",
        )
    return (
        f"Went through the two examples. Better preparation already shows on {topic}; "
        "still rushing the last step.",
        "Book a professional-development event this month; next check-in in two weeks.",
    )


def set_up_mentors(as_of: dt.date) -> int:
    """Give the newest reps a suggested mentor, monthly development goals and two
    check-ins; returns how many mentoring pairs were made. Deterministic for a given
    demo org, like the rest of the demo."""
    pairs = 0
    this_month = planning.month_of(as_of)
    for mentee in _juniors(as_of):
        suggestion = mentor_suggestions(mentee, as_of)
        if not suggestion.candidates:
            continue
        candidate = suggestion.candidates[0]
        mentor = candidate.person
        first_month = planning.calendar.add_months(this_month.start, -MONTHS_BACK)
        start = max(first_month, mentee.hire_date or first_month)
        mentor_assign(mentor=mentor, mentee=mentee, on=start, focus=candidate.focus)
        month = planning.month_of(start)
        while month.start <= this_month.start:
            development_goal_create(
                mentee=mentee,
                metric="pd_events",
                period=month,
                target=Decimal(1),
                mentor=mentor,
                note="G8: one professional-development event a month",
                on=start,
            )
            month = planning.month_of(month.end)
        first = start + dt.timedelta(days=FIRST_CHECKIN_AFTER)
        last = as_of - dt.timedelta(days=LAST_CHECKIN_BEFORE)
        meetings = [first, last] if last > first else [first]
        for i, met_on in enumerate(d for d in meetings if d < as_of):
            notes, next_steps = _notes(mentee, candidate, first=i == 0)
            mentoring_checkin_record(
                mentor=mentor,
                mentee=mentee,
                met_on=met_on,
                notes=notes,
                next_steps=next_steps,
                today=as_of,
            )
        pairs += 1
    return pairs
