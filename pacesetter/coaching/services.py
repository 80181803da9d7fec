"""Writes for check-ins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pacesetter.coaching.models import CheckIn
from pacesetter.goals.models import Goal
from pacesetter.org.models import Person


@transaction.atomic
def checkin_record(
    *,
    person: Person,
    goal: Goal,
    realistic: int,
    challenging: int,
    achievable: int,
    comment: str = "",
    by: AbstractBaseUser | None = None,
) -> CheckIn:
    """Keep a rep's answers about a goal (a new row each time: answers are history)."""
    if goal.person_id != person.pk:
        raise ValueError(f"{person} can only check in on their own goals")
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
