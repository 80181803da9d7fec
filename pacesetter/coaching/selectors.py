"""Reads for check-ins: answers over time, and the goals that still wait for one."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from pacesetter.coaching.models import CheckIn
from pacesetter.goals.models import Goal, GoalChange


def checkins_of(person_ids: Iterable[int], limit: int = 200) -> QuerySet[CheckIn]:
    """The newest answers of these people first, with their goals (one query)."""
    return CheckIn.objects.filter(person_id__in=list(person_ids)).select_related("person", "goal")[
        :limit
    ]


def goals_awaiting_checkin(goals: Iterable[Goal]) -> set[int]:
    """Of ``goals``, the ids whose target was set or changed after the rep's last check-in
    on it (or that have none yet). One query."""
    ids = [g.pk for g in goals if g.person_id]
    if not ids:
        return set()
    last_checkin = (
        CheckIn.objects.filter(goal_id=OuterRef("goal_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    changed = (
        GoalChange.objects.filter(goal_id__in=ids)
        .values("goal_id")
        .annotate(last_change=Max("changed_at"), last_checkin=Subquery(last_checkin))
        .filter(Q(last_checkin__isnull=True) | Q(last_checkin__lt=Max("changed_at")))
    )
    return {row["goal_id"] for row in changed}
