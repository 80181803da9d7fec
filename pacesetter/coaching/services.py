"""Writes for coaching: goal check-ins, and mentoring (M8) — assigning and ending mentors,
development goals agreed with them, and the mentors' notes of their conversations.

The mentor relationship is the org's ``Role(kind="mentor")``; ``Mentorship`` rows keep its
dates and focus beside it. Both are written together here, so the two never disagree when
they are changed through Pacesetter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.coaching.models import CheckIn, GoalAgreement, MentoringCheckIn, Mentorship
from pacesetter.explanations import english
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.services import goal_set_target
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Role
from pacesetter.planning.explain import Explanation

# M8: "a struggling rep gets one or two mentors".
MAX_MENTORS = 2
# Development goals come after the sales goals a rep is judged on, but stay visible.
DEVELOPMENT_PRIORITY = 5


class MentorError(ValueError):
    """A mentoring change that breaks a rule; the message says which, for a person to read."""


@transaction.atomic
def checkin_record(
    *,
    person: Person,
    goal: Goal,
    realistic: int,
    challenging: int,
    achievable: int,
    comment: str = "",
    by: User | None = None,
) -> CheckIn:
    """Keep a rep's answers about a goal (a new row each time: answers are history)."""
    if goal.person_id != person.pk:
        raise ValueError(_("%(person)s can only check in on their own goals") % {"person": person})
    checkin = CheckIn(
        person=person,
        goal=goal,
        realistic=realistic,
        challenging=challenging,
        achievable=achievable,
        comment=comment.strip(),
        created_by=by,
    )
    checkin.full_clean()
    checkin.save()
    return checkin


def _active(person: Person, on: dt.date, what: str) -> None:
    if person.is_employed_on(on):
        return
    values = {"person": person, "left": person.leave_date, "starts": person.hire_date}
    if person.leave_date is not None and person.leave_date < on:
        message = (
            _("%(person)s left on %(left)s; a mentor must be active.")
            if what == "mentor"
            else _("%(person)s left on %(left)s; a mentee must be active.")
        )
    else:
        message = (
            _("%(person)s only starts on %(starts)s; a mentor must be active.")
            if what == "mentor"
            else _("%(person)s only starts on %(starts)s; a mentee must be active.")
        )
    raise MentorError(message % values)


@transaction.atomic
def mentor_assign(
    *,
    mentor: Person,
    mentee: Person,
    on: dt.date,
    focus: str = "",
    by: User | None = None,
) -> Mentorship:
    """Make ``mentor`` a mentor of ``mentee`` from ``on``: the mentor role (what access
    reads) and its mentorship record (dates, focus).

    Refused with a ``MentorError``: self-mentoring, a mentor or mentee not employed on ``on``,
    a pair that already exists, and a third mentor.
    """
    if mentor.pk == mentee.pk:
        raise MentorError(_("%(mentor)s cannot mentor themselves.") % {"mentor": mentor})
    _active(mentor, on, "mentor")
    _active(mentee, on, "mentee")
    # Lock the mentee so that two managers assigning at once cannot make three mentors.
    Person.objects.select_for_update().filter(pk=mentee.pk).first()
    current = list(
        Role.objects.filter(kind=Role.Kind.MENTOR, mentee=mentee)
        .select_related("person")
        .order_by("person__full_name")
    )
    if any(r.person_id == mentor.pk for r in current):
        raise MentorError(
            _("%(mentor)s already mentors %(mentee)s.") % {"mentor": mentor, "mentee": mentee}
        )
    if len(current) >= MAX_MENTORS:
        names = _(" and ").join(r.person.full_name for r in current)
        raise MentorError(
            _("%(mentee)s already has %(n)s mentors (%(names)s); at most %(most)s — end one first.")
            % {"mentee": mentee, "n": len(current), "names": names, "most": MAX_MENTORS}
        )
    Role.objects.create(person=mentor, kind=Role.Kind.MENTOR, mentee=mentee)
    # A mentorship still open without its role (the role was deleted elsewhere) ends here.
    Mentorship.objects.filter(mentor=mentor, mentee=mentee, ended_on__isnull=True).update(
        ended_on=on
    )
    mentorship = Mentorship(
        mentor=mentor, mentee=mentee, started_on=on, focus=focus.strip()[:300], assigned_by=by
    )
    mentorship.full_clean()
    mentorship.save()
    return mentorship


