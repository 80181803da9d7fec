"""Reads of notifications: a person's list, the unread count, and each person's choices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from pacesetter.notifications.kinds import Choice, default_choice
from pacesetter.notifications.models import Kind, Notification, NotificationPreference


def notifications_of(person_id: int) -> QuerySet[Notification]:
    """The notices a person sees in the app, newest first."""
    return Notification.objects.filter(recipient_id=person_id, in_app=True)


def unread_count(user: Any) -> int:
    """How many of the user's notices are unread (one query; 0 without a person)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient__user=user, in_app=True, read_at__isnull=True
    ).count()


@dataclass(frozen=True)
class KindChoice:
    kind: str
    label: str
    choice: Choice


def choices_of(person_ids: Iterable[int]) -> dict[tuple[int, str], Choice]:
    """Each person's choice per kind, the defaults filled in (one query)."""
    ids = list(person_ids)
    stored = {
        (p.person_id, p.kind): Choice(p.in_app, p.email, p.chat)
        for p in NotificationPreference.objects.filter(person_id__in=ids)
    }
    return {
        (pid, kind): stored.get((pid, kind)) or default_choice(kind)
        for pid in ids
        for kind in Kind.values
    }


def preferences_of(person_id: int) -> list[KindChoice]:
    """One person's choices, kind by kind, in the order the kinds are listed."""
    chosen = choices_of([person_id])
    return [KindChoice(kind, str(label), chosen[(person_id, kind)]) for kind, label in Kind.choices]