@transaction.atomic
def mentor_end(
    *, mentor: Person, mentee: Person, on: dt.date, by: User | None = None
) -> Mentorship | None:
    """End the mentoring from ``on`` (the first day without it): the role goes, so the
    mentor no longer sees the mentee's goals; the mentorship record keeps the dates.

    Returns the ended record (None when the role was made without one, e.g. in the admin).
    """
    deleted, _by_model = Role.objects.filter(
        kind=Role.Kind.MENTOR, person=mentor, mentee=mentee
    ).delete()
    if not deleted:
        raise MentorError(
            _("%(mentor)s does not mentor %(mentee)s.") % {"mentor": mentor, "mentee": mentee}
        )
    mentorship = Mentorship.objects.filter(
        mentor=mentor, mentee=mentee, ended_on__isnull=True
    ).first()
    if mentorship is None:
        return None
    if on < mentorship.started_on:
        raise MentorError(
            _("The mentoring began on %(day)s; it cannot end before that.")
            % {"day": mentorship.started_on}
        )
    mentorship.ended_on = on
    mentorship.save(update_fields=["ended_on"])
    return mentorship


@transaction.atomic
def development_goal_create(
    *,
    mentee: Person,
    metric: str,
    period: planning.Period,
    target: Decimal,
    mentor: Person | None = None,
    note: str = "",
    on: dt.date,
    by: User | None = None,
) -> Goal:
    """A development goal of ``mentee`` (e.g. G8: one professional-development event a
    month), agreed with ``mentor`` — who must be one of the mentee's mentors — or set by
    the manager when no mentor is named.

    Setting the same metric and period again changes the target (with history) and the
    agreement, instead of adding a second goal.
    """
    if not Metric.objects.filter(name=metric).exists():
        raise MentorError(_("There is no metric '%(metric)s'.") % {"metric": metric})
    if target < 0:
        raise MentorError(_("A target must not be negative."))
    if (
        mentor is not None
        and not Role.objects.filter(kind=Role.Kind.MENTOR, person=mentor, mentee=mentee).exists()
    ):
        raise MentorError(
            _("%(mentor)s is not a mentor of %(mentee)s.") % {"mentor": mentor, "mentee": mentee}
        )
    agreed = english(
        Explanation("change.development_agreed", {"mentor": str(mentor)})
        if mentor
        else Explanation("change.development_by_manager")
    )
    goal = Goal.objects.filter(
        metric=metric,
        person=mentee,
        period_kind=period.kind,
        period_start=period.start,
        kind=Goal.Kind.DEVELOPMENT,
    ).first()
    if goal is None:
        goal = Goal(
            metric=metric,
            person=mentee,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            target=target,
            priority=DEVELOPMENT_PRIORITY,
            kind=Goal.Kind.DEVELOPMENT,
            note=note.strip()[:300],
        )
        try:
            goal.full_clean()
        except ValidationError as error:
            raise MentorError("; ".join(error.messages)) from None
        goal.save()
        GoalChange.objects.create(goal=goal, changed_by=by, new_target=target, reason=agreed)
    else:
        if note.strip():
            goal.note = note.strip()[:300]
            goal.save(update_fields=["note", "updated_at"])
        goal_set_target(goal=goal, target=target, by=by, reason=agreed)
    GoalAgreement.objects.update_or_create(
        goal=goal, defaults={"mentor": mentor, "agreed_on": on, "agreed_by": by}
    )
    return goal


@transaction.atomic
def mentoring_checkin_record(
    *,
    mentor: Person,
    mentee: Person,
    met_on: dt.date,
    notes: str,
    next_steps: str = "",
    today: dt.date,
    by: User | None = None,
) -> MentoringCheckIn:
    """Keep a mentor's notes of a conversation with their mentee (only their own mentee,
    and not a meeting in the future)."""
    if not Role.objects.filter(kind=Role.Kind.MENTOR, person=mentor, mentee=mentee).exists():
        raise MentorError(
            _("%(mentor)s is not a mentor of %(mentee)s.") % {"mentor": mentor, "mentee": mentee}
        )
    if met_on > today:
        raise MentorError(
            _("%(day)s is in the future: log a conversation once it happened.") % {"day": met_on}
        )
    if not notes.strip():
        raise MentorError(_("Write down what you talked about."))
    checkin = MentoringCheckIn(
        mentor=mentor,
        mentee=mentee,
        met_on=met_on,
        notes=notes.strip(),
        next_steps=next_steps.strip(),
        created_by=by,
    )
    try:
        checkin.full_clean()
    except ValidationError as error:
        raise MentorError("; ".join(error.messages)) from None
    checkin.save()
    return checkin
